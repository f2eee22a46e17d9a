import t from 'tap';
import { GAIN_ONE, gainFromDb, mixFrames, type MixSlot } from '../../../src/engines/embedded/media/mix.ts';

const N = 4;

function slot(value: number, opts: Partial<Pick<MixSlot, 'contributes' | 'hears' | 'gain'>> = {}): MixSlot {
  return {
    input: new Int16Array(N).fill(value),
    output: new Int16Array(N).fill(-1),
    scaled: new Int32Array(N),
    contributes: opts.contributes ?? true,
    hears: opts.hears ?? true,
    gain: opts.gain ?? GAIN_ONE,
  };
}

function heard(slots: MixSlot[]): number[] {
  mixFrames(slots, slots.length, new Int32Array(N), new Int16Array(N));
  return slots.map((s) => s.output[0] ?? NaN);
}

t.test('each member hears the sum of the others and never itself (N-1)', (t) => {
  t.same(heard([slot(100), slot(20), slot(3)]), [23, 103, 120]);
  t.end();
});

t.test('a lone member hears silence', (t) => {
  t.same(heard([slot(500)]), [0]);
  t.end();
});

t.test('a muted member is mixed into nobody but still hears the others', (t) => {
  t.same(heard([slot(100, { contributes: false }), slot(20), slot(3)]), [23, 3, 20]);
  t.end();
});

t.test('a deaf member hears silence but is still heard', (t) => {
  t.same(heard([slot(100, { hears: false }), slot(20), slot(3)]), [0, 103, 120]);
  t.end();
});

t.test('a held member (muted and deaf) neither hears nor is heard', (t) => {
  t.same(heard([slot(100, { contributes: false, hears: false }), slot(20), slot(3)]), [0, 3, 20]);
  t.end();
});

t.test('the mix saturates at 16 bits instead of wrapping', (t) => {
  t.same(heard([slot(30000), slot(30000), slot(30000)]), [32767, 32767, 32767]);
  t.same(heard([slot(-30000), slot(-30000), slot(-30000)]), [-32768, -32768, -32768]);
  t.end();
});

t.test('per-member gain scales what that member says', (t) => {
  t.same(heard([slot(1000, { gain: GAIN_ONE * 2 }), slot(0)]), [0, 2000]);
  t.equal(gainFromDb(0), GAIN_ONE);
  t.ok(Math.abs(gainFromDb(6) / GAIN_ONE - 1.995) < 0.01, '+6 dB doubles');
  t.ok(Math.abs(gainFromDb(-12) / GAIN_ONE - 0.251) < 0.01, '-12 dB quarters');
  t.end();
});

t.test('the room sum holds every contributor and the count is returned', (t) => {
  const sum = new Int32Array(N);
  const slots = [slot(100), slot(20, { contributes: false }), slot(3)];
  const common = new Int16Array(N);
  t.equal(mixFrames(slots, 3, sum, common), 2);
  t.equal(sum[0], 103);
  t.equal(common[0], 103, 'the room mix is the saturated sum');
  t.end();
});

t.test('members who do not contribute all hear the same room mix', (t) => {
  const common = new Int16Array(N);
  const slots = [slot(100), slot(0, { contributes: false }), slot(7), slot(0, { contributes: false })];
  mixFrames(slots, slots.length, new Int32Array(N), common);
  t.same(slots.map((s) => s.output[0]), [7, 107, 100, 107]);
  t.same([...(slots[1]?.output ?? [])], [...common], 'their frame is the common frame');
  t.end();
});

t.test('an extra source (announcement) is heard by every hearing member and is in the room mix', (t) => {
  const common = new Int16Array(N);
  const extra = new Int16Array(N).fill(1000);
  const slots = [slot(100), slot(20, { contributes: false }), slot(3, { hears: false })];
  mixFrames(slots, slots.length, new Int32Array(N), common, extra);
  t.same(slots.map((s) => s.output[0]), [1003, 1103, 0]);
  t.equal(common[0], 1103);
  t.end();
});
