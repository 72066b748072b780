import { ConfigError, isDeployed, loadConfig } from './config.js';
import { processLogger } from './logger.js';
import { startPasserelle, type StartOptions } from './server.js';

/**
 * Runs the server from the environment until SIGINT/SIGTERM: the production entry (bot/index.ts) and the
 * invitation benchmark's server (which may pass runner options) share it.
 */
export async function serveFromEnvironment(options: StartOptions = {}): Promise<void> {
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
  const logger = processLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, local: !isDeployed(config.PASSERELLE_ENV) });
  const passerelle = await startPasserelle(config, logger, options);
  const shutdown = async (signal: string) => {
    logger.info('stopping', { signal });
    await passerelle.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
