import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PeriodicWork } from '../../bot/jobs/periodicWork.js';

describe('PeriodicWork (the schedule of background passes)', () => {
  it('runs passes one after another, never two at once, and stop waits for the pass in hand', async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    let finished = 0;
    const work = new PeriodicWork(
      async () => {
        running++;
        most = Math.max(most, running);
        passes++;
        await sleep(30);
        running--;
        finished++;
      },
      { firstAfterMs: 1, everyMs: 1 },
    );
    work.start();
    while (passes < 3) await sleep(5);
    await work.stop();
    assert.equal(most, 1, 'a pass starts only once the previous one ended');
    assert.equal(finished, passes, 'stop returned after the pass in hand finished');
    const after = passes;
    await sleep(60);
    assert.equal(passes, after, 'no pass starts after stop');
  });

  it('goes on after a pass that fails', async () => {
    let passes = 0;
    const work = new PeriodicWork(
      async () => {
        passes++;
        if (passes === 1) throw new Error('first pass fails');
      },
      { firstAfterMs: 1, everyMs: 1 },
    );
    work.start();
    while (passes < 2) await sleep(5);
    await work.stop().catch(() => undefined);
    assert.ok(passes >= 2, 'a second pass ran after the failed one');
  });
});
