/**
 * Runs one pass of some background work after `firstAfterMs`, then `everyMs` after each pass ends
 * (never two passes at once in one process). What a pass does, and why doing it from two instances
 * is safe, belongs to the work itself; `stop` waits for the pass in hand.
 */
export class PeriodicWork {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(private readonly pass: () => Promise<unknown>, private readonly timing: { firstAfterMs: number; everyMs: number }) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.timing.firstAfterMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // Each pass reports its own failures; one that throws all the same must not end the schedule.
      this.running = this.pass()
        .catch(() => undefined)
        .finally(() => this.schedule(this.timing.everyMs));
    }, delayMs);
  }
}
