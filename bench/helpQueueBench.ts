/**
 * The support queue at scale (part of bench:help): BENCH_REQUESTS support requests (default 50,000) in
 * one firm, then the « Assistance » page's queue by state and a keyword search through the real API,
 * each against the driver's equivalent query (the same filter, sort, page, count and counts by state).
 * `supportQueueScenario` is what bench/helpBench.ts runs; `npx tsx bench/helpQueueBench.ts` runs it alone.
 * With the in-process stand-in every query scans: set BENCH_MONGODB_URI for index-served figures and plans.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { loadConfig } from '../bot/config.js';
import { supportCategories, supportSearchTokens, type SupportState } from '../bot/domain/support/supportRequest.js';
import { silentLogger } from '../bot/logger.js';
import { startPasserelle } from '../bot/server.js';
import { collections, ensureIndexes } from '../bot/store/mongo.js';
import { supportFilter } from '../bot/store/supportRequestRepository.js';
import { benchDatabase, elapsed, percentile } from './benchKit.js';

export interface QueueQuery {
  name: string;
  /** The page through the API: the ids in order. */
  api(): Promise<string[]>;
  /** The same through the driver. */
  driver(): Promise<string[]>;
  /** The filter, for the index plan on a real MongoDB. */
  filter: object;
}

const subjects = ['Connexion impossible', 'Invitation non reçue', 'Offre Start', 'Flow DSP2 refusée', 'Shine facturation', 'Imprimante du cabinet', 'Mot de passe oublié', 'Documents invisibles'];
const states: SupportState[] = ['inProgress', 'actionRequired', 'resolved', 'closed', 'closed', 'closed', 'draft'];

export const supportQueueScenario = {
  name: 'support queue',
  /** Seeds `count` requests in one firm, in chunks (not measured). */
  async seed(db: Db, firmId: string, count: number): Promise<void> {
    await ensureIndexes(db);
    const at = new Date('2026-01-05T09:00:00Z').getTime();
    for (let start = 0; start < count; start += 5_000) {
      const documents = [];
      for (let index = start; index < Math.min(count, start + 5_000); index++) {
        const subject = `${subjects[index % subjects.length]} ${index}`;
        const description = `Demande ${index} : ${subjects[(index * 7) % subjects.length]!.toLowerCase()} depuis ce matin.`;
        const stamp = { userId: `user-${index % 300}`, displayName: `Demandeur ${index % 300}`, at: new Date(at + index * 60_000) };
        documents.push({
          _id: new ObjectId(),
          firmId,
          number: index + 1,
          creationRequestId: `bench-${index}`,
          category: supportCategories[index % supportCategories.length],
          subject,
          description,
          attachments: [],
          state: states[index % states.length],
          requester: { kind: index % 2 ? 'client' : 'staff', userId: stamp.userId, displayName: stamp.displayName },
          timeline: [{ kind: 'sent', by: stamp }],
          version: 1,
          created: stamp,
          updatedAt: new Date(at + index * 60_000 + (index % 97) * 3_600_000),
          searchTokens: supportSearchTokens(subject, description),
        });
      }
      await db.collection(collections.supportRequests).insertMany(documents, { ordered: false });
    }
    await db.collection(collections.supportCounters).updateOne({ firmId }, { $set: { value: count } }, { upsert: true });
  },
  /** The page's queries through the API at `baseUrl` (a local tab user of the firm, its main manager) and the driver. */
  queries(baseUrl: string, db: Db, firmId: string): QueueQuery[] {
    const collection = db.collection(collections.supportRequests);
    const http = (query: string) => async () => {
      const response = await fetch(`${baseUrl}/api/support/requests?${query}`);
      if (!response.ok) throw new Error(`${query}: HTTP ${response.status} ${await response.text()}`);
      return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
    };
    const direct = (query: Parameters<typeof supportFilter>[0]) => async () => {
      const filter = supportFilter(query) as Document;
      const { states: _states, ...withoutState } = query;
      void _states;
      const [page] = await Promise.all([
        collection.find(filter).sort({ updatedAt: -1, number: -1 }).limit(25).project({ _id: 1 }).toArray(),
        collection.countDocuments(filter),
        collection.aggregate([{ $match: supportFilter(withoutState) as Document }, { $group: { _id: '$state', count: { $sum: 1 } } }]).toArray(),
      ]);
      return page.map((document) => (document._id as ObjectId).toHexString());
    };
    const queue = { firmId, services: 'all' as const };
    return [
      { name: 'queue, in progress', api: http('state=inProgress&pageSize=25'), driver: direct({ ...queue, states: ['inProgress'] }), filter: supportFilter({ ...queue, states: ['inProgress'] }) },
      { name: 'queue, every state', api: http('pageSize=25'), driver: direct(queue), filter: supportFilter(queue) },
      { name: 'keyword search « imprim »', api: http('search=imprim&pageSize=25'), driver: direct({ ...queue, words: ['imprim'] }), filter: supportFilter({ ...queue, words: ['imprim'] }) },
      { name: 'request number 41 999', api: http('search=41999&pageSize=25'), driver: direct({ ...queue, number: 41_999 }), filter: supportFilter({ ...queue, number: 41_999 }) },
    ];
  },
};

/** Runs the scenario alone: seeds, starts the server, checks both sides return the same rows, times them alternately. */
async function main(): Promise<void> {
  const count = Number(process.env.BENCH_REQUESTS ?? 50_000);
  const reps = Number(process.env.BENCH_REPS ?? 30);
  const { uri, standIn } = await benchDatabase();
  const database = `bench_support_${randomBytes(3).toString('hex')}`;
  const client = new MongoClient(uri);
  const db = client.db(database);
  const firmId = '00000000-1111-1111-1111-111111111111';
  console.log(`bench:help (support queue) — ${count} requests in one firm, ${reps} timed calls per query; database: ${standIn ? 'in-process stand-in (scans every query)' : 'MongoDB from BENCH_MONGODB_URI'}`);
  await supportQueueScenario.seed(db, firmId, count);
  const config = loadConfig({ PASSERELLE_ENV: 'test', PORT: '0', MONGODB_URI: uri, MONGODB_DB: database, TAB_LOCAL_USER: `${firmId}|bench-user|Bench|bench@cabinet.test`, PLAYGROUND_ENABLED: 'false' });
  const passerelle = await startPasserelle(config, silentLogger, { backgroundWork: false, auditSweepEveryMs: standIn ? 3_600_000 : undefined });
  await fetch(`${passerelle.url}/api/me`); // the local user becomes the firm's main manager, so its support
  let worst = 0;
  console.log('query                          api p50   api p95   driver p50  driver p95  p95 ratio');
  for (const query of supportQueueScenario.queries(passerelle.url, db, firmId)) {
    const [apiRows, driverRows] = await Promise.all([query.api(), query.driver()]);
    if (apiRows.join() !== driverRows.join()) throw new Error(`${query.name}: the API and the driver do not return the same rows`);
    const samples = { api: [] as number[], driver: [] as number[] };
    for (let index = 0; index < reps; index++) {
      samples.api.push(await elapsed(query.api));
      samples.driver.push(await elapsed(query.driver));
    }
    const ratio = percentile(samples.api, 95) / Math.max(0.001, percentile(samples.driver, 95));
    worst = Math.max(worst, ratio);
    console.log(`${query.name.padEnd(30)} ${percentile(samples.api, 50).toFixed(1).padStart(7)} ms ${percentile(samples.api, 95).toFixed(1).padStart(7)} ms ${percentile(samples.driver, 50).toFixed(1).padStart(9)} ms ${percentile(samples.driver, 95).toFixed(1).padStart(9)} ms ${ratio.toFixed(2).padStart(9)}`);
    if (!standIn) {
      const plan = await db.collection(collections.supportRequests).find(query.filter as Document).sort({ updatedAt: -1, number: -1 }).limit(25).explain('queryPlanner');
      console.log(`  index plan: ${JSON.stringify((plan as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan)}`);
    }
  }
  await passerelle.stop();
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  await standIn?.stop();
  console.log(`p95_ratio=${worst.toFixed(2)}`);
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
