/**
 * The pure conference mixing step: no sockets, no timers, no allocation.
 *
 * Every member that `contributes` (unmuted and above the energy gate) is added, scaled by
 * its gain, into a 32-bit sum, together with an optional `extra` source (a room
 * announcement). `common` receives the saturated sum: the room mix, which is also exactly
 * what every hearing non-contributor hears, so such members share one frame (and one
 * encoding). A hearing contributor gets the sum minus its own contribution (the N−1 mix);
 * members that do not hear (deaf, held) get silence.
 */

/** Gain is fixed-point: 1.0 = 4096 (Q12). */
export const GAIN_ONE = 4096;

/**
 * Frames whose mean absolute level is below this are not mixed (about −54 dBFS: line noise,
 * not speech). Silent members then hear the shared room mix instead of their own N−1 mix.
 */
export const MIX_GATE_LEVEL = 64;

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
  /** Mixed into others this tick (false when muted, held or below the gate). */
  contributes: boolean;
  /** Hears the room (false when deaf or held). */
  hears: boolean;
  /** Q12 gain applied to what this member says. */
  gain: number;
}

function saturate(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/**
 * Mixes one tick into `sum` (32-bit) and `common` (16-bit room mix) and every slot's
 * `output`. Returns how many members contributed.
 */
export function mixFrames(
  slots: readonly MixSlot[],
  count: number,
  sum: Int32Array,
  common: Int16Array,
  extra?: Int16Array,
): number {
  const n = sum.length;
  if (extra === undefined) sum.fill(0);
  else for (let i = 0; i < n; i++) sum[i] = extra[i] ?? 0;
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
  for (let i = 0; i < n; i++) common[i] = saturate(sum[i] ?? 0);
  for (let s = 0; s < count; s++) {
    const slot = slots[s];
    if (slot === undefined) continue;
    const output = slot.output;
    if (!slot.hears) {
      output.fill(0);
    } else if (slot.contributes) {
      const scaled = slot.scaled;
      for (let i = 0; i < n; i++) output[i] = saturate((sum[i] ?? 0) - (scaled[i] ?? 0));
    } else {
      output.set(common);
    }
  }
  return contributors;
}
