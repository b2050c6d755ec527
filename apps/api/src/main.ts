import 'reflect-metadata';
import { loadAppConfig, ConfigError } from './config/app.config.js';
import { createApiApp } from './create-app.js';
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
  await app.listen(config.port, '0.0.0.0');
  const url = `http://localhost:${config.port}/graphql`;
  logger.info({ url, store: config.store.replace(/\/\/[^@/]*@/, '//***@') }, 'RadLedger API ready');
  process.stdout.write(`\nRadLedger API ready: GraphQL at ${url}, health at http://localhost:${config.port}/health\n`);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'RadLedger API failed to start');
  process.stderr.write(`RadLedger API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
