import t from 'tap';
import { TYPE_AHEAD_MAX, TYPE_AHEAD_MS, TypeAhead } from '../../../src/engines/freeswitch/type-ahead.ts';

t.test('a digit that barged in, and the digits after it, are kept once for the next collection', async (t) => {
  let now = 1000;
  const ahead = new TypeAhead(() => now);
  ahead.note('9', false);
  t.equal(ahead.take(), '', 'a digit nobody listened for is not kept');
  ahead.note('5', true);
  ahead.note('6', false);
  now += 500;
  t.equal(ahead.take(), '56');
  t.equal(ahead.take(), '', 'taken once');
});

t.test('kept digits expire and are capped', async (t) => {
  let now = 0;
  const ahead = new TypeAhead(() => now);
  ahead.note('1', true);
  now += TYPE_AHEAD_MS + 1;
  t.equal(ahead.take(), '', 'stale digits are dropped');
  ahead.note('1', true);
  for (let i = 0; i < TYPE_AHEAD_MAX + 5; i++) ahead.note('2', false);
  t.equal(ahead.take().length, TYPE_AHEAD_MAX);
});
