import t from 'tap';
import { startLoopLagProbe } from '../../../src/observability/loop-lag-probe.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('the probe sees a loop kept busy, and forgets it when reset', async (t) => {
  const probe = startLoopLagProbe();
  t.teardown(() => { probe.stop(); });
  t.equal(probe.busy(), 0, 'nothing measured yet');
  // Busy for 400 ms in 20 ms slices, each followed by a yield to the timers.
  for (let slice = 0; slice < 20; slice++) {
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
  await sleep(200);
  t.ok(probe.busy() < 0.3, `busy ${probe.busy().toFixed(2)} while idle`);
});
