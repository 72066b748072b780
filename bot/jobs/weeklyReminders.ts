import { StorageUnavailableError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { PeriodicWork } from './periodicWork.js';

/** A weekly notice: each pass sends what is due; the week's claim on the firm keeps it to one a week, whichever instance runs. */
export interface WeeklyReminder {
  tick(): Promise<{ firms: number; notified: number }>;
}

/**
 * Runs the weekly reminders (guests to review, access requests still waiting) every hour or so. One
 * reminder failing does not keep the others from running.
 */
export class WeeklyReminders<Name extends string> {
  private readonly periodic: PeriodicWork;

  constructor(private readonly deps: { reminders: Record<Name, WeeklyReminder>; logger: Logger; everyMs: number }) {
    this.periodic = new PeriodicWork(() => this.tick(), { firstAfterMs: 60_000, everyMs: this.deps.everyMs });
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass of every reminder, or of the one named (tests). */
  async tick(only?: Name): Promise<void> {
    for (const name of Object.keys(this.deps.reminders) as Name[]) {
      if (only && name !== only) continue;
      try {
        const tally = await this.deps.reminders[name].tick();
        if (tally.notified > 0) this.deps.logger.info('weekly reminder sent', { reminder: name, ...tally });
      } catch (error) {
        this.deps.logger[error instanceof StorageUnavailableError ? 'warn' : 'error']('weekly reminder failed', { reminder: name, error });
      }
    }
  }
}
