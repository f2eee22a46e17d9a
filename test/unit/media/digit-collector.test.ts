import t from 'tap';
import type { CollectOptions } from '../../../src/ports/media-options.ts';
import { DigitCollector, type Timers } from '../../../src/engines/embedded/media/digit-collector.ts';

/** A fake clock: timers fire only when the test advances time. */
function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, p]) => p.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

const base: CollectOptions = { minDigits: 1, maxDigits: 4, terminator: '#', firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 3000 };

t.test('collection ends when maxDigits is reached', async (t) => {
  const c = new DigitCollector(base, fakeTimers());
  c.promptDone();
  for (const d of '12345') c.push(d);
  t.same(await c.result, { digits: '1234', reason: 'max' });
});

t.test('the terminator ends collection and is not included', async (t) => {
  const c = new DigitCollector(base, fakeTimers());
  c.promptDone();
  for (const d of '47#') c.push(d);
  t.same(await c.result, { digits: '47', reason: 'terminator' });
});

t.test('nothing pressed ends with a timeout after the first-digit timeout', async (t) => {
  const timers = fakeTimers();
  const c = new DigitCollector(base, timers);
  c.promptDone();
  timers.advance(4999);
  t.notOk(c.done, 'still waiting just before the timeout');
  timers.advance(1);
  t.same(await c.result, { digits: '', reason: 'timeout' });
});

t.test('a pause between digits ends with a timeout and the partial entry', async (t) => {
  const timers = fakeTimers();
  const c = new DigitCollector(base, timers);
  c.promptDone();
  timers.advance(4000);
  c.push('1');
  timers.advance(2999);
  c.push('2');
  timers.advance(2999);
  t.notOk(c.done, 'each digit restarts the inter-digit timer');
  timers.advance(1);
  t.same(await c.result, { digits: '12', reason: 'timeout' });
});

t.test('the first-digit timeout waits for the prompt to finish', async (t) => {
  const timers = fakeTimers();
  const c = new DigitCollector(base, timers);
  timers.advance(60000);
  t.notOk(c.done, 'no timeout while the prompt plays');
  c.promptDone();
  timers.advance(5000);
  t.same(await c.result, { digits: '', reason: 'timeout' });
});

t.test('a digit during the prompt (barge-in) is collected', async (t) => {
  const timers = fakeTimers();
  const c = new DigitCollector(base, timers);
  c.push('9');
  c.promptDone();
  timers.advance(3000);
  t.same(await c.result, { digits: '9', reason: 'timeout' });
});

t.test('stop (abort or hang-up) settles with stopped and the digits so far', async (t) => {
  const c = new DigitCollector(base, fakeTimers());
  c.promptDone();
  c.push('3');
  c.stop();
  c.push('4');
  t.same(await c.result, { digits: '3', reason: 'stopped' });
});

t.test('with real short timeouts collection still settles', async (t) => {
  t.setTimeout(5000);
  const c = new DigitCollector({ minDigits: 1, maxDigits: 2, firstDigitTimeoutMs: 30, interDigitTimeoutMs: 30 });
  c.promptDone();
  t.same(await c.result, { digits: '', reason: 'timeout' });
});
