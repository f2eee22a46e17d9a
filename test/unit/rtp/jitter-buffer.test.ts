import t from 'tap';
import { JitterBuffer } from '../../../src/engines/embedded/rtp/jitter-buffer.ts';

/** Puts a packet of `count` samples valued `value` at `ts`; returns whether it was kept. */
function put(jb: JitterBuffer, ts: number, count: number, value: number): boolean {
  const start = jb.place(ts, count);
  if (start < 0) return false;
  for (let i = 0; i < count; i++) jb.ring[(start + i) & (JitterBuffer.CAPACITY - 1)] = value;
  return true;
}

function frames(jb: JitterBuffer, n: number): number[] {
  const out = new Int16Array(160);
  const firsts: number[] = [];
  for (let i = 0; i < n; i++) {
    jb.read(out);
    firsts.push(out[0] ?? 0);
  }
  return firsts;
}

t.test('packets arriving out of order play out in timestamp order', (t) => {
  const jb = new JitterBuffer(320);
  put(jb, 1000, 160, 1);
  put(jb, 1320, 160, 3);
  put(jb, 1160, 160, 2);
  t.same(frames(jb, 5), [0, 0, 1, 2, 3], 'two frames of delay, then 1, 2, 3');
  t.end();
});

t.test('a duplicate is dropped and counted', (t) => {
  const jb = new JitterBuffer(320);
  t.ok(put(jb, 1000, 160, 1));
  t.notOk(put(jb, 1000, 160, 9));
  t.equal(jb.duplicates, 1);
  t.same(frames(jb, 3), [0, 0, 1]);
  t.end();
});

t.test('a packet later than the largest delay is dropped and counted as late', (t) => {
  const jb = new JitterBuffer(320);
  put(jb, 1000, 160, 1);
  frames(jb, 10);
  t.notOk(put(jb, 1160, 160, 2), 'its time has passed');
  t.equal(jb.late, 1);
  t.end();
});

t.test('a late packet grows the delay so it and the stream after it still play', (t) => {
  const jb = new JitterBuffer(320);
  put(jb, 1000, 160, 1);
  t.same(frames(jb, 4), [0, 0, 1, 0], 'packet 2 did not arrive in time');
  t.ok(put(jb, 1160, 160, 2), 'the late packet is kept');
  t.equal(jb.grown, 1);
  t.equal(jb.late, 0);
  put(jb, 1320, 160, 3);
  t.same(frames(jb, 2), [2, 3], 'the stream continues 20 ms later than before');
  t.end();
});

t.test('30 ms packets are read out as 20 ms frames', (t) => {
  const jb = new JitterBuffer(0);
  put(jb, 0, 240, 1);
  put(jb, 240, 240, 2);
  const out = new Int16Array(160);
  jb.read(out);
  t.ok(out.every((v) => v === 1));
  jb.read(out);
  t.same([out[0], out[79], out[80], out[159]], [1, 1, 2, 2], 'the second frame straddles both packets');
  jb.read(out);
  t.ok(out.every((v) => v === 2));
  t.end();
});

t.test('a timestamp jump or steady lateness re-anchors play-out', (t) => {
  const jb = new JitterBuffer(320);
  put(jb, 1000, 160, 1);
  t.ok(put(jb, 1000 + 100000, 160, 7), 'a far jump is accepted after a resync');
  t.equal(jb.resyncs, 1);
  t.same(frames(jb, 3), [0, 0, 7]);
  frames(jb, 10);
  for (let i = 0; i < 5; i++) put(jb, 500 + i * 160, 160, 5);
  t.equal(jb.resyncs, 2, 'five late packets in a row resync the buffer');
  t.end();
});

t.test('timestamps wrap around 2^32 without a glitch', (t) => {
  const jb = new JitterBuffer(0);
  put(jb, 0xffffff60, 160, 1);
  put(jb, 0, 160, 2);
  t.same(frames(jb, 2), [1, 2]);
  t.equal(jb.resyncs, 0);
  t.end();
});

t.test('an unanchored buffer reads silence', (t) => {
  const jb = new JitterBuffer();
  t.same(frames(jb, 1), [0]);
  t.equal(jb.emptyFrames, 1);
  t.end();
});
