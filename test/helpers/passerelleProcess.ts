/**
 * A Passerelle server as its own process, so a test can kill it as a crash would (SIGKILL): the same
 * start-up as bot/index.ts, with invitation-runner options from PASSERELLE_TEST_RUNNER (JSON).
 */
import type { RunnerOptions } from '../../bot/jobs/invitationRunner.js';
import { serveFromEnvironment } from '../../bot/serve.js';

const runner = JSON.parse(process.env.PASSERELLE_TEST_RUNNER || '{}') as Partial<RunnerOptions>;
serveFromEnvironment({ runner }).catch((error: unknown) => {
  process.stderr.write(`test server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
