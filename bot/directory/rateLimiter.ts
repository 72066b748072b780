/**
 * Client-side pacing: a sliding-window limiter (at most `limit` grants in any `windowMs`),
 * first come first served, that a 429 can pause. Used by GraphDirectory to stay under
 * Microsoft Graph's documented limits and by the local tenant to enforce them.
 */

/** Time source, injectable so tests drive the limiter with a fake clock. */
export interface LimiterClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: LimiterClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A waiting limiter must not keep the process alive on its own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on the given clock. */
export function sleep(ms: number, clock: LimiterClock = systemClock): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, Math.max(0, ms));
  });
}

interface Grant {
  time: number;
}

/**
 * The slots one acquisition holds. Releasing it when the request has completed restarts their
 * window at that moment: the server counts a request when it arrives, which is after we sent it,
 * so counting from completion keeps us under its limit whatever the latency.
 */
export interface LimiterLease {
  /** The request completed: its slot stays counted for a window from now. */
  release(): void;
  /** The request was refused (429): the server did not count it, so neither do we. */
  cancel(): void;
}

interface Waiter {
  count: number;
  resolve: (lease: LimiterLease) => void;
  reject: (error: unknown) => void;
}

export interface SlidingWindowLimiterOptions {
  /** Grants allowed in any window. */
  limit: number;
  windowMs: number;
  clock?: LimiterClock;
}

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: LimiterClock;
  /** Grants still inside the window, oldest first. */
  private grants: Grant[] = [];
  private readonly queue: Waiter[] = [];
  private pausedUntilTime = 0;
  private timer: unknown = undefined;
  private timerDue = Infinity;

  constructor(options: SlidingWindowLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be a positive integer');
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Waits until `count` slots are free (a $batch takes one slot per request it carries),
   * in arrival order. A count above the limit is clamped: it waits for an empty window.
   */
  acquire(count = 1, signal?: AbortSignal): Promise<LimiterLease> {
    const wanted = Math.min(Math.max(1, Math.floor(count)), this.limit);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<LimiterLease>((resolve, reject) => {
      const waiter: Waiter = { count: wanted, resolve, reject };
      this.queue.push(waiter);
      if (signal) {
        signal.addEventListener(
          'abort',
          () => {
            const index = this.queue.indexOf(waiter);
            if (index >= 0) {
              this.queue.splice(index, 1);
              reject(signal.reason);
              this.drain();
            }
          },
          { once: true },
        );
      }
      this.drain();
    });
  }

  /** Takes the slots now if they are free and nobody is waiting; never waits. */
  tryAcquire(count = 1): boolean {
    const wanted = Math.min(Math.max(1, Math.floor(count)), this.limit);
    if (this.queue.length > 0 || this.delayFor(wanted) > 0) return false;
    this.take(wanted);
    return true;
  }

  /** Milliseconds before `count` slots would be free (0 when free now). */
  delayFor(count = 1): number {
    const now = this.clock.now();
    this.prune(now);
    const wanted = Math.min(Math.max(1, Math.floor(count)), this.limit);
    const pauseDelay = Math.max(0, this.pausedUntilTime - now);
    const excess = this.grants.length + wanted - this.limit;
    if (excess <= 0) return pauseDelay;
    // The oldest `excess` grants must leave the window first.
    const freedAt = this.grants[excess - 1]!.time + this.windowMs;
    return Math.max(pauseDelay, freedAt - now);
  }

  /** No grant for `ms` from now (a 429 with Retry-After): waiting requests stay queued. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntilTime = Math.max(this.pausedUntilTime, this.clock.now() + ms);
    this.drain();
  }

  get pausedUntil(): number {
    return this.pausedUntilTime;
  }

  /** Slots free right now. */
  get available(): number {
    this.prune(this.clock.now());
    return this.clock.now() < this.pausedUntilTime ? 0 : Math.max(0, this.limit - this.grants.length);
  }

  /** Requests waiting for a slot. */
  get pending(): number {
    return this.queue.length;
  }

  private take(count: number): LimiterLease {
    const now = this.clock.now();
    const taken: Grant[] = [];
    for (let i = 0; i < count; i += 1) taken.push({ time: now });
    this.grants.push(...taken);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const mine = new Set(taken);
        this.grants = this.grants.filter((grant) => !mine.has(grant));
        const completedAt = this.clock.now();
        // Every other grant is at or before now, so appending keeps the order. A grant already
        // out of the window comes back too: the server may have counted it as late as now.
        for (const grant of taken) grant.time = completedAt;
        this.grants.push(...taken);
      },
      cancel: () => {
        if (released) return;
        released = true;
        const mine = new Set(taken);
        this.grants = this.grants.filter((grant) => !mine.has(grant));
        this.drain();
      },
    };
  }

  private prune(now: number): void {
    let expired = 0;
    while (expired < this.grants.length && this.grants[expired]!.time + this.windowMs <= now) expired += 1;
    if (expired > 0) this.grants.splice(0, expired);
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const delay = this.delayFor(head.count);
      if (delay > 0) {
        this.schedule(delay);
        return;
      }
      this.queue.shift();
      head.resolve(this.take(head.count));
    }
    this.cancelTimer();
  }

  private schedule(delay: number): void {
    const due = this.clock.now() + delay;
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.cancelTimer();
    this.timerDue = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.drain();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }
}
