import t from 'tap';
import { DtmfSender } from '../../../src/engines/embedded/media/dtmf-sender.ts';
import { ULAW_ENCODE } from '../../../src/engines/embedded/media/g711.ts';
import { createRtpView, parseRtp } from '../../../src/engines/embedded/rtp/rtp-packet.ts';
import { RtpSender } from '../../../src/engines/embedded/rtp/rtp-sender.ts';

interface Sent {
  pt: number;
  seq: number;
  ts: number;
  marker: boolean;
  length: number;
  payload: number[];
}

function capture(): { sent: Sent[]; sink: (p: Buffer) => void } {
  const sent: Sent[] = [];
  const view = createRtpView();
  return {
    sent,
    sink: (p) => {
      if (!parseRtp(p, view)) throw new Error('sender built an invalid packet');
      sent.push({
        pt: view.payloadType,
        seq: view.sequence,
        ts: view.timestamp,
        marker: view.marker,
        length: view.payloadLength,
        payload: [...p.subarray(view.payloadOffset, view.payloadOffset + view.payloadLength)],
      });
    },
  };
}

t.test('ptime 20 sends one packet per frame with consecutive sequence and timestamps', (t) => {
  const sender = new RtpSender();
  sender.configure(0, ULAW_ENCODE, 20, undefined);
  const { sent, sink } = capture();
  const frame = new Int16Array(160);
  for (let i = 0; i < 3; i++) sender.sendFrame(frame, sink);
  t.same(sent.map((p) => p.length), [160, 160, 160]);
  t.ok(sent[0]?.marker, 'the first packet of a stream carries the marker');
  t.equal(((sent[1]?.seq ?? 0) - (sent[0]?.seq ?? 0)) & 0xffff, 1);
  t.equal(((sent[2]?.ts ?? 0) - (sent[1]?.ts ?? 0)) >>> 0, 160);
  t.end();
});

t.test('ptime 30 repacketises three 20 ms frames into two 30 ms packets', (t) => {
  const sender = new RtpSender();
  sender.configure(0, ULAW_ENCODE, 30, undefined);
  const { sent, sink } = capture();
  const frame = new Int16Array(160);
  for (let f = 0; f < 6; f++) {
    for (let i = 0; i < 160; i++) frame[i] = f * 160 + i;
    sender.sendFrame(frame, sink);
  }
  t.same(sent.map((p) => p.length), [240, 240, 240, 240]);
  t.same(sent.map((p) => ((p.ts - (sent[0]?.ts ?? 0)) >>> 0)), [0, 240, 480, 720]);
  const second = sent[1]?.payload ?? [];
  t.equal(second[0], ULAW_ENCODE[240 + 32768], 'the second packet starts at sample 240');
  t.end();
});

t.test('a DTMF digit goes out as RFC 4733 start, continuations and three end packets', async (t) => {
  const sender = new RtpSender();
  sender.configure(0, ULAW_ENCODE, 20, 101);
  const dtmf = new DtmfSender();
  const { sent, sink } = capture();
  let resolved = false;
  void dtmf.enqueue('5').then(() => {
    resolved = true;
  });
  const frame = new Int16Array(160);
  for (let i = 0; i < 12; i++) {
    if (!dtmf.tick(sender, sink, frame)) sender.sendFrame(frame, sink);
  }
  await Promise.resolve();
  const events = sent.filter((p) => p.pt === 101);
  t.equal(events.length, 8, '5 tone packets and 3 end packets');
  t.ok(events[0]?.marker, 'the start packet has the marker bit');
  t.notOk(events[1]?.marker);
  t.ok(events.every((e) => e.ts === events[0]?.ts), 'every packet carries the event start timestamp');
  t.ok(events.every((e) => e.payload[0] === 5), 'event code 5');
  t.same(events.map((e) => ((e.payload[1] ?? 0) & 0x80) !== 0), [false, false, false, false, false, true, true, true]);
  t.same(events.map((e) => ((e.payload[2] ?? 0) << 8) | (e.payload[3] ?? 0)), [160, 320, 480, 640, 800, 800, 800, 800]);
  const seqs = sent.map((p) => p.seq);
  t.ok(seqs.every((s, i) => i === 0 || ((s - (seqs[i - 1] ?? 0)) & 0xffff) === 1), 'one sequence space for audio and events');
  t.ok(resolved, 'the send resolves once the digit and its gap are done');
});

t.test('a sender continued from another one\'s state keeps its SSRC and numbering (a leg moving to another media worker)', (t) => {
  const first = new RtpSender();
  first.configure(0, ULAW_ENCODE, 20, 101);
  const a = capture();
  const frame = new Int16Array(160);
  first.sendFrame(frame, a.sink);
  first.sendFrame(frame, a.sink);
  const moved = new RtpSender(first.state());
  moved.configure(0, ULAW_ENCODE, 20, 101);
  const b = capture();
  const view = createRtpView();
  let ssrc = -1;
  moved.sendFrame(frame, (p) => {
    parseRtp(p, view);
    ssrc = view.ssrc;
    b.sink(p);
  });
  const last = a.sent[1];
  const next = b.sent[0];
  t.ok(last !== undefined && next !== undefined, 'both sent');
  t.equal(ssrc, first.ssrc, 'same SSRC');
  t.equal(next?.seq, ((last?.seq ?? 0) + 1) & 0xffff, 'next sequence number');
  t.equal(next?.ts, ((last?.ts ?? 0) + 160) >>> 0, 'timestamp continues by one frame');
  t.end();
});
