import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from './config/app.config.js';
import { AppModule } from './app.module.js';
import { applyHttpHardening } from './security/http-hardening.js';
import { accessLog, correlationMiddleware } from './logging/request-context.js';
import { serveConsole } from './console/console-static.js';

/** Builds the API application (used by main.ts and by the e2e tests). */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    logger: config.development ? ['error', 'warn'] : ['error'],
    bodyParser: false,
    cors: false,
  });
  app.use(correlationMiddleware);
  app.use(accessLog());
  applyHttpHardening(app, config);
  serveConsole(app, config);
  app.enableShutdownHooks();
  await app.init();
  return app;
}
