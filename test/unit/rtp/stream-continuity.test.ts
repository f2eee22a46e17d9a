import t from 'tap';
import { StreamContinuity } from '../../../src/engines/embedded/rtp/stream-continuity.ts';

t.test('events that continue the audio stream are accepted; a foreign SSRC or a jump is not', async (t) => {
  const s = new StreamContinuity();
  for (let seq = 100; seq < 110; seq++) s.audio(7, seq);
  t.equal(s.event(7, 110), true, 'next sequence number, same SSRC');
  t.equal(s.event(7, 110), true, 'a repeated end packet');
  t.equal(s.event(99, 111), false, 'foreign SSRC');
  t.equal(s.event(7, 40_000), false, 'a sequence jump');
  t.equal(s.event(7, 150), true, 'a few lost packets are fine');
});

t.test('a new audio SSRC becomes the stream only after a run of packets, so interleaved foreign audio cannot adopt it', async (t) => {
  const s = new StreamContinuity();
  s.audio(7, 1);
  for (let i = 0; i < 10; i++) {
    s.audio(99, 500 + i);
    s.audio(7, 2 + i);
  }
  t.equal(s.event(99, 511), false);
  for (let i = 0; i < 3; i++) s.audio(42, 900 + i);
  t.equal(s.event(42, 903), true, 'a real change of stream (re-INVITE, transfer) is followed');
});

t.test('a peer that only sends events names the stream with its first', async (t) => {
  const s = new StreamContinuity();
  t.equal(s.event(5, 10), true);
  t.equal(s.event(6, 11), false);
});

t.test('sequence numbers wrap', async (t) => {
  const s = new StreamContinuity();
  s.audio(7, 65_534);
  t.equal(s.event(7, 2), true);
});

t.test('a stream continued from its state (a leg moving worker) judges events as before the move', async (t) => {
  const before = new StreamContinuity();
  before.audio(7, 100);
  before.audio(7, 101);
  const after = new StreamContinuity(before.state());
  t.equal(after.event(7, 102), true, "the caller's keypad, next in the stream");
  t.equal(after.event(8, 103), false, 'a foreign SSRC is still refused');
  t.equal(after.event(7, 40_000), false, 'and a jump');
});
