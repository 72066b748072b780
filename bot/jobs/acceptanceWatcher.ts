import type { GuestOnboardingService } from '../domain/guestOnboardingService.js';
import { StorageUnavailableError } from '../domain/errors.js';
import { DirectoryError } from '../domain/directory.js';
import type { Logger } from '../logger.js';
import { PeriodicWork } from './periodicWork.js';

/**
 * Notices without anyone asking that invited guests accepted: polls the directory on the back-off
 * each guest carries (nextCheckAt), sends reminders when due, and brings accepted guests into their team.
 */
export class AcceptanceWatcher {
  private readonly periodic: PeriodicWork;

  constructor(private readonly deps: { onboarding: GuestOnboardingService; logger: Logger; everyMs: number }) {
    this.periodic = new PeriodicWork(() => this.tick(), { firstAfterMs: 1_000, everyMs: this.deps.everyMs });
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass now (used by the schedule, and by tests with a controllable clock). */
  async tick(): Promise<void> {
    try {
      const tally = await this.deps.onboarding.watchAcceptances();
      // A pass where no guest moved is routine: only progress is worth a line at info level.
      const progressed = tally.accepted + tally.joined + tally.reminded > 0;
      if (tally.checked > 0) this.deps.logger[progressed ? 'info' : 'debug']('guests checked', tally);
    } catch (error) {
      const expected = error instanceof StorageUnavailableError || (error instanceof DirectoryError && error.transient);
      this.deps.logger[expected ? 'warn' : 'error']('acceptance check failed', { error });
    }
  }
}
