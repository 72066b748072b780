/**
 * Bot turn latency benchmark: `npm run bench:bot`.
 *
 * Starts the real server (startPasserelle: restify, the Bot Framework adapter, the bot, the stores) on
 * a firm of 10,000 client files and 20,000 contacts, with a local Bot Connector that records replies and
 * the local tenant standing in for Microsoft Graph, and a bare botbuilder bot answering every activity
 * with a fixed card through the same adapter, route, restify stack and connector, in the same process.
 *
 *   1. sequential: each common turn BENCH_TURNS times (default 200), interleaved, one at a time;
 *   2. load: `aide` and the bare bot for BENCH_SECONDS (default 20 s) at each of BENCH_CONCURRENCY (10,50).
 *
 * A turn's time runs from sending the activity to the reply's arrival at the connector (the HTTP answer
 * for an Action.Execute invoke, whose card comes back in it). Database round trips are counted with the
 * driver's command monitoring (StartOptions.onDatabaseCommand) between the send and the HTTP answer; Graph
 * calls with the local tenant's counters. Each turn's queries are matched to the declared indexes; with
 * BENCH_MONGODB_URI (a real MongoDB) the server's own plans are printed too.
 *
 * The last line: `p95_ratio=<worst turn's p95 / bare bot's p95> db_round_trips_max=<most round trips of
 * a read-only turn>`. Knobs: BENCH_MONGODB_URI, BENCH_TURNS, BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_FILES.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../bot/config.js';
import { startLocalTenant, type LocalTenant } from '../bot/directory/localTenant.js';
import { silentLogger } from '../bot/logger.js';
import { startPasserelle, type RunningPasserelle } from '../bot/server.js';
import { connectMongo, type DatabaseCommandEvent } from '../bot/store/mongo.js';
import { startBareBot } from './bot/bareBot.js';
import { BenchConnector } from './bot/connector.js';
import { declaredIndexFor, queriesOf, serverPlanOf, type SentQuery } from './bot/queryPlans.js';
import { seedFirm, type SeededFirm } from './bot/seed.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TURNS = positiveInt(process.env.BENCH_TURNS, 200);
const LOAD_SECONDS = positiveInt(process.env.BENCH_SECONDS, 20);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '10,50').split(',').map((value) => positiveInt(value, 0)).filter((value) => value > 0);
const FILES = positiveInt(process.env.BENCH_FILES, 10_000);
const CONTACTS_PER_FILE = 2;
const WARMUP = 20;
const TARGET_RATIO = 3;
const TARGET_ROUND_TRIPS = 4;

const FIRM_ID = 'c4d2f1b5-6e3a-4d9f-8b82-1a7e3c9f5d21';
const STAFF = { id: '29:bench-staff', name: 'Banc d’essai', aadObjectId: 'c4d2f1b5-0000-4000-8000-0000000000b1' };
const STAFF_EMAIL = 'bench-staff@cabinet-bench.test';
const BOT = { id: '28:passerelle-bench', name: 'Passerelle' };

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

// ---------------------------------------------------------------------------------------------
// Resources, released on exit, error or Ctrl+C.

const cleanups: (() => Promise<unknown>)[] = [];
let standIn: ChildProcess | undefined;
async function cleanup(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}
process.on('exit', () => standIn?.kill('SIGKILL'));

async function startDatabase(): Promise<{ uri: string; kind: string }> {
  if (process.env.BENCH_MONGODB_URI) return { uri: process.env.BENCH_MONGODB_URI, kind: 'MongoDB (BENCH_MONGODB_URI)' };
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
  standIn = spawn(process.execPath, ['--import', 'tsx', 'bench/bot/standInMongo.ts', String(port)], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  const child = standIn;
  cleanups.push(async () => {
    child.stdin?.end();
    await new Promise((done) => (child.exitCode === null ? child.once('exit', done) : done(undefined)));
  });
  const uri = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('ready ') && done(line.slice(6)));
    child.once('exit', (code) => fail(new Error(`the stand-in stopped (${code})`)));
  });
  return { uri, kind: 'stand-in CongoServer (its own process; every query a full scan)' };
}

// ---------------------------------------------------------------------------------------------
// Activities, shaped as Teams sends them.

type Expect = 'reply' | 'invoke';
interface Turn {
  name: string;
  readOnly: boolean;
  bare?: boolean;
  build(round: number, conversationId: string): { activity: Record<string, unknown>; expect: Expect };
}

function base(conversationId: string, serviceUrl: string) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: STAFF,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'personal', tenantId: FIRM_ID },
    channelData: { tenant: { id: FIRM_ID } },
    locale: 'fr-FR',
  };
}

function turnsOf(firm: SeededFirm, serviceUrl: string): Turn[] {
  const pick = <T>(list: T[], round: number, step: number) => list[(round * step) % list.length]!;
  const message = (text: string, conversationId: string) => ({ activity: { ...base(conversationId, serviceUrl), type: 'message', text, textFormat: 'plain' }, expect: 'reply' as const });
  let created = 0;
  return [
    { name: 'aide', readOnly: true, build: (_, conversation) => message('aide', conversation) },
    { name: 'dossier <code>', readOnly: true, build: (round, conversation) => message(`dossier ${pick(firm.codes, round, 7_919)}`, conversation) },
    { name: 'dossier <nom partiel>', readOnly: true, build: (round, conversation) => message(`dossier ${pick(firm.partialNames, round, 389)}`, conversation) },
    { name: 'interlocuteur <e-mail>', readOnly: true, build: (round, conversation) => message(`interlocuteur ${pick(firm.emails, round, 15_013)}`, conversation) },
    { name: 'mes droits', readOnly: true, build: (_, conversation) => message('mes droits', conversation) },
    {
      name: 'card submit: new file',
      readOnly: false,
      build: (_, conversation) => {
        created += 1;
        const code = `N${String(created).padStart(5, '0')}`;
        const value = { verb: 'clientFile.create', requestId: randomUUID(), code, companyName: `Nouvelle société ${created}`, legalForm: '', siret: '', apeCode: '', taxRegime: '' };
        return { activity: { ...base(conversation, serviceUrl), type: 'message', value }, expect: 'reply' };
      },
    },
    {
      name: 'Action.Execute refresh',
      readOnly: true,
      build: (round, conversation) => ({
        activity: {
          ...base(conversation, serviceUrl),
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: 'card-1',
          value: { action: { type: 'Action.Execute', verb: 'clientFile.show', data: { clientFileId: pick(firm.fileIds, round, 4_813) } }, trigger: 'automatic' },
        },
        expect: 'invoke',
      }),
    },
    { name: 'inviter <e-mail> preview', readOnly: true, build: (round, conversation) => message(`inviter ${pick(firm.emails, round, 9_931)}`, conversation) },
    { name: 'bare bot (fixed card)', readOnly: true, bare: true, build: (_, conversation) => message('aide', conversation) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Driving one turn.

interface TurnSample {
  recording: TurnRecording;
  ms: number;
  ok: boolean;
  roundTrips: number;
  writes: number;
  dbMs: number;
  graph: number;
  commands: string[];
  queries: SentQuery[];
}

const writeCommands = new Set(['insert', 'update', 'delete', 'findAndModify', 'bulkWrite', 'createIndexes']);
interface TurnRecording {
  commands: string[];
  queries: SentQuery[];
  writes: number;
  /** When each command left and its answer came back (performance.now()), by the driver's request id. */
  started: Map<number, number>;
  spans: [number, number][];
  keepQueries: boolean;
  afterAnswer: number;
}

/** Time during which at least one command was waiting for the database (commands run together count once). */
function databaseWait(spans: [number, number][]): number {
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}
let recording: TurnRecording | undefined;
/** The turn last answered: commands between two turns are work it left running (e.g. the portfolio summary). */
let lastRecording: TurnRecording | undefined;
let unattributed = 0;

function onDatabaseCommand(event: DatabaseCommandEvent): void {
  if (!('command' in event)) {
    const startedAt = recording?.started.get(event.requestId);
    if (recording && startedAt !== undefined) recording.spans.push([startedAt, performance.now()]);
    return;
  }
  if (!recording) {
    if (lastRecording) lastRecording.afterAnswer += 1;
    else unattributed += 1;
    return;
  }
  recording.started.set(event.requestId, performance.now());
  recording.commands.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  if (writeCommands.has(event.commandName)) recording.writes += 1;
  if (recording.keepQueries) {
    recording.queries.push(...queriesOf(event.commandName, event.command));
  }
}

async function drive(url: string, connector: BenchConnector, activity: Record<string, unknown>, expect: Expect): Promise<{ ms: number; ok: boolean }> {
  const id = String(activity.id);
  const reply = expect === 'reply' ? connector.replyTo(id) : undefined;
  const sentAt = performance.now();
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
  const body = await response.text();
  const answeredAt = performance.now();
  if (expect === 'invoke') {
    const card = response.ok && /application\/vnd\.microsoft\.card\.adaptive/.test(body);
    return { ms: answeredAt - sentAt, ok: card };
  }
  const arrived = await Promise.race([reply!, new Promise<undefined>((done) => setTimeout(done, 2_000))]);
  connector.forget(id);
  return arrived === undefined ? { ms: answeredAt - sentAt, ok: false } : { ms: arrived.at - sentAt, ok: response.ok && arrived.card };
}

async function sequential(turns: Turn[], urls: { passerelle: string; bare: string }, connector: BenchConnector, tenant: LocalTenant): Promise<Map<string, TurnSample[]>> {
  const samples = new Map<string, TurnSample[]>(turns.map((turn) => [turn.name, []]));
  for (let round = 0; round < WARMUP + TURNS; round++) {
    for (const turn of turns) {
      const { activity, expect } = turn.build(round, 'a:bench-sequential');
      const graphBefore = tenant.state().counters.graphRequests;
      recording = { commands: [], queries: [], writes: 0, started: new Map(), spans: [], keepQueries: round === WARMUP, afterAnswer: 0 };
      const outcome = await drive(turn.bare ? urls.bare : urls.passerelle, connector, activity, expect);
      const turnRecord = recording;
      recording = undefined;
      lastRecording = round < WARMUP ? undefined : turnRecord;
      if (round < WARMUP) continue;
      samples.get(turn.name)!.push({
        recording: turnRecord,
        ...outcome,
        roundTrips: turnRecord.commands.length,
        writes: turnRecord.writes,
        dbMs: databaseWait(turnRecord.spans),
        graph: tenant.state().counters.graphRequests - graphBefore,
        commands: turnRecord.commands,
        queries: turnRecord.queries,
      });
    }
  }
  lastRecording = undefined;
  return samples;
}

async function load(url: string, connector: BenchConnector, turn: Turn, concurrency: number): Promise<{ latencies: number[]; failures: number; perSecond: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const until = started + LOAD_SECONDS * 1_000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let round = 0; performance.now() < until; round++) {
        const { activity, expect } = turn.build(round, `a:bench-load-${worker}`);
        const outcome = await drive(url, connector, activity, expect);
        latencies.push(outcome.ms);
        if (!outcome.ok) failures += 1;
      }
    }),
  );
  return { latencies, failures, perSecond: latencies.length / ((performance.now() - started) / 1_000) };
}

// ---------------------------------------------------------------------------------------------
// Figures.

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
const range = (values: number[]) => (Math.min(...values) === Math.max(...values) ? String(values[0]) : `${Math.min(...values)}-${Math.max(...values)}`);

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const database = await startDatabase();
  const dbName = `passerelle_bench_bot_${randomUUID().slice(0, 8)}`;
  const admin = connectMongo(database.uri);
  await admin.connect();
  cleanups.push(() => admin.close());
  const db = admin.db(dbName);
  if (process.env.BENCH_MONGODB_URI) cleanups.push(() => db.dropDatabase());
  process.stdout.write(`bench:bot — seeding ${FILES} client files and ${FILES * CONTACTS_PER_FILE} contacts… `);
  const firm = await seedFirm(db, FIRM_ID, { files: FILES, contactsPerFile: CONTACTS_PER_FILE });
  console.log(`${firm.seconds.toFixed(1)} s`);

  const tenant = await startLocalTenant({ port: 0 });
  cleanups.push(() => tenant.stop());
  const connector = new BenchConnector();
  await connector.start((userId) => (userId === STAFF.id ? STAFF_EMAIL : `${userId.replace(/^\d+:/, '')}@cabinet-bench.test`));
  cleanups.push(() => connector.stop());
  const config = loadConfig({
    PASSERELLE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', MONGODB_URI: database.uri, MONGODB_DB: dbName, TRUST_CLIENT_LOCALE: 'true', GRAPH_BASE_URL: tenant.url, LOG_LEVEL: 'error',
  });
  const passerelle: RunningPasserelle = await startPasserelle(config, silentLogger, { backgroundWork: false, auditSweepEveryMs: 3_600_000, onDatabaseCommand });
  cleanups.push(() => passerelle.stop());
  const bare = await startBareBot();
  cleanups.push(() => bare.stop());
  await waitUntilAnswering(passerelle.url, connector);

  console.log(`database: ${database.kind}; server: startPasserelle in this process; Node ${process.version}`);
  const turns = turnsOf(firm, connector.url);
  process.stdout.write(`sequential: ${TURNS} of each of ${turns.length} turns (after ${WARMUP} warm-up rounds)… `);
  const started = performance.now();
  const samples = await sequential(turns, { passerelle: passerelle.url, bare: bare.url }, connector, tenant);
  console.log(`${((performance.now() - started) / 1_000).toFixed(1)} s`);

  const loads: { name: string; concurrency: number; latencies: number[]; failures: number; perSecond: number }[] = [];
  const aide = turns.find((turn) => turn.name === 'aide')!;
  const bareTurn = turns.find((turn) => turn.bare)!;
  for (const concurrency of CONCURRENCY) {
    for (const [name, turn, url] of [['aide', aide, passerelle.url], ['bare bot', bareTurn, bare.url]] as const) {
      process.stdout.write(`load: ${name} at concurrency ${concurrency} for ${LOAD_SECONDS} s… `);
      const result = await load(url, connector, turn, concurrency);
      console.log(`${result.latencies.length} turns`);
      loads.push({ name, concurrency, ...result });
    }
  }

  const plans = new Map<string, string[]>();
  for (const turn of turns) {
    const first = samples.get(turn.name)![0];
    if (!first) continue;
    const lines: string[] = [];
    for (const query of first.queries) {
      const server = process.env.BENCH_MONGODB_URI ? `; server plan: ${await serverPlanOf(db, query)}` : '';
      lines.push(`${query.command} ${query.collection} ${JSON.stringify(Object.keys(query.filter))} -> ${declaredIndexFor(query)}${server}`);
    }
    plans.set(turn.name, lines);
  }
  await cleanup();

  const rows = [['turn (sequential)', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'db round trips', 'db writes', 'db after answer', 'db wait ms p50', 'rest ms p50', 'Graph calls', 'bad replies']];
  for (const turn of turns) {
    const list = samples.get(turn.name)!;
    const times = list.map((sample) => sample.ms);
    rows.push([
      turn.name,
      String(list.length),
      ms(percentile(times, 50)),
      ms(percentile(times, 95)),
      ms(percentile(times, 99)),
      range(list.map((sample) => sample.roundTrips)),
      range(list.map((sample) => sample.writes)),
      range(list.map((sample) => sample.recording.afterAnswer)),
      ms(percentile(list.map((sample) => sample.dbMs), 50)),
      ms(percentile(list.map((sample) => Math.max(0, sample.ms - sample.dbMs)), 50)),
      range(list.map((sample) => sample.graph)),
      String(list.filter((sample) => !sample.ok).length),
    ]);
  }
  console.log('');
  console.log(table(rows));
  console.log('');
  const loadRows = [['load (20 s)', 'concurrency', 'turns/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failed']];
  for (const result of loads) {
    loadRows.push([result.name, String(result.concurrency), result.perSecond.toFixed(0), ms(percentile(result.latencies, 50)), ms(percentile(result.latencies, 95)), ms(percentile(result.latencies, 99)), String(result.failures)]);
  }
  loadRows[0]![0] = `load (${LOAD_SECONDS} s)`;
  console.log(table(loadRows));
  console.log('');
  console.log('database commands of one turn of each kind (in order), and the index each query can use:');
  for (const turn of turns) {
    const first = samples.get(turn.name)![0];
    if (!first || turn.bare) continue;
    console.log(`  ${turn.name}: ${first.commands.join(', ') || 'none'}`);
    for (const line of plans.get(turn.name) ?? []) console.log(`      ${line}`);
  }
  if (unattributed > 0) console.log(`(${unattributed} database commands ran before the first measured turn or during the load phase: start-up, warm-up, load; not counted above)`);
  console.log('"db after answer": commands sent after the turn was answered, before the next one (work the turn left running).');
  console.log('"db wait": time with at least one command awaiting its answer (commands sent together count once); "rest": the turn\'s time less that: the server\'s own work and the HTTP hops.');

  const bareP95 = percentile(samples.get(bareTurn.name)!.map((sample) => sample.ms), 95);
  const measured = turns.filter((turn) => !turn.bare);
  const worst = measured.map((turn) => ({ turn, p95: percentile(samples.get(turn.name)!.map((sample) => sample.ms), 95) })).sort((a, b) => b.p95 - a.p95)[0]!;
  const readOnlyTrips = Math.max(...measured.filter((turn) => turn.readOnly).flatMap((turn) => samples.get(turn.name)!.map((sample) => sample.roundTrips)));
  const ratio = worst.p95 / bareP95;
  console.log('');
  console.log(`worst turn: ${worst.turn.name} (p95 ${ms(worst.p95)} ms); bare bot p95 ${ms(bareP95)} ms; target: ratio <= ${TARGET_RATIO}, read-only round trips <= ${TARGET_ROUND_TRIPS}`);
  if (!(ratio <= TARGET_RATIO)) console.log(`TARGET MISSED: p95 ratio ${ratio.toFixed(2)} > ${TARGET_RATIO}`);
  if (readOnlyTrips > TARGET_ROUND_TRIPS) console.log(`TARGET MISSED: a read-only turn made ${readOnlyTrips} database round trips (> ${TARGET_ROUND_TRIPS})`);
  console.log(`p95_ratio=${ratio.toFixed(2)} db_round_trips_max=${readOnlyTrips}`);
}

/** The first turn of the firm makes the bench's user its main manager (the first user of a firm is). */
async function waitUntilAnswering(url: string, connector: BenchConnector): Promise<void> {
  const activity = { ...base('a:bench-warmup', connector.url), type: 'message', text: 'mes droits', textFormat: 'plain' };
  const outcome = await drive(url, connector, activity, 'reply');
  if (!outcome.ok) throw new Error('the server did not answer « mes droits » with a card');
}

main()
  .catch(async (error: unknown) => {
    process.stderr.write(`bench:bot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanup();
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 200).unref());
