import t from 'tap';
import {
  ALAW_DECODE,
  ALAW_ENCODE,
  decodeG711,
  encodeG711,
  ULAW_DECODE,
  ULAW_ENCODE,
} from '../../../src/engines/embedded/media/g711.ts';

const ulaw = (s: number): number => ULAW_ENCODE[s + 32768] ?? -1;
const alaw = (s: number): number => ALAW_ENCODE[s + 32768] ?? -1;

t.test('µ-law encodes the G.711 reference points', (t) => {
  t.equal(ulaw(0), 0xff, 'zero is 0xFF');
  t.equal(ulaw(-1), 0x7f, 'minus one rounds to negative zero');
  t.equal(ulaw(32767), 0x80, 'positive full scale is 0x80');
  t.equal(ulaw(-32768), 0x00, 'negative full scale is 0x00');
  t.equal(ulaw(1000), 0xce, '1000 falls in segment 3');
  t.equal(ulaw(-1000), 0x4e, '-1000 mirrors it');
  t.end();
});

t.test('µ-law decodes to the G.711 table values (14-bit values × 4)', (t) => {
  t.equal(ULAW_DECODE[0xff], 0);
  t.equal(ULAW_DECODE[0x7f], 0);
  t.equal(ULAW_DECODE[0x80], 32124, 'code 128 is +8031 × 4');
  t.equal(ULAW_DECODE[0x00], -32124, 'code 0 is -8031 × 4');
  t.equal(ULAW_DECODE[0xf0], 30 * 4, 'code 0xF0 is +30 × 4, the top of the first segment');
  t.equal(ULAW_DECODE[0xce], 988);
  t.end();
});

t.test('A-law encodes the G.711 reference points (even bits inverted)', (t) => {
  t.equal(alaw(0), 0xd5, 'zero is 0xD5');
  t.equal(alaw(-1), 0x55, 'minus one is 0x55');
  t.equal(alaw(32767), 0xaa, 'positive full scale is 0xAA');
  t.equal(alaw(-32768), 0x2a, 'negative full scale is 0x2A');
  t.end();
});

t.test('A-law decodes to the G.711 table values (13-bit values × 8)', (t) => {
  t.equal(ALAW_DECODE[0xd5], 8, 'smallest positive step');
  t.equal(ALAW_DECODE[0x55], -8, 'smallest negative step');
  t.equal(ALAW_DECODE[0xaa], 32256, '4032 × 8');
  t.equal(ALAW_DECODE[0x2a], -32256);
  t.end();
});

t.test('every code survives decode then encode unchanged', (t) => {
  let ulawBad = 0;
  let alawBad = 0;
  for (let code = 0; code < 256; code++) {
    // µ-law 0x7F (negative zero) legitimately encodes back to 0xFF.
    if (code !== 0x7f && ulaw(ULAW_DECODE[code] ?? 0) !== code) ulawBad++;
    if (alaw(ALAW_DECODE[code] ?? 0) !== code) alawBad++;
  }
  t.equal(ulawBad, 0);
  t.equal(alawBad, 0);
  t.end();
});

t.test('encoding is monotonic and the round-trip error stays within one quantisation step', (t) => {
  let worst = 0;
  let monotonic = true;
  let previous = -Infinity;
  for (let s = -32768; s <= 32767; s += 7) {
    const back = ULAW_DECODE[ulaw(s)] ?? 0;
    const err = Math.abs(back - s) / Math.max(1, Math.abs(s));
    if (Math.abs(s) > 256) worst = Math.max(worst, err);
    if (back < previous) monotonic = false;
    previous = back;
  }
  t.ok(monotonic, 'decoded values never decrease as input rises');
  t.ok(worst < 0.07, `relative error ${worst.toFixed(3)} under 7 %`);
  t.end();
});

t.test('frame helpers encode and decode at offsets without touching neighbours', (t) => {
  const pcm = Int16Array.from([0, 1000, -1000, 32767]);
  const out = new Uint8Array(6).fill(0x11);
  encodeG711(ULAW_ENCODE, pcm, 0, out, 1, 4);
  t.same([...out], [0x11, 0xff, 0xce, 0x4e, 0x80, 0x11]);
  const back = new Int16Array(5);
  decodeG711(ULAW_DECODE, out, 1, back, 1, 4);
  t.same([...back], [0, 0, 988, -988, 32124]);
  t.end();
});
