import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startPasserelle } from './server.js';

/** Production entry point: a MongoDB URI and bot credentials come from the environment. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  const passerelle = await startPasserelle(config, logger);
  const shutdown = async (signal: string) => {
    logger.info('stopping', { signal });
    await passerelle.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Passerelle n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
