import t from 'tap';
import { RateWindow } from '../../../src/domain/rate-window.ts';
import { SourceLimiter } from '../../../src/domain/source-limiter.ts';

const policy = { maxInvites: 3, windowMs: 1000, banMs: 30_000, maxNotFound: 2, maxSources: 4 };

t.test('over the INVITE limit: one refusal with the ban as Retry-After, then drops until the ban ends', async (t) => {
  const l = new SourceLimiter(policy);
  t.same([0, 10, 20].map((at) => l.invite('a', at).kind), ['pass', 'pass', 'pass']);
  t.same(l.invite('a', 30), { kind: 'refuse', retryAfterSeconds: 30 });
  t.same(l.invite('a', 40), { kind: 'drop' });
  t.equal(l.invite('b', 40).kind, 'pass', 'another address is not affected');
  t.same(l.invite('a', 30_029), { kind: 'drop' }, 'still banned just before the end');
  t.equal(l.invite('a', 30_031).kind, 'pass', 'free again after the ban');
});

t.test('a new window starts the count again', async (t) => {
  const l = new SourceLimiter(policy);
  for (const at of [0, 1, 2]) l.invite('a', at);
  t.equal(l.invite('a', 1000).kind, 'pass');
});

t.test('a number walk bans the address', async (t) => {
  const l = new SourceLimiter(policy);
  t.equal(l.notFound('w', 0), false);
  t.equal(l.notFound('w', 1), false);
  t.equal(l.notFound('w', 2), true, 'the third unknown number within a minute bans');
  t.equal(l.invite('w', 3).kind, 'drop');
  t.equal(new SourceLimiter({ ...policy, maxNotFound: 0 }).notFound('w', 0), false, '0 disables the rule');
});

t.test('the table stays bounded', async (t) => {
  const l = new SourceLimiter(policy);
  for (let i = 0; i < 50; i++) l.invite(`10.0.0.${String(i)}`, i);
  t.ok(l.size <= 4);
});

t.test('the global rate takes at most max per window', async (t) => {
  const r = new RateWindow(2, 1000);
  t.same([r.take(0), r.take(1), r.take(2)], [true, true, false]);
  t.equal(r.secondsLeft(500), 1);
  t.equal(r.take(1000), true);
});
