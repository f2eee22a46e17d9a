import t from 'tap';
import { DtmfReceiver } from '../../../src/engines/embedded/media/dtmf-receiver.ts';

/** Payload of one telephone-event packet (RFC 4733 §2.3). */
function event(code: number, end: boolean, duration: number): Uint8Array {
  return Uint8Array.from([code, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
}

/** Feeds a full event: start, two continuations, three end packets; returns digits reported. */
function press(rx: DtmfReceiver, code: number, ts: number, ssrc = 1): string[] {
  const digits: string[] = [];
  const packets = [event(code, false, 160), event(code, false, 320), event(code, false, 480), event(code, true, 640), event(code, true, 640), event(code, true, 640)];
  for (const p of packets) {
    const d = rx.receive(p, 0, 4, ts, ssrc);
    if (d !== undefined) digits.push(d);
  }
  return digits;
}

t.test('one event with its three end packets is one digit', (t) => {
  const rx = new DtmfReceiver();
  t.same(press(rx, 5, 1000), ['5']);
  t.end();
});

t.test('the same digit pressed again (new timestamp) is a second digit', (t) => {
  const rx = new DtmfReceiver();
  t.same([...press(rx, 4, 1000), ...press(rx, 7, 2000), ...press(rx, 1, 3000), ...press(rx, 1, 4000)], ['4', '7', '1', '1']);
  t.end();
});

t.test('a replayed event (same timestamp) is not a new digit', (t) => {
  const rx = new DtmfReceiver();
  t.same([...press(rx, 1, 1000), ...press(rx, 1, 1000)], ['1']);
  t.end();
});

t.test('a lost start packet still yields the digit from a later packet', (t) => {
  const rx = new DtmfReceiver();
  t.equal(rx.receive(event(11, true, 800), 0, 4, 5000, 1), '#');
  t.equal(rx.receive(event(11, true, 800), 0, 4, 5000, 1), undefined);
  t.end();
});

t.test('star, pound and A–D map to their RFC 4733 codes; other events and short payloads are ignored', (t) => {
  const rx = new DtmfReceiver();
  t.same([...press(rx, 10, 1), ...press(rx, 11, 2), ...press(rx, 12, 3), ...press(rx, 15, 4)], ['*', '#', 'A', 'D']);
  t.same(press(rx, 16, 5), [], 'event 16 (flash) is not a digit');
  t.equal(rx.receive(Uint8Array.from([1, 2]), 0, 2, 6, 1), undefined);
  t.equal(rx.malformed, 1);
  t.end();
});

t.test('a new SSRC forgets old event timestamps', (t) => {
  const rx = new DtmfReceiver();
  t.same([...press(rx, 3, 1000, 1), ...press(rx, 3, 1000, 2)], ['3', '3']);
  t.end();
});

t.test('a receiver continued from another one (a leg moving worker) does not report the end packets of a digit again', (t) => {
  const before = new DtmfReceiver();
  const start = event(1, false, 160);
  t.equal(before.receive(start, 0, 4, 5000, 42), '1', 'pressed before the move');
  for (let k = 0; k < 10; k++) press(before, 2, 10_000 + k * 1000, 42);
  const after = new DtmfReceiver(before.state());
  t.same(press(after, 2, 19_000, 42), [], "the last event's end packets, arriving after the move: no second press");
  t.same(press(after, 3, 30_000, 42), ['3'], 'a new key after the move is a digit');
  t.same(press(new DtmfReceiver(before.state()), 1, 5000, 43), ['1'], 'another source starts afresh');
  t.same(before.state().recent.length, 8, 'only the recent events travel');
  t.end();
});
