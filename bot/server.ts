import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import { GraphDirectory } from './directory/graphDirectory.js';
import type { ImportLimits } from './domain/importService.js';
import type { RunnerOptions } from './jobs/invitationRunner.js';
import { WorkQueuedSignal } from './jobs/workQueued.js';
import type { Logger } from './logger.js';
import { connectInBackground, connectMongo, type DatabaseCommandEvent } from './store/mongo.js';
import { createStores } from './store/stores.js';
import type { PasserelleBot } from './teams/passerelleBot.js';
import { createBackgroundWork } from './wiring/backgroundWork.js';
import { createHttpServer } from './wiring/httpServer.js';
import { createTeamsBot } from './wiring/teamsBot.js';
import { createBotAdapter, createTeamsOutbound } from './wiring/teamsOutbound.js';
import { createFirmSettings, createUseCases } from './wiring/useCases.js';

export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface StartOptions {
  now?: () => Date;
  /** Background work (invitation jobs, acceptance watcher); tests may drive it themselves. */
  backgroundWork?: boolean;
  runner?: Partial<RunnerOptions>;
  /** Lines per import and per job item (tests use small ones). */
  imports?: Partial<ImportLimits>;
  /** Time between two sweeps of pending audit entries (default: the relay's own). */
  auditSweepEveryMs?: number;
  /** Where the Bot Framework's signing keys are described (default: the public Bot Framework's); tests serve their own. */
  botOpenIdMetadataUrl?: string;
  /** Sees every database command and its answer (bench:bot and tests count a turn's round trips); never set in production. */
  onDatabaseCommand?: (event: DatabaseCommandEvent) => void;
}

export interface RunningPasserelle {
  /** Base URL of the server, e.g. http://127.0.0.1:3978 */
  url: string;
  /** Resolves once the database answered and every index exists (the server answers before, from the first request). */
  databaseReady: Promise<void>;
  stop(): Promise<void>;
  /** Runs one pass of the acceptance watcher now (tests, with a controllable clock). */
  watchAcceptancesNow(): Promise<void>;
  /** Runs the weekly guest review reminder now (tests). */
  remindGuestReviewsNow(): Promise<void>;
  /** The weekly reminder of access requests still waiting, now (tests). */
  remindPendingRequestsNow(): Promise<void>;
  /** The weekly check of the structures' main managers, now (tests). */
  checkMainManagersNow(): Promise<void>;
  /** Runs one pass of the support requests' sweep now (closing, warnings, reminders). */
  sweepSupportNow(): Promise<{ warned: number; closed: number; reminded: number }>;
  /** The bot's commands and card verbs, as registered (tests hold their requirements to the use cases'). */
  handlers: ReturnType<PasserelleBot['registered']>;
}

/**
 * The one place where things are wired, in order: config -> MongoDB -> stores -> the Teams side's
 * outbound messages -> use cases -> the bot -> HTTP routes -> background work. Each step is a small
 * factory in bot/wiring; nothing is bound late and nothing is shared behind the factories' backs.
 */
export async function startPasserelle(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningPasserelle> {
  if (!config.MONGODB_URI) throw new Error('MONGODB_URI manquant : en mode local, lancez « npm start » qui démarre une base locale.');
  const now = options.now ?? (() => new Date());

  const mongo = connectMongo(config.MONGODB_URI, { onCommand: options.onDatabaseCommand });
  const db = mongo.db(config.MONGODB_DB);
  const connection = connectInBackground(mongo, db, logger.child('store'));
  const stores = createStores(db);

  const adapter = createBotAdapter(config, options.botOpenIdMetadataUrl);
  const firmSettings = createFirmSettings(stores);
  const outbound = createTeamsOutbound({ adapter, stores, firmSettings, config, logger });
  const directory = GraphDirectory.fromConfig(config, logger);
  const workQueued = new WorkQueuedSignal();
  const useCases = createUseCases(
    stores,
    firmSettings,
    {
      directory,
      welcomer: outbound.messenger,
      accessNotifier: outbound.messenger,
      pendingRequests: outbound.messenger,
      mainManagers: outbound.messenger,
      offerCards: outbound.offerCards,
      guestReview: outbound.guestReview,
      supportNotifier: outbound.supportCards,
      // With a firm mailbox the offer e-mail is sent through Graph; without one it is shown ready to copy.
      mailer: config.OFFER_MAILBOX ? { send: (message) => directory.sendMail(config.OFFER_MAILBOX!, message) } : undefined,
      workQueued: workQueued.notify,
    },
    { now, redirectUrl: config.INVITE_REDIRECT_URL, imports: options.imports, logger: logger.child('use-cases') },
  );

  const bot = createTeamsBot({ useCases, stores, outbound, workQueued: workQueued.notify, config, logger });
  const server = createHttpServer({ useCases, stores, adapter, bot, db, version, config, logger });
  const background = createBackgroundWork({
    stores, useCases, reporter: outbound.messenger, workQueued, databaseReady: connection.ready, config, logger, now,
    runner: options.runner, auditSweepEveryMs: options.auditSweepEveryMs,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.HOST}:${typeof address === 'object' && address ? address.port : config.PORT}`;
  logger.info('Passerelle listening', { url });
  background.start(options.backgroundWork !== false);

  return {
    url,
    databaseReady: connection.ready,
    watchAcceptancesNow: () => background.watchAcceptancesNow(),
    remindGuestReviewsNow: () => background.remindGuestReviewsNow(),
    remindPendingRequestsNow: () => background.remindPendingRequestsNow(),
    checkMainManagersNow: () => background.checkMainManagersNow(),
    sweepSupportNow: () => background.sweepSupportNow(),
    handlers: bot.registered(),
    async stop() {
      await background.stop();
      connection.cancel();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mongo.close();
    },
  };
}
