import t from 'tap';
import { startLoopLagProbe } from '../../../src/observability/loop-lag-probe.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('the probe sees a loop kept busy, and forgets it when reset', async (t) => {
  const probe = startLoopLagProbe();
  t.teardown(() => { probe.stop(); });
  t.equal(probe.busy(), 0, 'nothing measured yet');
  // Busy for 1.2 s (more than the probe's window) in 20 ms slices, each followed by a yield to the timers.
  for (let slice = 0; slice < 60; slice++) {
    const until = performance.now() + 20;
    while (performance.now() < until) {
      // Spinning on purpose: the loop is working.
    }
    await new Promise((r) => setImmediate(r));
  }
  await sleep(60);
  t.ok(probe.busy() > 0.3, `busy ${probe.busy().toFixed(2)} while the loop worked`);
  probe.reset();
  t.equal(probe.busy(), 0, 'reset forgets it');
  t.equal(probe.lagMs(), 0);
  for (let slice = 0; slice < 10; slice++) {
    const until = performance.now() + 20;
    while (performance.now() < until) {
      // Busy again, but for less than a whole window after the reset.
    }
    await new Promise((r) => setImmediate(r));
  }
  t.equal(probe.busy(), 0, 'a short busy spell right after a reset (start-up) is not told');
  await sleep(1200);
  t.ok(probe.busy() < 0.3, `busy ${probe.busy().toFixed(2)} over an idle second`);
});
