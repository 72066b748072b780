/**
 * Diagnosis only: the same server as bot/index.ts, with invitation-runner options taken from
 * BENCH_RUNNER_OPTIONS (JSON, e.g. {"concurrency":16,"leaseMs":6000}), which the production entry
 * cannot set. `npm run bench:invite` uses bot/index.ts unless BENCH_RUNNER_OPTIONS is set, and then
 * says so in its output: figures obtained this way are what-ifs, not the product as shipped.
 */
import { ConfigError, loadConfig } from '../bot/config.js';
import type { RunnerOptions } from '../bot/jobs/invitationRunner.js';
import { createLogger } from '../bot/logger.js';
import { startPasserelle } from '../bot/server.js';

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
  const runner = JSON.parse(process.env.BENCH_RUNNER_OPTIONS || '{}') as Partial<RunnerOptions>;
  const logger = createLogger({ level: config.LOG_LEVEL });
  const passerelle = await startPasserelle(config, logger, { runner });
  const shutdown = async () => {
    await passerelle.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
