import { StorageUnavailableError } from '../domain/errors.js';
import type { SupportRequests } from '../domain/support/supportRequests.js';
import type { Logger } from '../logger.js';
import { PeriodicWork } from './periodicWork.js';

/**
 * The support requests' durable timers, from a periodic sweep of what is due (stored on each request):
 * the warning a day before a resolved request closes by itself, its closing, and the reminder of a
 * request still without a first answer. Every step is a conditional update: two instances sweeping at
 * once act once.
 */
export class SupportSweeper {
  private readonly periodic: PeriodicWork;

  constructor(private readonly deps: { support: SupportRequests; logger: Logger; everyMs: number }) {
    this.periodic = new PeriodicWork(() => this.tick(), { firstAfterMs: 5_000, everyMs: this.deps.everyMs });
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
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
}
