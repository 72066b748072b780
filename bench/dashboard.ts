/**
 * bench:dashboard — the portfolio API at scale, against the same queries issued directly with the driver.
 * Seeds BENCH_FILES client files (default 100,000) with 2 contacts each across 10 firms, starts the real
 * server (local tab user of firm 0), then for each query measures BENCH_REPS HTTP calls and the driver's
 * equivalent (the page of files + its count), and prints p50/p95 and their ratio. Last line:
 * `p95_ratio=<worst ratio> rss_mb=<server process RSS>`.
 * With the in-process MongoDB stand-in every query scans (no index is used): the figures are printed all
 * the same, with that warning. Set BENCH_MONGODB_URI to a real MongoDB to also print the index plan.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { loadConfig } from '../bot/config.js';
import { searchTokens } from '../bot/domain/fieldRules.js';
import { summariseFile, type SummarySources } from '../bot/domain/portfolioSummary.js';
import { silentLogger } from '../bot/logger.js';
import { startPasserelle } from '../bot/server.js';
import { collections, ensureIndexes } from '../bot/store/mongo.js';
import { benchDatabase, elapsed, percentile } from './benchKit.js';

const files = Number(process.env.BENCH_FILES ?? 100_000);
const reps = Number(process.env.BENCH_REPS ?? 40);
const firms = Array.from({ length: 10 }, (_, index) => `${String(index).padStart(8, '0')}-1111-1111-1111-111111111111`);
const words = ['Boulangerie', 'Garage', 'Café', 'Pharmacie', 'Cabinet', 'Atelier', 'Épicerie', 'Boucherie', 'Fleuriste', 'Librairie'];
const names = ['Bernard', 'Martin', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'];
const states = ['invited', 'accepted', 'member', 'failed'] as const;

async function seed(db: Db): Promise<void> {
  await ensureIndexes(db);
  const at = new Date('2025-03-03T09:00:00Z');
  const stamp = { userId: 'bench', displayName: 'Bench', at };
  const chunk = 5_000;
  for (let start = 0; start < files; start += chunk) {
    const fileDocs: Record<string, unknown>[] = [];
    const contactDocs: Record<string, unknown>[] = [];
    const linkDocs: Record<string, unknown>[] = [];
    const subscriptionDocs: Record<string, unknown>[] = [];
    // The summaries the server keeps on each file, computed here as it would have (not measured).
    const sources: SummarySources = { files: [], links: [], contacts: [], subscriptions: [], flows: [], shines: [] };
    for (let index = start; index < Math.min(files, start + chunk); index++) {
      const firmId = firms[index % firms.length]!;
      const _id = new ObjectId();
      const companyName = `${words[index % words.length]} ${names[Math.floor(index / 10) % names.length]} ${index}`;
      const code = String(index).padStart(6, '0');
      const contactIds = [new ObjectId(), new ObjectId()];
      fileDocs.push({ _id, firmId, code, companyName, legalForm: 'SARL', siret: index % 7 === 0 ? undefined : String(10_000_000_000_000 + index), searchTokens: searchTokens(companyName, code), creationRequestId: `bench-${index}`, created: stamp, updatedAt: at, primaryContactId: contactIds[0] });
      sources.files.push({ id: _id.toHexString(), firmId, companyName, primaryContactId: contactIds[0]!.toHexString() });
      if (index % 3 === 0) {
        subscriptionDocs.push({ firmId, clientFileId: _id.toHexString(), contactId: contactIds[0]!.toHexString(), offerId: 'start', state: 'active', version: 1, steps: [], proposed: stamp });
        sources.subscriptions.push({ clientFileId: _id.toHexString(), offerId: 'start', state: 'active' });
      }
      contactIds.forEach((contactId, position) => {
        const lastName = names[(index + position) % names.length]!;
        const email = `c${index}-${position}@client${index}.test`;
        const state = (index + position) % 5 === 0 ? undefined : states[(index + position) % states.length];
        contactDocs.push({ _id: contactId, firmId, lastName, firstName: 'Jean', mobile: '+33612345678', email, address: {}, searchTokens: searchTokens(lastName, 'Jean', email.split('@')[0]), creationRequestId: `bench-${email}`, created: stamp, updatedAt: at, ...(state ? { guest: { state, invitedAt: at, lastInvitedAt: at, invitationCount: 1, checks: 0 } } : {}) });
        linkDocs.push({ firmId, clientFileId: _id, contactId, scope: '-', linked: stamp });
        sources.contacts.push({ id: contactId.toHexString(), firstName: 'Jean', lastName, email, state: state ?? 'notInvited' });
        sources.links.push({ clientFileId: _id.toHexString(), contactId: contactId.toHexString() });
      });
    }
    // Files of a chunk are consecutive: each one's two links and contacts are found by position, not by scanning.
    fileDocs.forEach((document, position) => {
      const file = sources.files[position]!;
      const own: SummarySources = {
        ...sources,
        files: [file],
        links: sources.links.slice(position * 2, position * 2 + 2),
        contacts: sources.contacts.slice(position * 2, position * 2 + 2),
        subscriptions: sources.subscriptions.filter((subscription) => subscription.clientFileId === file.id),
      };
      document.portfolio = summariseFile(file, own);
      document.portfolioReadAt = 0;
    });
    await db.collection(collections.clientFiles).insertMany(fileDocs, { ordered: false });
    if (subscriptionDocs.length > 0) await db.collection(collections.offerSubscriptions).insertMany(subscriptionDocs, { ordered: false });
    await db.collection(collections.contacts).insertMany(contactDocs, { ordered: false });
    await db.collection(collections.contactLinks).insertMany(linkDocs, { ordered: false });
  }
}

/**
 * API and driver calls alternate, so a pause of the shared process (the stand-in's garbage collector
 * holds 100,000 documents) falls on either side alike instead of on whichever ran at that moment.
 */
async function timePair(api: () => Promise<unknown>, driver: () => Promise<unknown>): Promise<{ api: number[]; driver: number[] }> {
  await api(); // warm-up
  await driver();
  const samples = { api: [] as number[], driver: [] as number[] };
  for (let index = 0; index < reps; index++) {
    samples.api.push(await elapsed(api));
    samples.driver.push(await elapsed(driver));
  }
  return samples;
}

async function main(): Promise<void> {
  const { uri, standIn } = await benchDatabase();
  const database = `bench_dashboard_${randomBytes(3).toString('hex')}`;
  const client = new MongoClient(uri);
  const db = client.db(database);
  const firm = firms[0]!;
  console.log(`bench:dashboard — ${files} client files × 2 contacts across ${firms.length} firms, ${reps} timed calls per query; database: ${standIn ? 'in-process stand-in (scans every query: no index is used)' : 'MongoDB from BENCH_MONGODB_URI'}`);
  const seedStarted = performance.now();
  await seed(db);
  console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (not measured)`);

  const config = loadConfig({ PASSERELLE_ENV: 'test', PORT: '0', MONGODB_URI: uri, MONGODB_DB: database, TAB_LOCAL_USER: `${firm}|bench-user|Bench|bench@cabinet.test`, PLAYGROUND_ENABLED: 'false' });
  // Against the stand-in, the audit relay's periodic sweep scans every record of eight collections (an index
  // serves it on MongoDB) and stalls whichever call is running: it still sweeps once at start, then rests.
  const passerelle = await startPasserelle(config, silentLogger, { backgroundWork: false, auditSweepEveryMs: standIn ? 3_600_000 : undefined });
  if (standIn) console.log('note: the audit relay sweeps once at start, then not again during this run (on the stand-in each sweep scans 500,000 records)');
  const files0 = db.collection(collections.clientFiles);
  const http = (query: string) => async (): Promise<string[]> => {
    const response = await fetch(`${passerelle.url}/api/portfolio?${query}`);
    if (!response.ok) throw new Error(`${query}: HTTP ${response.status}`);
    return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
  };
  // The driver's equivalent of each API query: the same filter, sort, page and count, nothing else.
  const byName = (direction: 1 | -1) => ({ 'portfolio.sortName': direction, code: direction }) as const;
  const direct = (filter: object, skip: number, direction: 1 | -1 = 1) => async (): Promise<string[]> => {
    const [page] = await Promise.all([
      files0.find({ firmId: firm, ...filter }).sort(byName(direction)).skip(skip).limit(10).project({ _id: 1 }).toArray(),
      files0.countDocuments({ firmId: firm, ...filter }),
    ]);
    return page.map((document) => document._id.toHexString());
  };
  const queries: [string, () => Promise<string[]>, () => Promise<string[]>, object][] = [
    ['first page', http('page=1&pageSize=10'), direct({}, 0), {}],
    ['page 200', http('page=200&pageSize=10'), direct({}, 1_990), {}],
    ['search by name prefix', http('search=boul'), async () => {
      // The API also looks for contacts named so (a search finds a client by its contact): the same here.
      const contactIds = (await db.collection(collections.contacts).find({ firmId: firm, searchTokens: { $regex: '^boul' } }, { projection: { _id: 1 } }).limit(1_000).toArray()).map((contact) => contact._id);
      const linked = contactIds.length === 0 ? [] : await db.collection(collections.contactLinks).distinct('clientFileId', { firmId: firm, contactId: { $in: contactIds } });
      return direct(linked.length === 0 ? { searchTokens: { $regex: '^boul' } } : { $or: [{ searchTokens: { $regex: '^boul' } }, { _id: { $in: linked } }] }, 0)();
    }, { searchTokens: { $regex: '^boul' } }],
    ['filter by state (invited)', http('state=invited'), direct({ 'portfolio.stateList': { $in: ['invited'] } }, 0), { 'portfolio.stateList': { $in: ['invited'] } }],
    ['sorted by name, descending', http('sort=name&direction=desc'), direct({}, 0, -1), {}],
  ];
  await fetch(`${passerelle.url}/api/me`); // the local user becomes the firm's first staff member
  let worst = 0;
  console.log('each query returns the same rows through the API and the driver (checked before timing)');
  console.log('query                          api p50   api p95   driver p50  driver p95  p95 ratio');
  for (const [name, api, baseline] of queries) {
    const [apiRows, driverRows] = await Promise.all([api(), baseline()]);
    if (apiRows.join() !== driverRows.join()) throw new Error(`${name}: the API and the driver do not return the same rows`);
    const { api: apiSamples, driver: driverSamples } = await timePair(api, baseline);
    const ratio = percentile(apiSamples, 95) / Math.max(0.001, percentile(driverSamples, 95));
    worst = Math.max(worst, ratio);
    console.log(`${name.padEnd(30)} ${percentile(apiSamples, 50).toFixed(1).padStart(7)} ms ${percentile(apiSamples, 95).toFixed(1).padStart(7)} ms ${percentile(driverSamples, 50).toFixed(1).padStart(9)} ms ${percentile(driverSamples, 95).toFixed(1).padStart(9)} ms ${ratio.toFixed(2).padStart(9)}`);
  }
  if (!standIn) {
    for (const [name, , , filter] of queries) {
      const plan = await files0.find({ firmId: firm, ...filter }).sort(byName(1)).limit(10).explain('queryPlanner');
      console.log(`index plan, ${name} (real MongoDB):`, JSON.stringify((plan as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan));
    }
  } else {
    console.log('note: the stand-in scans every collection on every query; run with BENCH_MONGODB_URI against a real MongoDB for index-served figures and the index plan.');
  }
  const rss = Math.round(process.memoryUsage().rss / 1_048_576);
  await passerelle.stop();
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  await standIn?.stop();
  console.log(`(rss is the bench process: the server${standIn ? ' and the stand-in database' : ''} run in it)`);
  console.log(`p95_ratio=${worst.toFixed(2)} rss_mb=${rss}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
