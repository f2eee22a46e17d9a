import { SAMPLE_RATE } from './frame.ts';

/** A 400 ms 1 kHz beep at about −12 dBFS, played before a recording starts. */
export const BEEP: Int16Array = (() => {
  const samples = new Int16Array((SAMPLE_RATE * 400) / 1000);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / SAMPLE_RATE));
  }
  return samples;
})();
