import t from 'tap';
import { idleShareFromStatus } from '../../../src/engines/freeswitch/idle-cpu.ts';
import { hostIdleSampler } from '../../../src/engines/telemetry/host-idle.ts';
import { IdleCpuPoller, type IdleSampler } from '../../../src/engines/telemetry/idle-cpu-poller.ts';
import { waitUntil } from '../../support/wait.ts';

t.test("FreeSWITCH's status reply gives its idle CPU", async (t) => {
  const reply = [
    'UP 0 years, 0 days, 0 hours, 3 minutes, 12 seconds, 401 milliseconds, 99 microseconds',
    'FreeSWITCH (Version 1.10.12 -release 64bit) is ready',
    '12 session(s) since startup',
    '3 session(s) - peak 5, last 5min 5 ',
    '1 session(s) per Sec out of max 100, peak 4, last 5min 4 ',
    '2000 session(s) max',
    'min idle cpu 0.00/87.25',
    '',
  ].join('\n');
  t.equal(idleShareFromStatus(reply), 0.8725);
  t.equal(idleShareFromStatus('min idle cpu 10.00/0.00\n'), 0, 'saturated');
  t.equal(idleShareFromStatus('-ERR no reply\n'), undefined, 'not a status reply');
  t.equal(idleShareFromStatus('min idle cpu 0.00/abc\n'), undefined);
});

t.test("this machine's idle share is taken between two readings of every core", async (t) => {
  const times = (idle: number, busy: number) => [{ times: { user: busy, nice: 0, sys: 0, idle, irq: 0 } }, { times: { user: busy, nice: 0, sys: 0, idle, irq: 0 } }];
  const readings = [times(1000, 1000), times(1300, 1100), times(1300, 1100)];
  let i = 0;
  const sample = hostIdleSampler(() => readings[Math.min(i++, readings.length - 1)] ?? []);
  t.equal(await sample(), undefined, 'the first reading is only the baseline');
  t.equal(await sample(), 0.75, '300 ms idle of 400 on each core');
  t.equal(await sample(), undefined, 'no time passed: unknown, not 0');
});

t.test('the poller keeps the latest sample, takes a late one as busy, a failed one as unknown', async (t) => {
  let next: () => Promise<number | undefined> = () => Promise.resolve(0.5);
  const sampler: IdleSampler = () => next();
  const poller = new IdleCpuPoller(sampler, { intervalMs: 10, timeoutMs: 40 });
  t.teardown(() => { poller.stop(); });
  const becomes = (idle: number | undefined, what: string): Promise<unknown> => t.resolves(waitUntil(() => poller.idle === idle, 2000, what), what);
  t.equal(poller.idle, undefined, 'unknown before the first sample');
  poller.start();
  await becomes(0.5, 'the sample');
  next = () => new Promise(() => undefined);
  await becomes(0, 'a media server that does not answer in time counts as busy');
  next = () => Promise.resolve(1.7);
  await becomes(1, 'polling goes on after a late sample; a share is kept within 0–1');
  next = () => Promise.reject(new Error('gone'));
  await becomes(undefined, 'a failed sample is unknown');
  poller.stop();
  next = () => Promise.resolve(0.3);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(poller.idle, undefined, 'stopped: nothing more is measured');
});
