import 'reflect-metadata';
import { loadAppConfig, ConfigError } from './config/app.config.js';
import { createApiApp } from './create-app.js';
import { demoBanner, loadDemoOnStartup } from './demo/demo-startup.js';
import { logger } from './logging/logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApiApp(config);
  const url = `http://localhost:${config.port}/graphql`;
  const demo = config.serveHttp ? await loadDemoOnStartup(app, config, (line) => logger.info({ demo: true }, line)) : undefined;
  if (demo && !demo.result.skipped) {
    process.stdout.write(`Demo trial ${demo.result.trialId} loaded: ${demo.result.eventsAppended} events in ${(demo.result.durationMs / 1000).toFixed(1)} s\n`);
  }
  if (config.serveHttp) await app.listen(config.port, '0.0.0.0');
  logger.info({ url, store: config.store.replace(/\/\/[^@/]*@/, '//***@'), mode: config.serveHttp ? 'api' : 'projector' }, 'RadLedger ready');
  if (config.serveHttp) {
    process.stdout.write(`\nRadLedger API ready: GraphQL at ${url}, health at http://localhost:${config.port}/health, metrics at /metrics\n`);
    if (demo) process.stdout.write(`${demoBanner(url, demo)}\n`);
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'RadLedger API failed to start');
  process.stderr.write(`RadLedger API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
