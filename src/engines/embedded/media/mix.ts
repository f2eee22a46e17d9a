/**
 * The pure conference mixing step: no sockets, no timers, no allocation.
 *
 * Every member that `contributes` (unmuted) is added, scaled by its gain, into a 32-bit sum;
 * each member that `hears` (not deaf, not held) gets the sum minus its own contribution
 * (the N−1 mix), saturated to 16 bits; members that do not hear get silence.
 */

/** Gain is fixed-point: 1.0 = 4096 (Q12). */
export const GAIN_ONE = 4096;

/** Converts dB to Q12 gain. */
export function gainFromDb(db: number): number {
  return Math.round(GAIN_ONE * Math.pow(10, db / 20));
}

/** The preallocated per-member slots the mixer works on. */
export interface MixSlot {
  /** What this member said this tick (decoded, 20 ms). */
  readonly input: Int16Array;
  /** What this member hears this tick (written by {@link mixFrames}). */
  readonly output: Int16Array;
  /** The member's scaled contribution (scratch). */
  readonly scaled: Int32Array;
  /** Mixed into others (false when muted or held). */
  contributes: boolean;
  /** Hears the room (false when deaf or held). */
  hears: boolean;
  /** Q12 gain applied to what this member says. */
  gain: number;
}

/**
 * Mixes one tick. `sum` receives the room mix of every contributor (32-bit, unsaturated);
 * every slot's `output` receives its N−1 mix. Returns how many members contributed.
 */
export function mixFrames(slots: readonly MixSlot[], count: number, sum: Int32Array): number {
  const n = sum.length;
  sum.fill(0);
  let contributors = 0;
  for (let s = 0; s < count; s++) {
    const slot = slots[s];
    if (!slot?.contributes) continue;
    contributors++;
    const input = slot.input;
    const scaled = slot.scaled;
    const gain = slot.gain;
    if (gain === GAIN_ONE) {
      for (let i = 0; i < n; i++) {
        const v = input[i] ?? 0;
        scaled[i] = v;
        sum[i] = (sum[i] ?? 0) + v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = ((input[i] ?? 0) * gain) >> 12;
        scaled[i] = v;
        sum[i] = (sum[i] ?? 0) + v;
      }
    }
  }
  for (let s = 0; s < count; s++) {
    const slot = slots[s];
    if (slot === undefined) continue;
    const output = slot.output;
    if (!slot.hears) {
      output.fill(0);
    } else if (slot.contributes) {
      const scaled = slot.scaled;
      for (let i = 0; i < n; i++) {
        const v = (sum[i] ?? 0) - (scaled[i] ?? 0);
        output[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = sum[i] ?? 0;
        output[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
  }
  return contributors;
}
