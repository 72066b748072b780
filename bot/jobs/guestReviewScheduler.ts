import { StorageUnavailableError } from '../domain/errors.js';
import type { GuestReviewReminder } from '../domain/guestReviewReminder.js';
import type { Logger } from '../logger.js';

/** Runs the weekly guest review reminder every hour or so; the week's claim makes it once a week per firm, whichever instance runs. */
export class GuestReviewScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(private readonly deps: { reminder: GuestReviewReminder; logger: Logger; everyMs: number }) {}

  start(): void {
    this.stopped = false;
    this.schedule(60_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    try {
      const tally = await this.deps.reminder.tick();
      if (tally.notified > 0) this.deps.logger.info('guest reviews sent', tally);
    } catch (error) {
      this.deps.logger[error instanceof StorageUnavailableError ? 'warn' : 'error']('guest review reminder failed', { error });
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.deps.everyMs));
    }, delayMs);
  }
}
