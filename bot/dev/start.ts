/**
 * `npm start`: everything needed to try Passerelle locally, in one command.
 *  1. configuration (env/.env.local, env/.env.local.user, process environment);
 *  2. a local MongoDB when MONGODB_URI is unset (genuine mongod if MONGOMS_SYSTEM_BINARY, else the in-memory
 *     stand-in saved to LOCAL_DB_SNAPSHOT);
 *  3. the Passerelle server (bot, tab, API);
 *  4. the Microsoft 365 Agents Playground (local Teams client) when PLAYGROUND_ENABLED;
 *  5. one banner with every URL. Ctrl+C stops everything (a second Ctrl+C forces the exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, isDeployed, loadConfig, type Config } from '../config.js';
import { processLogger, type Logger } from '../logger.js';
import { startPasserelle, type RunningPasserelle } from '../server.js';
import { startLocalMongo, type LocalMongo, type SnapshotTrouble } from './localMongo.js';
import { startLocalTenant, type LocalTenant } from '../directory/localTenant.js';
import { demoBannerRows, emptyStartFlag, offerDemoFirmOnStart } from './demo/offerDemoFirm.js';
import { demoFirmTeam, demoStaffAccounts, demoTenantDomain, demoTenantId } from './demo/demoFirm.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const PLAYGROUND_START_TIMEOUT_MS = 60_000;
const PLAYGROUND_STOP_GRACE_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Cleanup, in reverse order of start-up, on Ctrl+C / SIGTERM / failure

type Cleanup = { name: string; run: () => Promise<void> };
const cleanups: Cleanup[] = [];
let pendingStep: Promise<unknown> = Promise.resolve();
let shuttingDown = false;
let logger: Logger = processLogger({ level: 'info', local: true, category: 'start' });

/** Runs one start-up step; a shutdown requested meanwhile waits for it, so what it started is stopped too. */
function step<T>(promise: Promise<T>): Promise<T> {
  pendingStep = promise.catch(() => undefined);
  return promise;
}

async function shutdown(exitCode: number): Promise<never> {
  shuttingDown = true;
  // Let a start-up step in progress finish (bounded), so that what it started is stopped below.
  await Promise.race([pendingStep, new Promise((r) => setTimeout(r, 10_000).unref())]);
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup.run();
    } catch (error) {
      logger.error(`arrêt incomplet : ${cleanup.name}`, { error });
      exitCode = exitCode || 1;
    }
  }
  logger.info(exitCode === 0 ? 'tout est arrêté' : 'arrêté après une erreur');
  process.exit(exitCode);
}

/**
 * Under `npm start` one Ctrl+C arrives twice within milliseconds (from the terminal, and relayed by tsx):
 * only a second signal later than this is a person asking to force the exit.
 */
const REPEATED_SIGNAL_MS = 1_000;
let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    if (Date.now() - firstSignalAt < REPEATED_SIGNAL_MS) return;
    process.stderr.write(`\n${signal} reçu une seconde fois : arrêt forcé.\n`);
    process.exit(1);
  }
  firstSignalAt = Date.now();
  process.stderr.write(`\n${signal} reçu : arrêt en cours (encore Ctrl+C pour forcer)…\n`);
  void shutdown(0);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, () => server.close(() => resolvePromise(true)));
  });
}

/** A connection string without user name or password, for display. */
function withoutCredentials(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Agents Playground

interface RunningPlayground {
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

async function startPlayground(botEndpoint: string, requestedPort: number, log: Logger): Promise<RunningPlayground> {
  const binary = resolve(repoRoot, 'node_modules/.bin/agentsplayground');
  if (!existsSync(binary)) throw new Error(`${binary} introuvable (npm install n'a pas été lancé ?)`);
  const logFile = resolve(repoRoot, '.data/playground.log');
  mkdirSync(resolve(repoRoot, '.data'), { recursive: true });
  // When the port is taken the Playground silently picks another one: then only its own output tells which.
  const requestedPortFree = await portIsFree(requestedPort);
  if (!requestedPortFree) log.warn(`le port ${requestedPort} est occupé : l'Agents Playground va en choisir un autre`);

  const child: ChildProcess = spawn(
    binary,
    ['-e', botEndpoint, '-c', 'msteams', '-p', String(requestedPort), '--disable-telemetry'],
    {
      cwd: repoRoot,
      // Own process group, so that stopping it also stops whatever it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: resolve(repoRoot, 'env/playground/.m365agentsplayground.yml'),
        // Read by @microsoft/m365agentsplayground 0.2.28 (falls back to TEAMSAPPTESTER_LOGFILE, then ./devTools/).
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      },
    },
  );
  const pid = child.pid;
  const killGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  };
  // Detached children do not get the terminal's Ctrl+C: never leave one behind, whatever happens to us.
  const killOnExit = () => killGroup('SIGKILL');
  process.on('exit', killOnExit);

  let exited = false;
  let stopping = false;
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => {
    child.once('exit', (code, signal) => {
      exited = true;
      process.off('exit', killOnExit);
      resolvePromise({ code, signal });
    });
  });
  let tail = '';
  const remember = (text: string) => {
    tail = (tail + text).slice(-2_000);
  };

  const port = await new Promise<number>((resolvePromise, reject) => {
    let settled = false;
    let buffered = '';
    const finish = (error: Error | undefined, value?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearInterval(poll);
      if (error) reject(error);
      else resolvePromise(value!);
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      remember(chunk);
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const listening = /Listening on (\d+)/.exec(line);
        if (listening) finish(undefined, Number(listening[1]));
        else log.debug(`playground : ${line}`);
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      remember(chunk);
      for (const line of chunk.split('\n').map((l) => l.trim()).filter(Boolean)) log.warn(`playground : ${line}`);
    });
    child.once('error', (error) => finish(new Error(`lancement impossible : ${error.message}`)));
    void exitedPromise.then(({ code, signal }) =>
      finish(new Error(`arrêté au démarrage (code ${code ?? '-'}, signal ${signal ?? '-'})${tail ? ` :\n${tail.trim()}` : ''}`)),
    );
    const poll = setInterval(() => {
      if (!requestedPortFree) return;
      void portAnswers(requestedPort).then((ok) => ok && finish(undefined, requestedPort));
    }, 500);
    const timeout = setTimeout(
      () => finish(new Error(`pas de réponse après ${PLAYGROUND_START_TIMEOUT_MS / 1000} s (voir ${logFile})`)),
      PLAYGROUND_START_TIMEOUT_MS,
    );
  }).catch(async (error: unknown) => {
    if (!exited) {
      killGroup('SIGKILL');
      await exitedPromise;
    }
    throw error;
  });

  void exitedPromise.then(({ code, signal }) => {
    if (!stopping) {
      log.error(
        `l'Agents Playground s'est arrêté de façon inattendue (code ${code ?? '-'}, signal ${signal ?? '-'}) ; ` +
          `le serveur Passerelle continue. Journal : ${logFile}`,
      );
    }
  });

  return {
    port,
    logFile,
    stop: async () => {
      stopping = true;
      if (exited) return;
      killGroup('SIGTERM');
      const timer = setTimeout(() => {
        log.warn(`l'Agents Playground ne s'arrête pas après ${PLAYGROUND_STOP_GRACE_MS / 1000} s : SIGKILL`);
        killGroup('SIGKILL');
      }, PLAYGROUND_STOP_GRACE_MS);
      await exitedPromise;
      clearTimeout(timer);
      // Anything it left in its group goes too.
      killGroup('SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Banner

/** Said in the banner, not only in a log line that scrolls away: the local data is not all there. */
function snapshotTroubleRows(trouble: SnapshotTrouble | undefined): [string, string][] {
  if (!trouble) return [];
  if (trouble.kind === 'unreadable') {
    return [
      ['ATTENTION', `instantané illisible (${trouble.summary}) : la base locale démarre VIDE`],
      ['', `fichier conservé sous ${trouble.keptAt} ; arrêter, le corriger ou le renommer, relancer`],
    ];
  }
  return [
    ['ATTENTION', `instantané en partie illisible : ${trouble.summary} ; le reste est chargé`],
    ['', `fichier d’origine conservé sous ${trouble.keptAt}`],
  ];
}

function banner(title: string, rows: [string, string][], footer: string): string {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    title,
    '',
    ...rows.map(([label, value]) => `${label.padEnd(labelWidth)} ${label ? ':' : ' '} ${value}`),
    '',
    footer,
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const edge = `+${'-'.repeat(width + 2)}+`;
  return [edge, ...lines.map((line) => `| ${line.padEnd(width)} |`), edge].join('\n');
}

function loopbackUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (['0.0.0.0', '[::]', '::', 'localhost'].includes(url.hostname)) url.hostname = '127.0.0.1';
  return url.origin;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, resolve(repoRoot, 'env'));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  logger = processLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, local: !isDeployed(config.PASSERELLE_ENV), category: 'start' });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Closing the terminal: stop everything too, or the detached Agents Playground would outlive it.
  process.on('SIGHUP', onSignal);

  // 1. MongoDB
  const mongoRows: [string, string][] = [];
  let runningLocalMongo: LocalMongo | undefined;
  if (config.MONGODB_URI) {
    mongoRows.push(['MongoDB', 'externe (MONGODB_URI)'], ['', withoutCredentials(config.MONGODB_URI)]);
  } else {
    const snapshotPath = isAbsolute(config.LOCAL_DB_SNAPSHOT) ? config.LOCAL_DB_SNAPSHOT : resolve(repoRoot, config.LOCAL_DB_SNAPSHOT);
    let localMongo: LocalMongo;
    try {
      localMongo = await step(startLocalMongo({ snapshotPath, snapshotEverySeconds: config.LOCAL_DB_SNAPSHOT_SECONDS, logger }));
    } catch (error) {
      logger.error(`MongoDB local : démarrage impossible : ${errorMessage(error)}`, { error });
      return shutdown(1);
    }
    cleanups.push({ name: 'MongoDB local', run: () => localMongo.stop() });
    if (shuttingDown) return;
    config = { ...config, MONGODB_URI: localMongo.uri };
    runningLocalMongo = localMongo;
    if (localMongo.kind === 'mongod') {
      mongoRows.push(
        ['MongoDB', 'mongod local (MONGOMS_SYSTEM_BINARY)'],
        ['', withoutCredentials(localMongo.uri)],
        ['', `données : ${resolve(snapshotPath, '..', 'mongod')}`],
      );
    } else {
      mongoRows.push(
        ['MongoDB', 'substitut local en mémoire (imitation, pas un vrai MongoDB)'],
        ['', withoutCredentials(localMongo.uri)],
        ['', `instantané : ${snapshotPath}`],
        ['', `(toutes les ${config.LOCAL_DB_SNAPSHOT_SECONDS} s et à l'arrêt)`],
        ...snapshotTroubleRows(localMongo.snapshotTrouble),
      );
    }
  }

  // 1b. The local tenant: Microsoft Graph's HTTP contract for invitations, users and team members
  const tenantRows: [string, string][] = [];
  let runningTenant: LocalTenant | undefined;
  if (config.GRAPH_BASE_URL) {
    tenantRows.push(['Microsoft Graph', config.GRAPH_BASE_URL]);
  } else {
    let tenant: LocalTenant;
    try {
      tenant = await step(
        startLocalTenant({
          port: config.LOCAL_TENANT_PORT,
          tenantId: demoTenantId,
          tenantDomain: demoTenantDomain,
          // The demo firm's team of the playground (env/playground/.m365agentsplayground.yml).
          teams: [{ id: demoFirmTeam.id, displayName: demoFirmTeam.displayName }],
          snapshotPath: resolve(repoRoot, '.data/local-tenant.json'),
          // It names its own category (localTenant).
          logger,
        }),
      );
    } catch (error) {
      logger.error(`tenant local : démarrage impossible : ${errorMessage(error)}`, { error });
      return shutdown(1);
    }
    cleanups.push({ name: 'tenant local', run: () => tenant.stop() });
    // The demo firm's staff, as in the playground: their addresses are members, never guests.
    for (const [email, name] of demoStaffAccounts) tenant.addMember(email, name);
    if (shuttingDown) return;
    config = { ...config, GRAPH_BASE_URL: tenant.url };
    runningTenant = tenant;
    tenantRows.push(['Tenant local (Graph)', `${tenant.url}/v1.0`], ['', `invitations à accepter : ${tenant.url}/_local/inbox`]);
  }

  // 1c. The demo firm « Cabinet Démo », on a local database with no data at all (bot/dev/demo)
  let demoRows: [string, string][];
  try {
    // A database emptied because its snapshot was unreadable is not a new one: no demo over the firm's data.
    const argv = runningLocalMongo?.snapshotTrouble?.kind === 'unreadable' ? [...process.argv.slice(2), emptyStartFlag] : process.argv.slice(2);
    const offer = await step(offerDemoFirmOnStart(config, runningTenant, argv, logger.child('demo')));
    if (offer.summary) await runningLocalMongo?.saveSnapshot();
    demoRows = demoBannerRows(offer, Boolean(runningLocalMongo));
  } catch (error) {
    if (shuttingDown) return;
    // The server is still worth starting: say loudly that the demo is partial.
    logger.error(`données de démonstration : échec : ${errorMessage(error)}`, { error });
    demoRows = [['Données', `démonstration INCOMPLÈTE : ${errorMessage(error).split('\n')[0]}`], ['', 'repartir de zéro : arrêter, supprimer .data/, relancer']];
  }
  if (shuttingDown) return;

  // 2. Passerelle server
  let passerelle: RunningPasserelle;
  try {
    passerelle = await step(startPasserelle(config, logger.child('server')));
  } catch (error) {
    if (shuttingDown) return;
    logger.error(`le serveur Passerelle n'a pas démarré : ${errorMessage(error)}`, { error });
    process.stderr.write(`\nLe serveur Passerelle n'a pas démarré : ${errorMessage(error)}\n`);
    return shutdown(1);
  }
  cleanups.push({ name: 'serveur Passerelle', run: () => passerelle.stop() });
  if (shuttingDown) return;
  const serverUrl = passerelle.url.replace(/\/+$/, '');

  // 3. Agents Playground
  const playgroundRows: [string, string][] = [];
  if (config.PLAYGROUND_ENABLED) {
    const botEndpoint = `${loopbackUrl(serverUrl)}/api/messages`;
    try {
      const playground = await step(startPlayground(botEndpoint, config.PLAYGROUND_PORT, logger.child('playground')));
      cleanups.push({ name: 'Agents Playground', run: () => playground.stop() });
      if (shuttingDown) return;
      const note = playground.port !== config.PLAYGROUND_PORT ? ` (port ${config.PLAYGROUND_PORT} occupé)` : '';
      playgroundRows.push(['Agents Playground', `http://localhost:${playground.port}${note}`], ['', `journal : ${playground.logFile}`]);
    } catch (error) {
      if (shuttingDown) return;
      // The server is useful without the local Teams client: say so loudly and keep running.
      logger.error(`l'Agents Playground n'a pas démarré : ${errorMessage(error)}`, { error });
      playgroundRows.push(['Agents Playground', `NON DÉMARRÉ : ${errorMessage(error).split('\n')[0]}`]);
    }
  } else {
    playgroundRows.push(['Agents Playground', 'désactivé (PLAYGROUND_ENABLED=false)']);
  }

  // 4. Banner
  const rows: [string, string][] = [
    ['Serveur Passerelle', serverUrl],
    ['Bot (endpoint)', `${serverUrl}/api/messages`],
    ['Onglet', `${serverUrl}/tab/index.html`],
    ['Santé', `${serverUrl}/healthz`],
    ...mongoRows,
    ...tenantRows,
    ...playgroundRows,
    ...demoRows,
  ];
  process.stdout.write(`\n${banner('Passerelle est démarrée (mode local)', rows, 'Ctrl+C pour tout arrêter')}\n\n`);
}

main().catch((error: unknown) => {
  logger.error(`démarrage impossible : ${errorMessage(error)}`, { error });
  void shutdown(1);
});
