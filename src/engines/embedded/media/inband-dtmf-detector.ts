import { SAMPLE_RATE } from './frame.ts';

/** DTMF row and column frequencies (ITU-T Q.23). */
const LOW = [697, 770, 852, 941] as const;
const HIGH = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** Share of the frame's energy the two tones must hold together. */
const MIN_TONE_SHARE = 0.6;
/** Each tone must hold at least this share (limits twist to roughly 6 dB). */
const MIN_EACH_SHARE = 0.15;
/** Below this mean absolute level a frame is too quiet to be a key press. */
const MIN_LEVEL = 150;
/** Consecutive frames with the same key before it is reported (40 ms, Q.24 minimum). */
const CONFIRM_FRAMES = 2;

const COEFFS = [...LOW, ...HIGH].map((f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));

/**
 * In-band DTMF detection (ITU-T Q.23/Q.24) with Goertzel filters over each 20 ms frame:
 * a key is reported once after {@link CONFIRM_FRAMES} matching frames, and again only after
 * a frame without it. Used only when the far end negotiated no telephone-event.
 */
export class InbandDtmfDetector {
  readonly #power = new Float64Array(8);
  #candidate = '';
  #count = 0;
  #reported = '';

  /** Feeds one frame with its mean absolute level; returns a newly pressed key, if any. */
  frame(pcm: Int16Array, level: number): string | undefined {
    const key = level >= MIN_LEVEL ? this.#classify(pcm) : '';
    if (key === '') {
      this.#candidate = '';
      this.#count = 0;
      this.#reported = '';
      return undefined;
    }
    if (key !== this.#candidate) {
      this.#candidate = key;
      this.#count = 0;
    }
    this.#count++;
    if (this.#count >= CONFIRM_FRAMES && this.#reported !== key) {
      this.#reported = key;
      return key;
    }
    return undefined;
  }

  #classify(pcm: Int16Array): string {
    const n = pcm.length;
    let energy = 0;
    for (const v of pcm) energy += v * v;
    if (energy === 0) return '';
    const power = this.#power;
    for (let k = 0; k < 8; k++) {
      const c = COEFFS[k] ?? 0;
      let s1 = 0;
      let s2 = 0;
      for (const v of pcm) {
        const s = v + c * s1 - s2;
        s2 = s1;
        s1 = s;
      }
      // Normalised so a pure full-frame tone scores about 1.
      power[k] = (s1 * s1 + s2 * s2 - c * s1 * s2) / ((energy * n) / 2);
    }
    const row = argmax(power, 0);
    const col = argmax(power, 4);
    const low = power[row] ?? 0;
    const high = power[4 + col] ?? 0;
    if (low < MIN_EACH_SHARE || high < MIN_EACH_SHARE || low + high < MIN_TONE_SHARE) return '';
    return KEYS[row]?.[col] ?? '';
  }
}

function argmax(values: Float64Array, offset: number): number {
  let best = 0;
  for (let i = 1; i < 4; i++) if ((values[offset + i] ?? 0) > (values[offset + best] ?? 0)) best = i;
  return best;
}
