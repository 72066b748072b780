import { StorageUnavailableError } from '../domain/errors.js';
import type { GuestReviewReminder } from '../domain/guestReviewReminder.js';
import type { Logger } from '../logger.js';
import { PeriodicWork } from './periodicWork.js';

/** Runs the weekly guest review reminder every hour or so; the week's claim makes it once a week per firm, whichever instance runs. */
export class GuestReviewScheduler {
  private readonly periodic: PeriodicWork;

  constructor(private readonly deps: { reminder: GuestReviewReminder; logger: Logger; everyMs: number }) {
    this.periodic = new PeriodicWork(() => this.tick(), { firstAfterMs: 60_000, everyMs: this.deps.everyMs });
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  async tick(): Promise<void> {
    try {
      const tally = await this.deps.reminder.tick();
      if (tally.notified > 0) this.deps.logger.info('guest reviews sent', tally);
    } catch (error) {
      this.deps.logger[error instanceof StorageUnavailableError ? 'warn' : 'error']('guest review reminder failed', { error });
    }
  }
}
