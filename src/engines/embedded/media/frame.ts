/** Samples per second of every PCM frame in the media pipeline (G.711, RFC 3551 §4.5.14). */
export const SAMPLE_RATE = 8000;
/** The mixer tick and frame length in ms. */
export const FRAME_MS = 20;
/** Samples in one 20 ms frame. */
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;

/** Saturates an integer to the signed 16-bit range. */
export function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Adds `src` into `dst` with saturation. */
export function addSaturated(dst: Int16Array, src: Int16Array): void {
  const n = dst.length;
  for (let i = 0; i < n; i++) {
    const v = (dst[i] ?? 0) + (src[i] ?? 0);
    dst[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}

/** Mean absolute amplitude of a frame: the energy measure for talking and silence detection. */
export function frameLevel(frame: Int16Array): number {
  let sum = 0;
  const n = frame.length;
  for (let i = 0; i < n; i++) {
    const v = frame[i] ?? 0;
    sum += v < 0 ? -v : v;
  }
  return n === 0 ? 0 : sum / n;
}
