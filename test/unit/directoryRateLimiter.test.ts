import assert from 'node:assert/strict';
import { SlidingWindowLimiter, type LimiterClock } from '../../bot/directory/rateLimiter.js';

/** A clock the test moves by hand; timers fire in due order as time passes. */
class FakeClock implements LimiterClock {
  time = 0;
  private nextId = 1;
  private timers: { id: number; due: number; callback: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, due: this.time + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.due;
      due.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts `count` acquisitions and records which have been granted. */
function acquireMany(limiter: SlidingWindowLimiter, count: number, order: number[] = []) {
  const granted = new Set<number>();
  for (let index = 0; index < count; index += 1) {
    void limiter.acquire().then(() => {
      granted.add(index);
      order.push(index);
    });
  }
  return granted;
}

describe('SlidingWindowLimiter', () => {
  it('lets the first 150 go at once and makes the 151st wait until the window frees', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 150, windowMs: 5_000, clock });
    const granted = acquireMany(limiter, 151);
    await settle();
    assert.equal(granted.size, 150, 'the first 150 invitations go without waiting');
    assert.ok(!granted.has(150), 'the 151st waits');
    assert.equal(limiter.pending, 1);
    assert.equal(limiter.delayFor(), 5_000, 'the wait is the time until the oldest grant leaves the window');

    await clock.advance(4_999);
    assert.ok(!granted.has(150), 'still waiting 1 ms before the window frees');
    await clock.advance(1);
    assert.ok(granted.has(150), 'granted as soon as the oldest grant leaves the window');
    assert.equal(limiter.pending, 0);
  });

  it('slides: slots free up as the grants that used them age out, not all at once', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 150, windowMs: 5_000, clock });
    acquireMany(limiter, 100);
    await settle();
    await clock.advance(2_000);
    const later = acquireMany(limiter, 50);
    await settle();
    assert.equal(later.size, 50, '100 + 50 fit in one window');

    const waiting = acquireMany(limiter, 60);
    await settle();
    assert.equal(waiting.size, 0, 'the window is full');
    await clock.advance(3_000); // t = 5000: the 100 granted at t = 0 leave the window
    assert.equal(waiting.size, 60, 'the 60 waiting requests fit in the 100 freed slots');
    assert.equal(limiter.available, 40);
  });

  it('serves waiting requests in arrival order', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1_000, clock });
    const order: number[] = [];
    acquireMany(limiter, 6, order);
    await clock.advance(3_000);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  });

  it('counts a batch as one slot per request it carries, clamped to the limit', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 4, windowMs: 1_000, clock });
    await limiter.acquire(3);
    assert.equal(limiter.available, 1);
    let big = false;
    void limiter.acquire(20).then(() => {
      big = true;
    });
    await settle();
    assert.equal(big, false, 'a request worth more than the free slots waits');
    await clock.advance(1_000);
    assert.equal(big, true, 'a count above the limit waits for an empty window, then takes it');
    assert.equal(limiter.available, 0);
  });

  it('pauses for Retry-After: nobody is granted until the pause ends, even with free slots', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 150, windowMs: 5_000, clock });
    limiter.pause(3_000);
    assert.equal(limiter.available, 0);
    const granted = acquireMany(limiter, 5);
    await clock.advance(2_999);
    assert.equal(granted.size, 0, 'concurrent requests wait out the pause instead of hitting the wall');
    await clock.advance(1);
    assert.equal(granted.size, 5);

    limiter.pause(2_000);
    limiter.pause(500);
    assert.equal(limiter.pausedUntil, clock.now() + 2_000, 'a shorter Retry-After does not shorten a pause');
  });

  it('a pause longer than the window wins over freed slots', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 100, clock });
    await limiter.acquire();
    const granted = acquireMany(limiter, 1);
    limiter.pause(1_000);
    await clock.advance(500);
    assert.equal(granted.size, 0);
    await clock.advance(500);
    assert.equal(granted.size, 1);
  });

  it('restarts the window of a released lease at completion, so server-side arrival times stay inside the limit', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1_000, clock });
    const first = await limiter.acquire();
    await limiter.acquire();
    const waiting = acquireMany(limiter, 1);
    await clock.advance(300); // the first request completes 300 ms after it was sent
    first.release();
    first.release();
    await clock.advance(700); // t = 1000: the second slot's window ends, but the first one restarted at 300
    assert.equal(waiting.size, 1, 'the grant of the second request (t = 0) has left the window');
    const more = acquireMany(limiter, 1);
    await clock.advance(299);
    assert.equal(more.size, 0, 'the first request counts until 300 + 1000');
    await clock.advance(1);
    assert.equal(more.size, 1);
  });

  it('tryAcquire never waits and never jumps the queue', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1_000, clock });
    assert.equal(limiter.tryAcquire(), true);
    assert.equal(limiter.tryAcquire(), false);
    acquireMany(limiter, 1);
    await clock.advance(1_000);
    assert.equal(limiter.tryAcquire(), false, 'the waiting request took the freed slot');
  });

  it('drops a waiting request whose signal aborts', async () => {
    const clock = new FakeClock();
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1_000, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(1, controller.signal);
    const next = acquireMany(limiter, 1);
    controller.abort(new Error('gave up'));
    await assert.rejects(aborted, /gave up/);
    assert.equal(limiter.pending, 1);
    await clock.advance(1_000);
    assert.equal(next.size, 1, 'the request behind the aborted one is served');
  });

  it('refuses nonsense limits', () => {
    assert.throws(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1_000 }), RangeError);
    assert.throws(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0 }), RangeError);
  });
});
