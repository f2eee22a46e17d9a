import t from 'tap';
import { createRtpView, parseRtp, writeRtpHeader } from '../../../src/engines/embedded/rtp/rtp-packet.ts';

function packet(bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

t.test('a written header parses back to the same fields', (t) => {
  const buf = new Uint8Array(12 + 160);
  writeRtpHeader(buf, true, 8, 0xfffe, 0xdeadbeef, 0x12345678);
  const view = createRtpView();
  t.ok(parseRtp(buf, view));
  t.same(
    { ...view },
    { marker: true, payloadType: 8, sequence: 0xfffe, timestamp: 0xdeadbeef, ssrc: 0x12345678, payloadOffset: 12, payloadLength: 160 },
  );
  t.end();
});

t.test('CSRCs, a header extension and padding are skipped (RFC 3550 §5.1, §5.3.1)', (t) => {
  const bytes = [
    0xb1, 0x00, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7, // V=2 P=1 X=1 CC=1
    0, 0, 0, 9, // one CSRC
    0xbe, 0xde, 0, 1, 1, 2, 3, 4, // extension of one word
    0xaa, 0xbb, // payload
    0, 0, 3, // three bytes of padding, count in the last byte
  ];
  const view = createRtpView();
  t.ok(parseRtp(packet(bytes), view));
  t.equal(view.payloadOffset, 24);
  t.equal(view.payloadLength, 2);
  t.end();
});

t.test('malformed packets are refused', (t) => {
  const view = createRtpView();
  const cases: Record<string, number[]> = {
    'too short': [0x80, 0, 0, 1],
    'version 1': [0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
    'CSRC list past the end': [0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
    'extension past the end': [0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9],
    'padding longer than the payload': [0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 40],
    'zero padding count': [0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 0],
    'an RTCP packet (PT 200)': [0x80, 200, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
  };
  for (const [name, bytes] of Object.entries(cases)) t.notOk(parseRtp(packet(bytes), view), name);
  t.notOk(parseRtp(new Uint8Array(4000), view), 'oversized');
  t.end();
});

t.test('random bytes never throw (bounded fuzz)', (t) => {
  const view = createRtpView();
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  let accepted = 0;
  let outOfBounds = 0;
  for (let i = 0; i < 20000; i++) {
    const buf = new Uint8Array(rand() % 64);
    for (let k = 0; k < buf.length; k++) buf[k] = rand() & 0xff;
    if (buf.length > 0 && i % 2 === 0) buf[0] = 0x80 | ((buf[0] ?? 0) & 0x3f);
    if (parseRtp(buf, view)) {
      accepted++;
      if (view.payloadOffset + view.payloadLength > buf.length) outOfBounds++;
    }
  }
  t.ok(accepted > 0, 'some random packets are valid RTP');
  t.equal(outOfBounds, 0, 'no accepted payload runs past the datagram');
  t.end();
});
