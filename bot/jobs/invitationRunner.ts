import { randomUUID } from 'node:crypto';
import { DirectoryError } from '../domain/directory.js';
import type { GuestOnboardingService, InvitationOutcome, ReminderOutcome } from '../domain/guestOnboardingService.js';
import { StorageUnavailableError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { InvitationJob, InvitationJobItem, InvitationJobStore } from './invitationJobs.js';
import type { WorkerHeartbeats } from './workerHeartbeats.js';
import type { OfferService } from '../domain/offers/offerService.js';
import type { ImportService } from '../domain/importService.js';
import type { IdentityChanges } from '../domain/identityChange.js';

/** What an offer job needs of the offer service. */
export type OfferProposer = Pick<OfferService, 'propose'>;
/** What an identity change job needs (bot/domain/identityChange.ts). */
export type IdentityChangeRunner = Pick<IdentityChanges, 'complete'>;
/** What an import job needs of the import service. */
export type ImportWriter = Pick<ImportService, 'writeBatch' | 'abandonBatch' | 'complete'>;

/** Reports a job's progress where it was started (the Teams layer updates one card). */
export interface JobProgressReporter {
  report(job: InvitationJob): Promise<void>;
}

const skippedOutcomes: (InvitationOutcome | ReminderOutcome)[] = ['alreadyInvited', 'alreadyGuest', 'contactNotFound', 'notWaiting'];

export interface RunnerOptions {
  /** Batches processed at once; each batch is one directory search ($batch) then its invitations. */
  concurrency: number;
  batchSize: number;
  leaseMs: number;
  idleDelayMs: number;
  maxAttempts: number;
  /** Progress is reported at most this often per job (and always at the end). */
  reportEveryMs: number;
  /** How often this worker says it is alive (when heartbeats are wired). */
  heartbeatEveryMs: number;
  /** A worker silent this long is dead: its items are taken back without waiting for their leases. */
  silentAfterMs: number;
}

// Twelve batches of twenty keep more than one window of invitations (150) waiting at the limiter; a
// 9 s lease renewed every 3 s bounds how long a dead server's items wait when heartbeats are not
// wired; with them, a server silent for 4 s (four missed beats) loses its items to the others at once.
export const defaultRunnerOptions: RunnerOptions = {
  concurrency: 12,
  batchSize: 20,
  leaseMs: 9_000,
  idleDelayMs: 500,
  maxAttempts: 8,
  reportEveryMs: 2_000,
  heartbeatEveryMs: 1_000,
  silentAfterMs: 4_000,
};

const newWorkerName = () => `runner-${randomUUID()}`;

/**
 * Works through invitation items until stopped. Each contact goes through the onboarding service,
 * which searches the directory before inviting: a retry after a crash never invites twice.
 */
export class InvitationRunner {
  /** This worker's name on its leases; a new one if it was ever declared dead (see WorkerHeartbeats). */
  private owner = newWorkerName();
  private registered = false;
  /** When this worker last knew itself alive in the database (its own clock). */
  private lastBeatOkAt = 0;
  /** Workers whose heartbeat stopped: their items are free for this one to take. */
  private deadOwners: string[] = [];
  private heartbeatTimer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private heldBack = false;
  private readonly inFlight = new Set<string>();
  private readonly lastReport = new Map<string, number>();
  private readonly reporting = new Map<string, Promise<void>>();
  private running = false;
  private loops: Promise<void>[] = [];
  private renewTimer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(
    private readonly deps: {
      store: InvitationJobStore;
      onboarding: GuestOnboardingService;
      reporter: JobProgressReporter;
      logger: Logger;
      now: () => Date;
      options?: Partial<RunnerOptions>;
      /** Several server instances on one database: dead ones are noticed and their items taken back. */
      heartbeats?: WorkerHeartbeats;
      /** Offer jobs propose through the offer service. */
      offers?: OfferProposer;
      /** Import jobs write their batches through the import service. */
      imports?: ImportWriter;
      /** Identity change jobs carry out a contact's change of e-mail. */
      identityChanges?: IdentityChangeRunner;
    },
  ) {}

  private get options(): RunnerOptions {
    return { ...defaultRunnerOptions, ...this.deps.options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { concurrency, leaseMs } = this.options;
    this.loops = Array.from({ length: concurrency }, () => this.loop());
    this.renewTimer = setInterval(() => {
      this.deps.store.renew(this.owner, [...this.inFlight], this.deps.now(), leaseMs).catch((error: unknown) => this.deps.logger.warn('lease renewal failed', { error }));
    }, Math.max(1_000, Math.floor(leaseMs / 3)));
    if (this.deps.heartbeats) {
      this.beating = this.heartbeat();
      this.heartbeatTimer = setInterval(() => {
        this.beating = this.heartbeat();
      }, this.options.heartbeatEveryMs);
    }
  }

  /** Says this worker is alive, and learns which workers are not. */
  private async heartbeat(): Promise<void> {
    const heartbeats = this.deps.heartbeats!;
    const now = this.deps.now();
    try {
      if (!this.registered) {
        await heartbeats.register(this.owner, now);
        this.registered = true;
      } else if (!(await heartbeats.beat(this.owner, now))) {
        // Declared dead while paused: the items of that name are someone else's now; work on under a new one.
        this.deps.logger.warn('this worker was declared dead while silent; it goes on under a new name', { previous: this.owner });
        this.owner = newWorkerName();
        this.registered = false;
        return;
      }
      this.lastBeatOkAt = Date.now();
      this.deadOwners = (await heartbeats.deadWorkers(new Date(now.getTime() - this.options.silentAfterMs), now)).filter((owner) => owner !== this.owner);
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) this.deps.logger.warn('worker heartbeat failed', { error });
    }
  }

  /**
   * Without a recent beat, others may be about to declare this worker dead and take its items: it
   * starts nothing new then (a margin of one beat under their patience).
   */
  private mayStartWork(): boolean {
    if (!this.deps.heartbeats) return true;
    const { heartbeatEveryMs, silentAfterMs } = this.options;
    const fresh = Date.now() - this.lastBeatOkAt < silentAfterMs - heartbeatEveryMs;
    // Said once per pause (not before the first beat): a server often held back this way has a slow database.
    if (!fresh && !this.heldBack && this.lastBeatOkAt > 0) this.deps.logger.warn('no new invitation work: this worker’s heartbeat is late', { sinceMs: Date.now() - this.lastBeatOkAt });
    this.heldBack = !fresh;
    return fresh;
  }

  /** New work was queued: stop idling now rather than at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  /** Stops claiming, lets the batches in hand finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await Promise.all(this.loops);
    await this.beating;
    if (this.deps.heartbeats && this.registered) {
      await this.deps.heartbeats.retire(this.owner).catch((error: unknown) => this.deps.logger.warn('worker heartbeat not removed', { error }));
    }
  }

  private async loop(): Promise<void> {
    const { batchSize, leaseMs, idleDelayMs } = this.options;
    while (this.running) {
      let items: InvitationJobItem[] = [];
      try {
        if (this.mayStartWork()) items = await this.deps.store.claim(this.owner, batchSize, this.deps.now(), leaseMs, this.deadOwners);
      } catch (error) {
        if (!(error instanceof StorageUnavailableError)) this.deps.logger.error('claiming invitation items failed', { error });
      }
      if (items.length === 0) {
        await this.reconcileNow();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleDelayMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      await this.processBatch(items).catch((error: unknown) => this.deps.logger.error('invitation batch failed', { error }));
    }
  }

  private lastReconcile = 0;

  /** While idle, at most every few seconds: finish jobs a crash left with a missed count. */
  private async reconcileNow(): Promise<void> {
    if (Date.now() - this.lastReconcile < 5_000) return;
    this.lastReconcile = Date.now();
    try {
      for (const job of await this.deps.store.reconcileStalled(this.deps.now())) {
        this.deps.logger.warn('invitation job finished by reconciliation', { jobId: job.id });
        await this.completeImport(job);
        await this.maybeReport(job);
      }
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) this.deps.logger.error('job reconciliation failed', { error });
    }
  }

  private async processBatch(items: InvitationJobItem[]): Promise<void> {
    for (const item of items) this.inFlight.add(item.id);
    try {
      const byJob = new Map<string, InvitationJobItem[]>();
      for (const item of items) byJob.set(item.jobId, [...(byJob.get(item.jobId) ?? []), item]);
      for (const [jobId, jobItems] of byJob) {
        const job = await this.deps.store.findById(jobId);
        if (!job) continue;
        if (job.kind === 'import') {
          for (const item of jobItems) await this.writeImportBatch(job, item);
          continue;
        }
        if (job.kind === 'identityChange') {
          const changes = this.deps.identityChanges;
          let latestChange: InvitationJob | null = null;
          for (const item of jobItems) latestChange = (await this.settle(item, changes ? await changes.complete(job.firmId, item.contactId) : 'contactNotFound')) ?? latestChange;
          if (latestChange) await this.maybeReport(latestChange);
          continue;
        }
        if (job.kind === 'offer') {
          let latestOffer: InvitationJob | null = null;
          for (const item of jobItems) latestOffer = (await this.proposeOffer(job, item)) ?? latestOffer;
          if (latestOffer) await this.maybeReport(latestOffer);
          continue;
        }
        const contactIds = jobItems.map((item) => item.contactId);
        const results: Map<string, InvitationOutcome | ReminderOutcome | DirectoryError> =
          job.kind === 'remind'
            ? await this.deps.onboarding.remindContacts(job.firmId, contactIds, job.createdBy)
            : await this.deps.onboarding.inviteContacts(job.firmId, contactIds, job.createdBy, job.personalMessage);
        let latest: InvitationJob | null = null;
        for (const item of jobItems) latest = (await this.settle(item, results.get(item.contactId))) ?? latest;
        if (latest) await this.maybeReport(latest);
      }
    } finally {
      for (const item of items) this.inFlight.delete(item.id);
    }
  }

  /** One (file, contact) of an offer job; proposing again after a restart finds the offer this job made. */
  private async proposeOffer(job: InvitationJob, item: InvitationJobItem): Promise<InvitationJob | null> {
    const now = this.deps.now();
    const proposer = this.deps.offers;
    if (!proposer || !job.offerId || !item.clientFileId) return this.deps.store.finish(this.owner, item, 'failed', 'offerUnavailable', now);
    const outcome = await proposer.propose(job.firmId, job.createdBy, { clientFileId: item.clientFileId, contactId: item.contactId, offerId: job.offerId });
    const madeByThisJob = 'subscription' in outcome && outcome.subscription.proposed.at.getTime() >= job.createdBy.at.getTime() && outcome.subscription.offerId === job.offerId;
    const done = outcome.status === 'activated' || outcome.status === 'invitationStarted' || outcome.status === 'waitingForGuest' || (outcome.status === 'unchanged' && madeByThisJob);
    return this.deps.store.finish(this.owner, item, done ? 'done' : 'skipped', outcome.status, now);
  }

  /**
   * One batch of an import job. A database outage puts it back for later (never 'failed'): the batch
   * is written again, finding by natural key what it had written, so the job resumes where it stopped.
   */
  private async writeImportBatch(job: InvitationJob, item: InvitationJobItem): Promise<void> {
    const writer = this.deps.imports;
    let finished: InvitationJob | null;
    try {
      if (!writer || item.importBatch === undefined) {
        finished = await this.deps.store.finish(this.owner, item, 'failed', 'importUnavailable', this.deps.now());
      } else if ((await writer.writeBatch(job, item.importBatch)) === 'waiting') {
        // Batches are written in file order: this one comes back once the one before it is written.
        await this.deps.store.retryLater(this.owner, item, new Date(this.deps.now().getTime() + 200), 'waitingForPreviousBatch');
        return;
      } else {
        finished = await this.deps.store.finish(this.owner, item, 'done', 'written', this.deps.now());
      }
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) {
        this.deps.logger.error('import batch failed', { jobId: job.id, batch: item.importBatch, error });
        if (item.attempts >= this.options.maxAttempts && writer && item.importBatch !== undefined) {
          await writer.abandonBatch(job, item.importBatch);
          finished = await this.deps.store.finish(this.owner, item, 'failed', 'writeFailed', this.deps.now());
          if (finished) await this.completeImport(finished);
          return;
        }
      }
      const waitSeconds = Math.min(30, 2 ** Math.min(item.attempts, 5));
      // If the database is still down this fails too: the lease then expires and the batch is claimed again.
      await this.deps.store.retryLater(this.owner, item, new Date(this.deps.now().getTime() + waitSeconds * 1_000), 'storageUnavailable').catch(() => undefined);
      return;
    }
    if (finished) await this.completeImport(finished);
  }

  private async completeImport(job: InvitationJob): Promise<void> {
    if (job.kind !== 'import' || job.status !== 'finished') return;
    await this.deps.imports?.complete(job);
  }

  private async settle(item: InvitationJobItem, result: InvitationOutcome | ReminderOutcome | DirectoryError | undefined): Promise<InvitationJob | null> {
    const now = this.deps.now();
    if (result instanceof DirectoryError) {
      if (result.transient && item.attempts < this.options.maxAttempts) {
        const waitSeconds = result.retryAfterSeconds ?? Math.min(300, 2 ** item.attempts);
        await this.deps.store.retryLater(this.owner, item, new Date(now.getTime() + waitSeconds * 1_000), result.kind);
        return null;
      }
      return this.deps.store.finish(this.owner, item, 'failed', result.transient ? 'retriesExhausted' : result.kind, now);
    }
    const outcome = result ?? 'contactNotFound';
    const status = outcome === 'invited' || outcome === 'reminded' ? 'done' : outcome === 'staffAccount' ? 'failed' : skippedOutcomes.includes(outcome) ? 'skipped' : 'done';
    return this.deps.store.finish(this.owner, item, status, outcome, now);
  }

  /**
   * Reports one job at a time and from a fresh read, so batches finishing together can never
   * leave an older "in progress" card on top of the final one.
   */
  private maybeReport(job: InvitationJob): Promise<void> {
    const now = Date.now();
    const last = this.lastReport.get(job.id) ?? 0;
    if (job.status !== 'finished' && now - last < this.options.reportEveryMs) return Promise.resolve();
    this.lastReport.set(job.id, now);
    const previous = this.reporting.get(job.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const fresh = await this.deps.store.findById(job.id);
        if (fresh) await this.deps.reporter.report(fresh);
      } catch (error) {
        this.deps.logger.warn('job progress not reported', { jobId: job.id, error });
      }
    });
    this.reporting.set(job.id, next);
    void next.then(() => {
      if (this.reporting.get(job.id) === next) {
        this.reporting.delete(job.id);
        if (job.status === 'finished') this.lastReport.delete(job.id);
      }
    });
    return next;
  }
}
