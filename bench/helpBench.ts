/**
 * bench:help — the help at the scale of a big firm, against the same queries issued directly with the
 * driver. Seeds one firm with BENCH_ARTICLES help articles (default 5,000: French and English, every
 * state and audience, words drawn from the starting articles), starts the real server (local tab user
 * of that firm), then for each scenario times BENCH_REPS calls of the API and of the driver's
 * equivalent (the same filter run directly on the collection), alternating, and prints p50/p95 and the
 * p95 ratio. Last line: `p95_ratio=<the worst scenario's ratio>`.
 *
 * Scenarios come in groups, each seeding its own data: the knowledge base's search, and the support
 * requests' queue (BENCH_REQUESTS requests in the same firm, default 50,000).
 * With the in-process MongoDB stand-in every query scans (no index is used): set BENCH_MONGODB_URI to a
 * real MongoDB for index-served figures and the index plans.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { loadConfig } from '../bot/config.js';
import { articleAudiences, articleDomains, articleProducts, searchFieldsOf, type ArticleState } from '../bot/domain/help/article.js';
import { searchLimits } from '../bot/domain/help/knowledgeBase.js';
import { starterArticles } from '../bot/domain/help/starterArticles.js';
import { analyseQuery } from '../bot/domain/help/textAnalysis.js';
import { silentLogger } from '../bot/logger.js';
import { startPasserelle } from '../bot/server.js';
import { candidateFields, MongoArticleStore } from '../bot/store/articleRepository.js';
import { collections, ensureIndexes } from '../bot/store/mongo.js';
import { benchDatabase, elapsed, percentile } from './benchKit.js';
import { supportQueueScenario } from './helpQueueBench.js';

const articles = Number(process.env.BENCH_ARTICLES ?? 5_000);
const reps = Number(process.env.BENCH_REPS ?? 40);
const firmId = '77777777-7777-7777-7777-777777777777';

/** What a scenario group gives the bench once the server runs. */
export interface BenchContext {
  db: Db;
  /** Base URL of the running server; the local tab user is a member of staff of `firmId`. */
  url: string;
  firmId: string;
}

export interface BenchScenario {
  name: string;
  /** The call through Passerelle (HTTP API); returns what the check compares. */
  api: () => Promise<string[]>;
  /** The driver's equivalent: the same filter, run directly on the collection. */
  driver: () => Promise<string[]>;
  /** Whether the API's answer is among the driver's rows (what the API ranks, the driver only finds). */
  sameRows: (api: string[], driver: string[]) => boolean;
  /** The query the driver runs, for the index plan on a real MongoDB. */
  plan?: { collection: string; filter: object };
}

export interface ScenarioGroup {
  name: string;
  seed(db: Db): Promise<string>;
  scenarios(context: BenchContext): BenchScenario[];
}

/** A deterministic generator: the same articles on every run. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** The knowledge base's search: 5,000 articles written with the starting articles' words. */
const helpSearch: ScenarioGroup = {
  name: 'knowledge base search',
  async seed(db) {
    await ensureIndexes(db);
    const random = generator(20_261_204);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const sentences = { fr: [] as string[], en: [] as string[] };
    for (const starter of starterArticles) sentences[starter.content.language].push(...starter.content.body.split(/(?<=[.:;])\s+|\n+/).filter((sentence) => sentence.length > 20));
    const states: ArticleState[] = ['published', 'published', 'published', 'published', 'published', 'published', 'published', 'published', 'draft', 'archived'];
    const stamp = { userId: 'bench', displayName: 'Bench', at: new Date('2026-11-02T09:00:00Z') };
    const documents: Record<string, unknown>[] = [];
    for (let index = 0; index < articles; index++) {
      const language = random() < 0.8 ? 'fr' : 'en';
      const title = `${pick(sentences[language]).split(/\s+/).slice(0, 6).join(' ')} ${index}`;
      const body = Array.from({ length: 4 + Math.floor(random() * 8) }, () => pick(sentences[language])).join('\n\n');
      const keywords = Array.from({ length: 3 }, () => pick(pick(sentences[language]).split(/\s+/)).replace(/[^\p{L}\p{N}-]/gu, '')).filter(Boolean);
      const content = { title, body, keywords, language, product: pick(articleProducts), domain: pick(articleDomains), audience: pick(articleAudiences) } as const;
      documents.push({
        _id: new ObjectId(),
        firmId,
        ...content,
        state: pick(states),
        author: stamp,
        updated: stamp,
        version: 1,
        history: [{ version: 1, action: 'created', by: stamp }],
        ...searchFieldsOf(content),
      });
    }
    for (let start = 0; start < documents.length; start += 1_000) await db.collection(collections.articles).insertMany(documents.slice(start, start + 1_000), { ordered: false });
    return `${articles} articles in one firm (80 % French, 80 % published), plus the ${starterArticles.length} starting articles`;
  },
  scenarios({ db, url, firmId: firm }) {
    const search = (language: 'fr' | 'en', text: string, filter: { product?: string; domain?: string } = {}): BenchScenario => {
      const query = new URLSearchParams({ q: text, language, ...filter });
      const scope = { firmId: firm, language, states: ['published' as const], audiences: [...articleAudiences], ...filter } as Parameters<typeof MongoArticleStore.scopeFilter>[0];
      const terms = [...new Set(analyseQuery(text, language).flat())];
      const projection: Record<string, 1> = { 'analysis.length': 1, ...candidateFields, ...Object.fromEntries(terms.map((term) => [`analysis.frequencies.${term}`, 1])) };
      const filterDoc: Document = { ...MongoArticleStore.scopeFilter(scope), 'analysis.terms': { $in: terms } };
      return {
        name: `search « ${text} »${filter.product ? ` (${filter.product})` : ''}${filter.domain ? ` (${filter.domain})` : ''}`,
        api: async () => {
          const response = await fetch(`${url}/api/help/articles?${query}`);
          if (!response.ok) throw new Error(`${text}: HTTP ${response.status}`);
          return ((await response.json()) as { results: { id: string }[] }).results.map((result) => result.id);
        },
        driver: async () => {
          const [found] = await Promise.all([
            db.collection(collections.articles).find(filterDoc, { projection }).limit(searchLimits.candidates).toArray(),
            db.collection(collections.articles).countDocuments(MongoArticleStore.scopeFilter(scope) as Document),
          ]);
          return found.map((document) => document._id.toHexString());
        },
        sameRows: (api, driver) => api.length > 0 && api.every((id) => driver.includes(id)),
        plan: { collection: collections.articles, filter: filterDoc },
      };
    };
    return [
      search('fr', 'inviter un client dans le tenant'),
      search('fr', 'étapes de mise en route de Flow'),
      search('fr', 'le SIRET est obligatoire', { product: 'shine' }),
      search('fr', 'gestionnaire principal', { domain: 'organisation' }),
      search('en', 'accept the invitation'),
      search('en', 'activate Shine billing plan'),
    ];
  },
};

/** The support requests' queue: BENCH_REQUESTS requests (default 50,000) in the same firm, the « Assistance » page's queries. */
const supportRequests = Number(process.env.BENCH_REQUESTS ?? 50_000);
const supportQueue: ScenarioGroup = {
  name: 'support queue',
  async seed(db) {
    await supportQueueScenario.seed(db, firmId, supportRequests);
    return `${supportRequests} support requests`;
  },
  scenarios: ({ db, url }) =>
    supportQueueScenario.queries(url, db, firmId).map((query) => ({
      name: query.name,
      api: query.api,
      driver: query.driver,
      // The same page, in the same order.
      sameRows: (api, driver) => api.join() === driver.join(),
      plan: { collection: collections.supportRequests, filter: query.filter },
    })),
};

/** Every group the bench runs; the last line is the worst scenario's ratio. */
const groups: ScenarioGroup[] = [helpSearch, supportQueue];

/** API and driver calls alternate, so a pause of the shared process falls on either side alike. */
async function timePair(api: () => Promise<unknown>, driver: () => Promise<unknown>): Promise<{ api: number[]; driver: number[] }> {
  await api();
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
  const database = `bench_help_${randomBytes(3).toString('hex')}`;
  const client = new MongoClient(uri);
  const db = client.db(database);
  console.log(`bench:help — ${reps} timed calls per scenario; database: ${standIn ? 'in-process stand-in (scans every query: no index is used)' : 'MongoDB from BENCH_MONGODB_URI'}`);
  for (const group of groups) {
    const started = performance.now();
    const described = await group.seed(db);
    console.log(`${group.name}: ${described}, seeded in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured)`);
  }

  const config = loadConfig({ PASSERELLE_ENV: 'test', PORT: '0', MONGODB_URI: uri, MONGODB_DB: database, TAB_LOCAL_USER: `${firmId}|bench-user|Bench|bench@cabinet.test`, PLAYGROUND_ENABLED: 'false' });
  const passerelle = await startPasserelle(config, silentLogger, { backgroundWork: false, auditSweepEveryMs: standIn ? 3_600_000 : undefined });
  await fetch(`${passerelle.url}/api/me`); // the local user becomes the firm's first staff member
  const context: BenchContext = { db, url: passerelle.url, firmId };
  let worst = 0;
  console.log('scenario                                              api p50   api p95   driver p50  driver p95  p95 ratio');
  for (const group of groups) {
    for (const scenario of group.scenarios(context)) {
      const [apiRows, driverRows] = await Promise.all([scenario.api(), scenario.driver()]);
      if (!scenario.sameRows(apiRows, driverRows)) throw new Error(`${scenario.name}: the API's answer is not what the driver finds`);
      const { api, driver } = await timePair(scenario.api, scenario.driver);
      const ratio = percentile(api, 95) / Math.max(0.001, percentile(driver, 95));
      worst = Math.max(worst, ratio);
      console.log(
        `${scenario.name.slice(0, 52).padEnd(52)} ${percentile(api, 50).toFixed(1).padStart(7)} ms ${percentile(api, 95).toFixed(1).padStart(7)} ms ${percentile(driver, 50).toFixed(1).padStart(9)} ms ${percentile(driver, 95).toFixed(1).padStart(9)} ms ${ratio.toFixed(2).padStart(9)}`,
      );
      if (!standIn && scenario.plan) {
        const plan = await db.collection(scenario.plan.collection).find(scenario.plan.filter).explain('queryPlanner');
        console.log(`  index plan (real MongoDB): ${JSON.stringify((plan as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan)}`);
      }
    }
  }
  if (standIn) console.log('note: the stand-in scans every collection on every query; run with BENCH_MONGODB_URI against a real MongoDB for index-served figures and the index plans.');
  await passerelle.stop();
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  await standIn?.stop();
  console.log(`p95_ratio=${worst.toFixed(2)}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
