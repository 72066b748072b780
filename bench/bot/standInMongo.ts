/**
 * The in-process MongoDB stand-in, in a process of its own: its full scans then run beside the server
 * instead of inside its event loop, as a real database would. Prints `ready <uri>` once listening; stops
 * with its parent (stdin closed) or on SIGTERM.
 */
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

const port = Number(process.argv[2]);
const server = new CongoServer({ port, storage: 'memory' } as never);
await server.start();
process.stdout.write(`ready mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll\n`);
const stop = () => void server.stop().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
