import type { Config } from '../config.js';
import { AcceptanceWatcher } from '../jobs/acceptanceWatcher.js';
import { InvitationRunner, type JobProgressReporter, type RunnerOptions } from '../jobs/invitationRunner.js';
import type { WorkQueuedSignal } from '../jobs/workQueued.js';
import { SupportSweeper } from '../jobs/supportSweeper.js';
import { WeeklyReminders } from '../jobs/weeklyReminders.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import type { UseCases } from './useCases.js';

/**
 * What runs beside the requests: the audit relay (always), the portfolio's summaries (always), and,
 * unless a test drives them itself, the durable job runner and the guests' acceptance watcher.
 */
export function createBackgroundWork(deps: {
  stores: Stores;
  useCases: UseCases;
  reporter: JobProgressReporter;
  workQueued: WorkQueuedSignal;
  databaseReady: Promise<void>;
  config: Config;
  logger: Logger;
  now: () => Date;
  runner?: Partial<RunnerOptions>;
  auditSweepEveryMs?: number;
}) {
  const { stores, useCases, logger } = deps;
  const runner = new InvitationRunner({
    store: stores.invitationJobs,
    heartbeats: stores.heartbeats,
    onboarding: useCases.onboarding,
    reporter: deps.reporter,
    logger: logger.child('jobs'),
    now: deps.now,
    options: deps.runner,
    offers: useCases.offers,
    imports: useCases.imports,
    identityChanges: useCases.identityChanges,
  });
  // Hourly look, weekly card: the reminder itself knows when a firm's week is up, once whichever instance looks.
  // Support requests: automatic closing (with its warning) and first-answer reminders, once whichever instance sweeps.
  const supportSweeper = new SupportSweeper({ support: useCases.support, logger: logger.child('support'), everyMs: 60_000 });
  const weeklyReminders = new WeeklyReminders({
    reminders: { guestReview: useCases.guestReviewReminder, pendingRequests: useCases.pendingRequestsReminder, mainManager: useCases.mainManagerWatch },
    logger: logger.child('reminders'),
    everyMs: 3_600_000,
  });
  const watcher = new AcceptanceWatcher({ onboarding: useCases.onboarding, logger: logger.child('guests'), everyMs: deps.config.GUEST_WATCH_SECONDS * 1_000 });
  const projector = useCases.portfolioProjector;
  const stopListening: (() => void)[] = [];

  return {
    /** Starts the relay and the summaries; the runner and the watcher too when `jobs` is true. */
    start(jobs: boolean): void {
      stopListening.push(stores.auditRelay.subscribe((entry) => projector.onAuditEntry(entry)));
      // Audit entries a crash or an unreachable log left on their records reach the log at start-up, then every few seconds.
      stores.auditRelay.start(logger.child('audit'), deps.databaseReady, deps.auditSweepEveryMs);
      // Files written before summaries existed (or of an older shape) are summarised once the database answers.
      void deps.databaseReady
        .then(() => projector.rebuildStale())
        .then((count) => count > 0 && logger.info('portfolio summaries rebuilt', { count }))
        .catch((error: unknown) => logger.warn('portfolio summaries not rebuilt yet; they will be at the next start', { error }));
      if (!jobs) return;
      stopListening.push(deps.workQueued.listen(() => runner.nudge()));
      runner.start();
      watcher.start();
      weeklyReminders.start();
      supportSweeper.start();
    },
    /** One pass of the acceptance watcher now (tests, with a controllable clock). */
    watchAcceptancesNow: () => watcher.tick(),
    /** The weekly guest review reminder now (tests). */
    remindGuestReviewsNow: () => weeklyReminders.tick('guestReview'),
    /** The weekly reminder of access requests still waiting now (tests). */
    remindPendingRequestsNow: () => weeklyReminders.tick('pendingRequests'),
    /** The weekly check of the structures' main managers now (tests). */
    checkMainManagersNow: () => weeklyReminders.tick('mainManager'),
    /** One pass of the support sweep now (tests). */
    sweepSupportNow: () => supportSweeper.tick(),
    async stop(): Promise<void> {
      for (const stop of stopListening) stop();
      projector.stop();
      await Promise.all([runner.stop(), watcher.stop(), weeklyReminders.stop(), supportSweeper.stop(), stores.auditRelay.stop()]);
    },
  };
}
