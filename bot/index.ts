import { serveFromEnvironment } from './serve.js';

/** Production entry point: a MongoDB URI and bot credentials come from the environment. */
serveFromEnvironment().catch((error: unknown) => {
  process.stderr.write(`Passerelle n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
