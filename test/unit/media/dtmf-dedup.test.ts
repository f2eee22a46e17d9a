import t from 'tap';
import { DtmfDeduplicator } from '../../../src/engines/embedded/media/dtmf-dedup.ts';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let at = 0;
  return { now: () => at, advance: (ms) => { at += ms; } };
}

t.test('the same digit from RTP and SIP INFO within 200 ms counts once', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  t.ok(d.accept('5', 'rfc4733'));
  c.advance(80);
  t.notOk(d.accept('5', 'sip-info'));
  t.end();
});

t.test('INFO first, then RTP, also counts once', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  t.ok(d.accept('9', 'sip-info'));
  c.advance(150);
  t.notOk(d.accept('9', 'rfc4733'));
  t.end();
});

t.test('the same digit from another source after the window is a new press', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  t.ok(d.accept('5', 'rfc4733'));
  c.advance(250);
  t.ok(d.accept('5', 'sip-info'));
  t.end();
});

t.test('repeats from one source are never merged (each is its own event)', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  t.ok(d.accept('1', 'rfc4733'));
  c.advance(50);
  t.ok(d.accept('1', 'rfc4733'));
  t.end();
});

t.test('a different digit from the other source is reported', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  t.ok(d.accept('1', 'rfc4733'));
  t.ok(d.accept('2', 'sip-info'));
  t.end();
});

t.test('a double-signalled press followed by a real second press yields two digits', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  const got: boolean[] = [];
  got.push(d.accept('4', 'rfc4733'));
  c.advance(30);
  got.push(d.accept('4', 'sip-info'));
  c.advance(120);
  got.push(d.accept('4', 'rfc4733'));
  c.advance(30);
  got.push(d.accept('4', 'sip-info'));
  t.same(got, [true, false, true, false]);
  t.end();
});

t.test('continuation packets keep an RTP digit fresh for the window', (t) => {
  const c = clock();
  const d = new DtmfDeduplicator(c.now);
  t.ok(d.accept('7', 'rfc4733'));
  c.advance(180);
  d.touch('7', 'rfc4733');
  c.advance(180);
  t.notOk(d.accept('7', 'sip-info'), 'a long press still matches its INFO');
  t.end();
});
