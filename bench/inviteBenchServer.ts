/**
 * Diagnosis only: the same server as bot/index.ts, with invitation-runner options taken from
 * BENCH_RUNNER_OPTIONS (JSON, e.g. {"concurrency":16,"leaseMs":6000}), which the production entry
 * cannot set. `npm run bench:invite` uses bot/index.ts unless BENCH_RUNNER_OPTIONS is set, and then
 * says so in its output: figures obtained this way are what-ifs, not the product as shipped.
 */
import type { RunnerOptions } from '../bot/jobs/invitationRunner.js';
import { serveFromEnvironment } from '../bot/serve.js';

const runner = JSON.parse(process.env.BENCH_RUNNER_OPTIONS || '{}') as Partial<RunnerOptions>;
serveFromEnvironment({ runner }).catch((error: unknown) => {
  process.stderr.write(`bench server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
