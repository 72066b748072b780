/** What every bench shares: percentiles, timing one call, and the database it runs against. */
import { freePort } from '../test/helpers/ports.js';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * BENCH_MONGODB_URI when set (a real MongoDB: index-served figures and plans), else the in-process
 * stand-in, which scans every query.
 */
export async function benchDatabase(): Promise<{ uri: string; standIn?: { stop(): Promise<void> } }> {
  const uri = process.env.BENCH_MONGODB_URI;
  if (uri) return { uri };
  const { CongoServer } = await import('@push.rocks/smartmongo/dist_ts/congodb/index.js');
  const port = await freePort();
  const server = new CongoServer({ port, storage: 'memory' } as never);
  await server.start();
  return { uri: `mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll`, standIn: server };
}
