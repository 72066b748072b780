import { StorageUnavailableError } from '../domain/errors.js';
import type { SupportRequests } from '../domain/support/supportRequests.js';
import type { Logger } from '../logger.js';

/**
 * The support requests' durable timers, from a periodic sweep of what is due (stored on each request):
 * the warning a day before a resolved request closes by itself, its closing, and the reminder of a
 * request still without a first answer. Every step is a conditional update: two instances sweeping at
 * once act once.
 */
export class SupportSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(private readonly deps: { support: SupportRequests; logger: Logger; everyMs: number }) {}

  start(): void {
    this.stopped = false;
    this.schedule(5_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now (the schedule's, and tests' with a controllable clock). */
  async tick(): Promise<{ warned: number; closed: number; reminded: number }> {
    try {
      const tally = await this.deps.support.sweep();
      if (tally.warned + tally.closed + tally.reminded > 0) this.deps.logger.info('support requests swept', tally);
      return tally;
    } catch (error) {
      this.deps.logger[error instanceof StorageUnavailableError ? 'warn' : 'error']('support sweep failed', { error });
      return { warned: 0, closed: 0, reminded: 0 };
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then(() => undefined).finally(() => this.schedule(this.deps.everyMs));
    }, delayMs);
  }
}
