/**
 * Bulk invitation benchmark: `npm run bench:invite`.
 *
 * One job of N (default 1,000) contacts, invited by a real Passerelle server (bot/index.ts, run as a
 * child process so it can be SIGKILLed) against the local tenant configured with the documented
 * invitation limit (150 per 5 s window) and random 429s (Retry-After 1 s) on 5 % of Graph requests.
 *
 *   run 1 "normal": the job runs to its end.
 *   run 2 "crash":  the server is SIGKILLed once the tenant has received N/2 invitations, a new
 *                   server is started at once, and the job must still finish.
 *
 * With `--servers 2` (npm run bench:invite -- --servers 2) each run has two servers on the one
 * database, sharing the job; in the crash run one of them is SIGKILLed and the other, with no
 * restart, must finish the job (taking the dead one's items back once its heartbeat stops).
 *
 * The clock starts when the job is created (server up and idle, as when staff confirm the card) and
 * stops when the job document says 'finished' (polled every 100 ms in MongoDB). Lower bound of the
 * invitation limit: floor((N-1)/150) x 5 s (150 may go at once, then 150 per window) = 30 s for N=1000.
 *
 * The last line is `ratio=<x> duplicates=<n> lost=<n>` (ratio: the worse run; duplicates, lost: sums).
 *
 * Knobs (environment): BENCH_MONGODB_URI (a real MongoDB instead of the in-process stand-in),
 * BENCH_CONTACTS (default 1000), BENCH_KILL_AT (default N/2), BENCH_SEED (fault sequence),
 * BENCH_RUNS ("normal,crash" by default), BENCH_RUN_TIMEOUT_S (default 300), BENCH_SERVER_ENV (extra KEY=VALUE,... for the server),
 * BENCH_FAULTS (JSON faults instead of the documented scenario), BENCH_RUNNER_OPTIONS (JSON runner
 * options, e.g. {"leaseMs":6000}: runs bench/inviteBenchServer.ts instead of bot/index.ts). The last
 * two are for diagnosis: the output flags them. BENCH_TRACE=<folder>: debug logs of the tenant and of
 * every server written there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ObjectId, type Db, type MongoClient } from 'mongodb';
import { describeConfig } from '../bot/config.js';
import { startLocalTenant, type LocalTenant, type LocalTenantFaults } from '../bot/directory/localTenant.js';
import type { ActorStamp } from '../bot/domain/actor.js';
import { contactSearchTokens, validateContact } from '../bot/domain/contact.js';
import type { GuestOnboarding } from '../bot/domain/guest.js';
import { FirmSettingsService } from '../bot/domain/firmSettingsService.js';
import { createLogger } from '../bot/logger.js';
import { InvitationJobStore } from '../bot/jobs/invitationJobs.js';
import { defaultRunnerOptions } from '../bot/jobs/invitationRunner.js';
import { collections, connectMongo, ensureIndexes } from '../bot/store/mongo.js';
import { createStores } from '../bot/store/stores.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const CONTACTS = positiveInt(process.env.BENCH_CONTACTS, 1_000);
const KILL_AT = positiveInt(process.env.BENCH_KILL_AT, Math.ceil(CONTACTS / 2));
const SEED = positiveInt(process.env.BENCH_SEED, 20_250_601);
const INVITATIONS_PER_WINDOW = 150;
const WINDOW_SECONDS = 5;
const FAULTS: LocalTenantFaults = process.env.BENCH_FAULTS ? (JSON.parse(process.env.BENCH_FAULTS) as LocalTenantFaults) : { throttleRate: 0.05, retryAfterSeconds: 1 };
const RUN_TIMEOUT_MS = positiveInt(process.env.BENCH_RUN_TIMEOUT_S, 5 * 60) * 1_000;
const JOB_POLL_MS = 100;
/** tenant.state() copies the whole tenant (~2.5 ms at 1,000 users): not too often, it shares the bench's event loop. */
const KILL_POLL_MS = 50;
const MEMORY_POLL_MS = 200;
const TARGET_RATIO = 1.15;
/** floor((N-1)/150) x 5 s: the first 150 invitations may go at once, then 150 per 5 s window. */
const LOWER_BOUND_S = Math.floor((CONTACTS - 1) / INVITATIONS_PER_WINDOW) * WINDOW_SECONDS;

/** The production entry, unless runner what-ifs are asked for (bench/inviteBenchServer.ts). */
const RUNNER_WHAT_IF = process.env.BENCH_RUNNER_OPTIONS?.trim() || undefined;
const SERVER_ENTRY = RUNNER_WHAT_IF ? 'bench/inviteBenchServer.ts' : 'bot/index.ts';
/** Diagnosis: a folder where the tenant's and the servers' debug logs are written (slows things a little). */
const TRACE_DIR = process.env.BENCH_TRACE?.trim() || undefined;
const traceStreams: WriteStream[] = [];
function traceFile(name: string): WriteStream {
  mkdirSync(TRACE_DIR!, { recursive: true });
  const stream = createWriteStream(resolve(TRACE_DIR!, name));
  traceStreams.push(stream);
  return stream;
}
const RUNNER = { ...defaultRunnerOptions, ...(RUNNER_WHAT_IF ? (JSON.parse(RUNNER_WHAT_IF) as Partial<typeof defaultRunnerOptions>) : {}) };

const FIRM_ID = 'b3c1e0a4-5d2f-4c8e-9a71-0f6d2b8e4c10';
const STAFF = { userId: 'b3c1e0a4-0000-4000-8000-00000000be01', displayName: 'Banc d’essai' };

type RunKind = 'normal' | 'crash';

/** `--servers N` (1 or 2): server instances on the one database in every run. */
const SERVERS = (() => {
  const at = process.argv.indexOf('--servers');
  const value = at >= 0 ? Number(process.argv[at + 1]) : 1;
  if (value !== 1 && value !== 2) {
    process.stderr.write('bench:invite: --servers takes 1 or 2\n');
    process.exit(2);
  }
  return value;
})();

interface ServerFigures {
  pid: number;
  spawnedAt: number;
  /** Seconds from spawn: "Passerelle listening", "database connected, indexes ready", /healthz 200. */
  listeningS?: number;
  dbReadyS?: number;
  healthyS?: number;
  /** VmRSS once ready and idle, before the job: the baseline of the peak. */
  idleRssMb?: number;
  peakRssMb?: number;
  warnings: number;
  errors: number;
  samples: string[];
  exit?: string;
}

interface RunFigures {
  kind: RunKind;
  database: string;
  seedSeconds: number;
  completed: boolean;
  abortReason?: string;
  totalSeconds: number;
  /** finishedAt - createdAt as the server recorded them. */
  serverSeconds?: number;
  ratio: number;
  job: { status: string; done: number; failed: number; skipped: number };
  outcomes: Record<string, number>;
  itemsRetried: number;
  itemsUnfinished: number;
  invitationsCreated: number;
  distinctInvited: number;
  duplicates: number;
  lost: number;
  lostSamples: string[];
  idMismatch: number;
  tenant: { graphRequests: number; throttled: number; invitationAttempts: number; invitation429: number; batchRequests: number; unavailable: number };
  servers: ServerFigures[];
  crash?: {
    killAtSeconds: number;
    invitationsAtKill: number;
    itemsRunningAtKill: number;
    leasesExpireAtSeconds?: number;
    /** When no item was leased to the dead server any more (taken back by a live one). */
    takenBackAtSeconds?: number;
    /** A new server (one-server runs) or none (the other server carries on). */
    restartReadySeconds?: number;
    firstInvitationAfterRestartSeconds?: number;
    lastInvitationSeconds?: number;
  };
  benchPeakRssMb: number;
  /** Invitations created per 5 s since the job was created: where the time goes. */
  perWindow: number[];
}

// ---------------------------------------------------------------------------------------------
// Resources started by the bench, all released on exit, error or Ctrl+C.

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
let cleaningUp: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const child of children) killChild(child);
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
    await Promise.all(traceStreams.map((stream) => new Promise((done) => stream.end(done))));
  })();
  return cleaningUp;
}

function killChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the bench, cleaning up…\n`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Last resort if something throws past main(): never leave a server behind.
process.on('exit', () => {
  for (const child of children) killChild(child);
});

// ---------------------------------------------------------------------------------------------
// Helpers

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function seconds(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / 1_000;
}

function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function checkDeadline(deadline: number, what: string): void {
  if (Date.now() > deadline) throw new RunAborted(`run exceeded ${RUN_TIMEOUT_MS / 1_000} s (${what})`);
}

class RunAborted extends Error {}

// ---------------------------------------------------------------------------------------------
// MongoDB: the in-process stand-in on a free port, or BENCH_MONGODB_URI.

async function startDatabase(): Promise<{ uri: string; kind: string }> {
  if (process.env.BENCH_MONGODB_URI) return { uri: process.env.BENCH_MONGODB_URI, kind: 'MongoDB (BENCH_MONGODB_URI)' };
  const { CongoServer } = await import('@push.rocks/smartmongo/dist_ts/congodb/index.js');
  const port = await freePort();
  const server = new CongoServer({ port, storage: 'memory' } as never);
  await server.start();
  cleanups.push(() => server.stop());
  // Polling monitor: the stand-in drops streaming heartbeats (see bot/dev/localMongo.ts).
  return { uri: `mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll`, kind: 'stand-in CongoServer (in the bench process)' };
}

// ---------------------------------------------------------------------------------------------
// Seeding through the real store classes: one firm, N valid contacts, no guest yet.

async function seed(db: Db, deadline: number): Promise<string[]> {
  await ensureIndexes(db);
  const settings = await new FirmSettingsService(createStores(db).firms).settings(FIRM_ID);
  const contacts = createStores(db).contacts;
  const at = new Date();
  const ids: string[] = [];
  const CHUNK = 50;
  for (let start = 1; start <= CONTACTS; start += CHUNK) {
    checkDeadline(deadline, 'seeding');
    const numbers = Array.from({ length: Math.min(CHUNK, CONTACTS - start + 1) }, (_, index) => start + index);
    const outcomes = await Promise.all(
      numbers.map(async (number) => {
        const tag = String(number).padStart(4, '0');
        const validation = validateContact(
          { lastName: `Contact ${tag}`, firstName: 'Client', mobile: '+33612345678', email: `contact${tag}@client-bench.fr`, city: 'Lyon' },
          settings.orgRoles,
        );
        if (!validation.ok) throw new Error(`seed contact ${tag} is invalid: ${JSON.stringify(validation.errors)}`);
        const value = validation.value;
        return contacts.insertUnlessEmailExists({
          ...value,
          firmId: FIRM_ID,
          searchTokens: contactSearchTokens(value),
          creationRequestId: `bench-seed-${tag}`,
          created: { ...STAFF, at },
          updatedAt: at,
        });
      }),
    );
    for (const outcome of outcomes) ids.push(outcome.inserted ? outcome.record.id : outcome.existing.id);
  }
  if (new Set(ids).size !== CONTACTS) throw new Error(`seeding gave ${new Set(ids).size} distinct contacts instead of ${CONTACTS}`);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// The Passerelle server as a child process: `node --import tsx bot/index.ts`.

interface ServerProcess {
  child: ChildProcess;
  figures: ServerFigures;
  ready: Promise<string>;
  exited: Promise<void>;
  stopSampling(): void;
}

const configKeys = new Set(describeConfig().map((entry) => entry.name));

function startServer(mongoUri: string, database: string, tenantUrl: string, traceName: string): ServerProcess {
  // The server's configuration comes only from here: no stray variable of the caller's shell.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !configKeys.has(key)));
  const extra = Object.fromEntries(
    (process.env.BENCH_SERVER_ENV ?? '')
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const env = {
    ...inherited,
    PASSERELLE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: mongoUri,
    MONGODB_DB: database,
    GRAPH_BASE_URL: tenantUrl,
    GRAPH_INVITATIONS_PER_5S: String(INVITATIONS_PER_WINDOW),
    PLAYGROUND_ENABLED: 'false',
    // info: the only way to learn the URL of PORT=0 ("Passerelle listening"); nothing is logged at
    // info per invitation, so it does not weigh on the figures.
    LOG_LEVEL: TRACE_DIR ? 'debug' : 'info',
    ...extra,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=DEP0111', SERVER_ENTRY], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const figures: ServerFigures = { pid: child.pid ?? -1, spawnedAt: Date.now(), warnings: 0, errors: 0, samples: [] };
  const note = (line: string) => {
    if (figures.samples.length < 5) figures.samples.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
  };

  let resolveReady!: (url: string) => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<string>((ok, ko) => {
    resolveReady = ok;
    rejectReady = ko;
  });
  ready.catch(() => undefined);
  let url: string | undefined;
  let dbReady = false;
  const maybeReady = () => {
    if (url && dbReady) resolveReady(url);
  };

  const trace = TRACE_DIR ? traceFile(`${traceName}.log`) : undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    trace?.write(`${line}\n`);
    let entry: { level?: string; message?: string; url?: string } | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      note(`stdout: ${line}`);
      return;
    }
    if (entry?.message === 'Passerelle listening' && entry.url) {
      url = entry.url;
      figures.listeningS = seconds(figures.spawnedAt, Date.now());
    }
    if (entry?.message === 'database connected, indexes ready') {
      dbReady = true;
      figures.dbReadyS = seconds(figures.spawnedAt, Date.now());
    }
    if (entry?.level === 'warn') {
      figures.warnings += 1;
      note(line);
    }
    if (entry?.level === 'error') {
      figures.errors += 1;
      note(line);
    }
    maybeReady();
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (!line.trim()) return;
    figures.errors += 1;
    note(`stderr: ${line}`);
  });

  const exited = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      figures.exit = signal ? `signal ${signal}` : `code ${code}`;
      rejectReady(new Error(`server exited before being ready (${figures.exit}): ${figures.samples.join(' | ')}`));
      done();
    });
  });

  const sample = () => {
    const kb = procStatusKb(figures.pid, 'VmHWM');
    if (kb !== undefined) figures.peakRssMb = Math.round(kb / 1024);
  };
  const sampler = setInterval(sample, MEMORY_POLL_MS);
  return {
    child,
    figures,
    ready,
    exited,
    stopSampling: () => {
      sample();
      clearInterval(sampler);
    },
  };
}

/** Ready: listening, database connected and indexes created, /healthz answering 200. */
async function waitUntilReady(server: ServerProcess, deadline: number): Promise<string> {
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new RunAborted('server not ready in time')), Math.max(0, Math.min(60_000, deadline - Date.now())));
    void server.exited.then(() => clearTimeout(timer));
    void server.ready.then(() => clearTimeout(timer), () => clearTimeout(timer));
  });
  const url = await Promise.race([server.ready, timeout]);
  for (;;) {
    checkDeadline(deadline, 'waiting for /healthz');
    const healthy = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) {
      server.figures.healthyS = seconds(server.figures.spawnedAt, Date.now());
      const rssKb = procStatusKb(server.figures.pid, 'VmRSS');
      if (rssKb !== undefined) server.figures.idleRssMb = Math.round(rssKb / 1024);
      return url;
    }
    await sleep(50);
  }
}

async function stopServer(server: ServerProcess): Promise<void> {
  server.stopSampling();
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => killChild(server.child), 5_000);
  await server.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// One run.

interface ItemDocument {
  _id: ObjectId;
  status: string;
  attempts: number;
  outcome?: string;
  leaseUntil?: Date;
  leaseOwner?: string;
}

interface ContactDocument {
  _id: ObjectId;
  email: string;
  guest?: GuestOnboarding;
}

async function run(kind: RunKind, client: MongoClient, mongoUri: string, tenant: LocalTenant): Promise<RunFigures> {
  const runStart = Date.now();
  const deadline = runStart + RUN_TIMEOUT_MS;
  const database = `passerelle_bench_${kind}_${randomBytes(3).toString('hex')}`;
  const db = client.db(database);
  if (process.env.BENCH_MONGODB_URI) cleanups.push(() => db.dropDatabase().then(() => undefined));

  tenant.reset();
  tenant.setFaults(FAULTS);

  const contactIds = await seed(db, deadline);
  const seedSeconds = seconds(runStart, Date.now());

  const servers: ServerProcess[] = [];
  const startOne = () => {
    const server = startServer(mongoUri, database, tenant.url, `${kind}-server${servers.length + 1}`);
    servers.push(server);
    return server;
  };
  let current = startOne();
  for (let index = 1; index < SERVERS; index++) startOne();
  await Promise.all(servers.map((server) => waitUntilReady(server, deadline)));
  // Up and idle: the runner's loops are polling an empty queue.
  await sleep(1_000);

  const jobs = new InvitationJobStore(db);
  const items = db.collection<ItemDocument>(collections.jobItems);
  const t0 = Date.now();
  const { job } = await jobs.create({
    firmId: FIRM_ID,
    requestId: `bench-invite-${kind}-${CONTACTS}`,
    createdBy: { ...STAFF, at: new Date(t0) } satisfies ActorStamp,
    contactIds,
  });

  let abortReason: string | undefined;
  let crash: RunFigures['crash'];
  let killed = false;
  let crashWatch: Promise<void> = Promise.resolve();

  if (kind === 'crash') {
    crashWatch = (async () => {
      while (!killed) {
        if (Date.now() > deadline) return;
        const received = tenant.state().invitations.length;
        if (received >= KILL_AT) {
          const victim = current;
          victim.stopSampling();
          victim.child.kill('SIGKILL');
          const killAt = Date.now();
          killed = true;
          await victim.exited;
          // What the dead server held: items 'running' whose lease must expire before anyone takes them back.
          const running = await items.find({ jobId: toObjectIdOf(job.id), status: 'running' }).toArray();
          // The dead server's name: the worker declared dead once its heartbeat stopped.
          let deadOwner: string | undefined;
          const heartbeats = db.collection<{ owner: string; declaredDeadAt?: Date }>(collections.workerHeartbeats);
          const held = (owner: string | undefined) => running.filter((item) => (SERVERS === 1 ? true : item.leaseOwner === owner));
          if (SERVERS === 1) {
            current = startOne();
            await waitUntilReady(current, deadline);
          }
          crash = {
            killAtSeconds: seconds(t0, killAt),
            invitationsAtKill: received,
            itemsRunningAtKill: running.length,
            ...(SERVERS === 1 ? { restartReadySeconds: seconds(t0, Date.now()) } : {}),
          };
          for (;;) {
            checkDeadline(deadline, 'waiting for the dead server to be noticed');
            deadOwner ??= (await heartbeats.findOne({ declaredDeadAt: { $exists: true } }))?.owner;
            if (deadOwner && (await items.countDocuments({ leaseOwner: deadOwner })) === 0) break;
            if ((await jobs.findById(job.id))?.status === 'finished') break;
            await sleep(JOB_POLL_MS);
          }
          const victimItems = held(deadOwner);
          const leaseEnd = victimItems.reduce<number | undefined>((latest, item) => {
            const until = item.leaseUntil?.getTime();
            return until === undefined ? latest : Math.max(latest ?? 0, until);
          }, undefined);
          crash.itemsRunningAtKill = victimItems.length;
          crash.leasesExpireAtSeconds = leaseEnd === undefined ? undefined : seconds(t0, leaseEnd);
          crash.takenBackAtSeconds = deadOwner ? seconds(t0, Date.now()) : undefined;
          return;
        }
        await sleep(KILL_POLL_MS);
      }
    })();
    crashWatch.catch(() => undefined);
  }

  let finishedAt: number | undefined;
  let finalJob = job;
  try {
    for (;;) {
      const latest = await jobs.findById(job.id);
      if (latest) finalJob = latest;
      if (latest?.status === 'finished') {
        finishedAt = Date.now();
        break;
      }
      if (Date.now() > deadline) {
        abortReason = `job not finished within the run's ${RUN_TIMEOUT_MS / 1_000} s`;
        break;
      }
      if (!killed && servers.every((server) => server.figures.exit !== undefined)) {
        abortReason = `server exited (${current.figures.exit}) before the job finished`;
        break;
      }
      await sleep(JOB_POLL_MS);
    }
    await crashWatch;
  } catch (error) {
    abortReason = error instanceof Error ? error.message : String(error);
  }
  const tEnd = finishedAt ?? Date.now();
  for (const server of servers) server.stopSampling();
  await Promise.all(servers.map(stopServer));

  // ---- Figures, read once everything has stopped.
  const state = tenant.state();
  const invitedByAddress = new Map<string, number>();
  for (const invitation of state.invitations) {
    const address = invitation.invitedUserEmailAddress.toLowerCase();
    invitedByAddress.set(address, (invitedByAddress.get(address) ?? 0) + 1);
  }
  const duplicates = [...invitedByAddress.values()].filter((count) => count > 1).length;
  const usersByMail = new Map(state.users.map((user) => [user.mail.toLowerCase(), user]));
  const contactDocs = await db.collection<ContactDocument>(collections.contacts).find({}, { projection: { email: 1, guest: 1 } }).toArray();
  let lost = 0;
  let idMismatch = 0;
  const lostSamples: string[] = [];
  for (const contact of contactDocs) {
    const user = usersByMail.get(contact.email.toLowerCase());
    const recorded = contact.guest?.state === 'invited';
    if (!recorded || !user) {
      lost += 1;
      if (lostSamples.length < 5) lostSamples.push(`${contact.email}: guest=${contact.guest?.state ?? 'none'}, tenant user=${user ? 'yes' : 'no'}`);
    } else if (contact.guest?.directoryUserId !== user.id) {
      idMismatch += 1;
    }
  }
  lost += Math.max(0, CONTACTS - contactDocs.length);

  const itemDocs = await items.find({ jobId: toObjectIdOf(job.id) }).toArray();
  const outcomes: Record<string, number> = {};
  for (const item of itemDocs) {
    const key = `${item.status}${item.outcome ? `:${item.outcome}` : ''}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const serverJob = await jobs.findById(job.id);
  const invitationAttempts = state.counters.byOperation['POST /invitations'] ?? 0;

  if (crash && state.invitations.length > 0) {
    const kill = t0 + crash.killAtSeconds * 1_000;
    const times = state.invitations.map((invitation) => Date.parse(invitation.createdDateTime)).sort((a, b) => a - b);
    // The first invitation the restarted server sent (the tenant may still finish requests of the dead one).
    const restartedAt = SERVERS === 1 ? (servers[1]?.figures.spawnedAt ?? kill) : kill;
    const after = times.find((time) => time > restartedAt);
    crash.firstInvitationAfterRestartSeconds = after === undefined ? undefined : seconds(t0, after);
    crash.lastInvitationSeconds = seconds(t0, times[times.length - 1]!);
  }

  const perWindow: number[] = [];
  for (const invitation of state.invitations) {
    const slot = Math.max(0, Math.floor((Date.parse(invitation.createdDateTime) - t0) / (WINDOW_SECONDS * 1_000)));
    while (perWindow.length <= slot) perWindow.push(0);
    perWindow[slot]! += 1;
  }

  const totalSeconds = seconds(t0, tEnd);
  return {
    perWindow,
    kind,
    database,
    seedSeconds,
    completed: finishedAt !== undefined,
    abortReason,
    totalSeconds,
    serverSeconds: serverJob?.finishedAt ? seconds(serverJob.createdAt.getTime(), serverJob.finishedAt.getTime()) : undefined,
    // An unfinished job has no ratio: it counts as missing the target without bound.
    ratio: finishedAt === undefined ? Number.POSITIVE_INFINITY : LOWER_BOUND_S > 0 ? totalSeconds / LOWER_BOUND_S : Number.NaN,
    job: { status: finalJob.status, ...(serverJob ?? finalJob).counts },
    outcomes,
    itemsRetried: itemDocs.filter((item) => item.attempts > 1).length,
    itemsUnfinished: itemDocs.filter((item) => item.status === 'pending' || item.status === 'running').length,
    invitationsCreated: state.invitations.length,
    distinctInvited: invitedByAddress.size,
    duplicates,
    lost,
    lostSamples,
    idMismatch,
    tenant: {
      graphRequests: state.counters.graphRequests,
      batchRequests: state.counters.batchRequests,
      throttled: state.counters.throttled,
      unavailable: state.counters.unavailable,
      invitationAttempts,
      invitation429: invitationAttempts - state.invitations.length,
    },
    servers: servers.map((server) => server.figures),
    crash,
    benchPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function toObjectIdOf(hex: string): ObjectId {
  // The job store hands out hex ids; the items reference the job by ObjectId.
  return new ObjectId(hex);
}

// ---------------------------------------------------------------------------------------------
// Report.

function formatRuns(runs: RunFigures[]): string {
  const fmt = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));
  const rows: [string, ...string[]][] = [
    ['', ...runs.map((r) => (r.kind === 'normal' ? `run 1: normal${SERVERS > 1 ? `, ${SERVERS} servers` : ''}` : `run 2: SIGKILL at ${KILL_AT} invitations${SERVERS > 1 ? `, 1 of ${SERVERS} servers` : ''}`))],
    ['job finished', ...runs.map((r) => (r.completed ? 'yes' : `NO (${r.abortReason ?? r.job.status})`))],
    ['total time (job created -> finished)', ...runs.map((r) => `${fmt(r.totalSeconds, 2)} s`)],
    ['  same, server clock (finishedAt-createdAt)', ...runs.map((r) => (r.serverSeconds === undefined ? 'n/a' : `${fmt(r.serverSeconds, 2)} s`))],
    ['lower bound floor((N-1)/150) x 5 s', ...runs.map(() => `${LOWER_BOUND_S} s`)],
    [`ratio (target <= ${TARGET_RATIO})`, ...runs.map((r) => fmt(r.ratio, 2))],
    ['invitations created by the tenant', ...runs.map((r) => `${r.invitationsCreated} (${r.distinctInvited} addresses)`)],
    ['duplicates (addresses invited > once)', ...runs.map((r) => String(r.duplicates))],
    ['lost (no guest "invited" or no tenant user)', ...runs.map((r) => String(r.lost))],
    ['guest.directoryUserId != tenant user id', ...runs.map((r) => String(r.idMismatch))],
    ['job counts done/skipped/failed', ...runs.map((r) => `${r.job.done}/${r.job.skipped}/${r.job.failed}`)],
    ['item outcomes', ...runs.map((r) => Object.entries(r.outcomes).map(([key, count]) => `${key}=${count}`).join(' '))],
    ['items claimed more than once', ...runs.map((r) => String(r.itemsRetried))],
    ['items left pending/running', ...runs.map((r) => String(r.itemsUnfinished))],
    ['Graph operations / $batch envelopes', ...runs.map((r) => `${r.tenant.graphRequests} / ${r.tenant.batchRequests}`)],
    ['429 sent by the tenant (all operations)', ...runs.map((r) => String(r.tenant.throttled))],
    ['  of which on POST /invitations', ...runs.map((r) => `${r.tenant.invitation429} of ${r.tenant.invitationAttempts} attempts`)],
    ['server peak RSS (VmHWM)', ...runs.map((r) => r.servers.map((s) => (s.peakRssMb === undefined ? 'n/a' : `${s.peakRssMb} MB`)).join(' + '))],
    ['  server RSS when ready, idle', ...runs.map((r) => r.servers.map((s) => (s.idleRssMb === undefined ? 'n/a' : `${s.idleRssMb} MB`)).join(' + '))],
    ['server start: listening / db+indexes / healthz', ...runs.map((r) => r.servers.map((s) => `${fmt(s.listeningS)}/${fmt(s.dbReadyS)}/${fmt(s.healthyS)} s`).join(' + '))],
    ['server warn/error log lines', ...runs.map((r) => r.servers.map((s) => `${s.warnings}/${s.errors}`).join(' + '))],
    ['bench process peak RSS (stand-in + tenant)', ...runs.map((r) => `${r.benchPeakRssMb} MB`)],
    [`invitations per ${WINDOW_SECONDS} s from job creation`, ...runs.map((r) => r.perWindow.join(' '))],
    ['seeding (not measured)', ...runs.map((r) => `${fmt(r.seedSeconds)} s`)],
  ];
  const crashRun = runs.find((r) => r.crash);
  if (crashRun?.crash) {
    const c = crashRun.crash;
    const pad = runs.map((r) => (r === crashRun ? undefined : '-'));
    const cell = (text: string) => pad.map((value) => value ?? text);
    rows.push(['kill at', ...cell(`${fmt(c.killAtSeconds, 2)} s (${c.invitationsAtKill} invitations received)`)]);
    rows.push(['items running (leased) at kill', ...cell(`${c.itemsRunningAtKill}, leases end at ${fmt(c.leasesExpireAtSeconds, 2)} s`)]);
    rows.push(['dead server\'s items all taken back', ...cell(`${fmt(c.takenBackAtSeconds, 2)} s`)]);
    rows.push(['new server ready', ...cell(c.restartReadySeconds === undefined ? 'none (the other server carries on)' : `${fmt(c.restartReadySeconds, 2)} s`)]);
    rows.push([`first / last invitation after ${SERVERS === 1 ? 'restart' : 'kill'}`, ...cell(`${fmt(c.firstInvitationAfterRestartSeconds, 2)} s / ${fmt(c.lastInvitationSeconds, 2)} s`)]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cellText, column) => cellText.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const kinds = (process.env.BENCH_RUNS ?? 'normal,crash').split(',').map((kind) => kind.trim()).filter((kind): kind is RunKind => kind === 'normal' || kind === 'crash');

  const database = await startDatabase();
  const tenantTrace = TRACE_DIR ? traceFile('tenant.log') : undefined;
  const tenant = await startLocalTenant({
    port: 0,
    invitationsPer5s: INVITATIONS_PER_WINDOW,
    seed: SEED,
    ...(tenantTrace ? { logger: createLogger({ level: 'debug', sink: (line) => tenantTrace.write(`${line}\n`) }) } : {}),
  });
  cleanups.push(() => tenant.stop());
  const client = connectMongo(database.uri);
  await client.connect();
  cleanups.push(() => client.close());

  console.log(`bench:invite — ${CONTACTS} contacts, one job; tenant limit ${INVITATIONS_PER_WINDOW}/${WINDOW_SECONDS} s, faults ${JSON.stringify(FAULTS)}, seed ${SEED}`);
  console.log(`database: ${database.kind}; ${SERVERS === 1 ? 'server' : `${SERVERS} servers`}: node --import tsx ${SERVER_ENTRY} (child process), runner ${JSON.stringify(RUNNER)}`);
  if (RUNNER_WHAT_IF) console.log(`WHAT-IF: runner options ${RUNNER_WHAT_IF} (not the product's defaults)`);
  if (process.env.BENCH_FAULTS) console.log('WHAT-IF: faults from BENCH_FAULTS (not the documented scenario)');

  const runs: RunFigures[] = [];
  for (const kind of kinds) {
    process.stdout.write(`running ${kind}… `);
    try {
      const figures = await run(kind, client, database.uri, tenant);
      runs.push(figures);
      console.log(`${figures.completed ? 'finished' : 'NOT finished'} in ${figures.totalSeconds.toFixed(2)} s`);
    } catch (error) {
      console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
      for (const child of children) killChild(child);
      runs.push(failedRun(kind, error));
    }
  }

  await cleanup();

  console.log('');
  console.log(formatRuns(runs));
  for (const run of runs) {
    for (const [index, server] of run.servers.entries()) {
      if (server.samples.length > 0) console.log(`server ${index + 1} of the ${run.kind} run, first log lines at warn or above:\n  ${server.samples.join('\n  ')}`);
    }
    if (run.lostSamples.length > 0) console.log(`lost in the ${run.kind} run, e.g.: ${run.lostSamples.join('; ')}`);
  }
  const crashRun = runs.find((r) => r.crash);
  if (crashRun?.crash) {
    console.log(
      `note: after the SIGKILL the ${crashRun.crash.itemsRunningAtKill} items the dead server held were leased until ` +
        `${crashRun.crash.leasesExpireAtSeconds?.toFixed(1) ?? 'n/a'} s (leaseMs=${RUNNER.leaseMs} ms, renewed every ${Math.max(1_000, Math.floor(RUNNER.leaseMs / 3))} ms); ` +
        `its heartbeat stopped, they were all taken back at ${crashRun.crash.takenBackAtSeconds?.toFixed(1) ?? 'n/a'} s ` +
        `(a server silent for ${RUNNER.silentAfterMs} ms is dead, heartbeat every ${RUNNER.heartbeatEveryMs} ms).`,
    );
  }

  const ratio = Math.max(...runs.map((r) => (Number.isNaN(r.ratio) ? Number.POSITIVE_INFINITY : r.ratio)));
  const duplicates = runs.reduce((sum, r) => sum + r.duplicates, 0);
  const lost = runs.reduce((sum, r) => sum + r.lost, 0);
  for (const r of runs) {
    if (!r.completed) console.log(`TARGET MISSED: ${r.kind} run did not finish (${r.abortReason ?? 'unknown'})`);
    if (r.completed && !(r.ratio <= TARGET_RATIO)) console.log(`TARGET MISSED: ${r.kind} run ratio ${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'n/a'} > ${TARGET_RATIO}`);
    if (r.duplicates > 0) console.log(`TARGET MISSED: ${r.kind} run sent duplicate invitations to ${r.duplicates} addresses`);
    if (r.lost > 0) console.log(`TARGET MISSED: ${r.kind} run lost ${r.lost} contacts`);
  }
  console.log(`ratio=${Number.isFinite(ratio) ? ratio.toFixed(2) : 'inf'} duplicates=${duplicates} lost=${lost}`);
}

function failedRun(kind: RunKind, error: unknown): RunFigures {
  return {
    kind,
    database: '',
    seedSeconds: 0,
    completed: false,
    abortReason: error instanceof Error ? error.message : String(error),
    totalSeconds: Number.NaN,
    ratio: Number.POSITIVE_INFINITY,
    job: { status: 'unknown', done: 0, failed: 0, skipped: 0 },
    outcomes: {},
    itemsRetried: 0,
    itemsUnfinished: 0,
    invitationsCreated: 0,
    distinctInvited: 0,
    duplicates: 0,
    lost: CONTACTS,
    lostSamples: [],
    idMismatch: 0,
    tenant: { graphRequests: 0, batchRequests: 0, throttled: 0, unavailable: 0, invitationAttempts: 0, invitation429: 0 },
    servers: [],
    perWindow: [],
    benchPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

main()
  .catch(async (error: unknown) => {
    process.stderr.write(`bench:invite failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanup();
    process.exitCode = 1;
  })
  .finally(() => {
    // Timers of the stand-in or the driver must not keep the bench alive.
    setTimeout(() => process.exit(), 200).unref();
  });
