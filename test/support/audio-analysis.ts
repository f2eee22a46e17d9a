import { SAMPLE_RATE } from './tone.ts';

/** Goertzel power of `frequency` in `samples` (|X(k)|², unnormalised). */
export function goertzelPower(samples: ArrayLike<number>, frequency: number, sampleRate = SAMPLE_RATE): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- ArrayLike has no iterator
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Sum of squares. */
export function energy(samples: ArrayLike<number>): number {
  let sum = 0;
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- ArrayLike has no iterator
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] ?? 0;
    sum += v * v;
  }
  return sum;
}

/** Root-mean-square level of `samples` (0 for empty input). */
export function rms(samples: ArrayLike<number>): number {
  return samples.length === 0 ? 0 : Math.sqrt(energy(samples) / samples.length);
}

/**
 * The fraction (0…1) of the signal's energy that lies at `frequency`, Goertzel over
 * `windowMs` windows summed: a pure tone at an exact bin gives ~1, its absence ~0.
 * Per window, tone energy = 2·|X|²/N (Parseval for one real sinusoid).
 */
export function energyFraction(samples: ArrayLike<number>, frequency: number, windowMs = 100, sampleRate = SAMPLE_RATE): number {
  const n = Math.round((sampleRate * windowMs) / 1000);
  let toneEnergy = 0;
  let total = 0;
  for (let start = 0; start + n <= samples.length; start += n) {
    const window = sliceOf(samples, start, start + n);
    toneEnergy += (2 * goertzelPower(window, frequency, sampleRate)) / n;
    total += energy(window);
  }
  return total === 0 ? 0 : toneEnergy / total;
}

/** Per-window fractions of energy at `frequency` (for diagnostics). */
export function energyFractionWindows(samples: ArrayLike<number>, frequency: number, windowMs = 100, sampleRate = SAMPLE_RATE): number[] {
  const n = Math.round((sampleRate * windowMs) / 1000);
  const out: number[] = [];
  for (let start = 0; start + n <= samples.length; start += n) {
    const window = sliceOf(samples, start, start + n);
    const total = energy(window);
    out.push(total === 0 ? 0 : (2 * goertzelPower(window, frequency, sampleRate)) / n / total);
  }
  return out;
}

function sliceOf(samples: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  if (samples instanceof Int16Array || samples instanceof Float64Array || samples instanceof Float32Array) return samples.subarray(start, end);
  return Array.prototype.slice.call(samples, start, end) as number[];
}

/**
 * Maximum over lags of the normalised cross-correlation between `reference` (e.g. a prompt
 * WAV) and `received`: Σ ref[i]·rx[i+lag] / √(Σ ref² · Σ rx²over the window). 1 means the
 * reference appears in the received signal unchanged (up to gain).
 */
export function maxCrossCorrelation(reference: ArrayLike<number>, received: ArrayLike<number>): { value: number; lag: number } {
  const n = reference.length;
  const m = received.length;
  if (n === 0 || m < n) return { value: 0, lag: -1 };
  const ref = Float64Array.from(reference);
  const rx = Float64Array.from(received);
  const refEnergy = energy(ref);
  const prefix = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) prefix[i + 1] = (prefix[i] ?? 0) + (rx[i] ?? 0) * (rx[i] ?? 0);
  let best = 0;
  let bestLag = -1;
  for (let lag = 0; lag + n <= m; lag++) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (ref[i] ?? 0) * (rx[i + lag] ?? 0);
    const windowEnergy = (prefix[lag + n] ?? 0) - (prefix[lag] ?? 0);
    if (windowEnergy <= 0) continue;
    const value = dot / Math.sqrt(refEnergy * windowEnergy);
    if (value > best) {
      best = value;
      bestLag = lag;
    }
  }
  return { value: best, lag: bestLag };
}
