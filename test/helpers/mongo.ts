import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { freePort } from './ports.js';

/**
 * The database the tests use: a real MongoDB when TEST_MONGODB_URI is set, otherwise the in-process
 * MongoDB-compatible stand-in (see README, known limits). One server per test process; every suite
 * takes its own database name so suites never see each other's data.
 */
let standIn: { uri: string; stop(): Promise<void> } | undefined;

export const usingRealMongo = Boolean(process.env.TEST_MONGODB_URI);


export async function testMongoUri(): Promise<string> {
  if (process.env.TEST_MONGODB_URI) return process.env.TEST_MONGODB_URI;
  if (!standIn) {
    const { CongoServer } = await import('@push.rocks/smartmongo/dist_ts/congodb/index.js');
    const port = await freePort();
    const server = new CongoServer({ port, storage: 'memory' } as never);
    await server.start();
    // Polling monitor: the stand-in drops streaming heartbeats every ~10 s (see bot/dev/localMongo.ts).
    standIn = { uri: `mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll`, stop: () => server.stop() };
  }
  return standIn.uri;
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function dropDatabase(uri: string, name: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
