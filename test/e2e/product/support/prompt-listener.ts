/**
 * Hears a shipped prompt in what a test caller receives: normalised cross-correlation of a
 * half-second from the middle of the prompt's WAV (the middle, because several prompts
 * begin with the same words) against the received audio, searched incrementally as audio
 * arrives. G.711 and mixing keep a real prompt above 0.8; other speech stays far below.
 */
import { join } from 'node:path';
import { SOUNDS_DIR } from '../../../../src/server.ts';
import type { RtpPeer } from '../../../support/rtp-peer.ts';
import { readWav } from '../../../support/wav.ts';

/** A prompt reference: the segment searched for and where it sits in the prompt. */
export interface PromptReference {
  readonly name: string;
  readonly segment: Float64Array;
  readonly segmentEnergy: number;
  /** Where the segment starts in the prompt, in samples. */
  readonly offset: number;
  /** The whole prompt's length, in samples. */
  readonly length: number;
}

const cache = new Map<string, PromptReference>();

/**
 * The reference for `sounds/<name>.wav`: a `segmentSeconds` slice from its middle, or from
 * `atSeconds` into it (to hear a long prompt, such as the music, early).
 */
export function promptReference(name: string, segmentSeconds = 0.5, atSeconds?: number): PromptReference {
  const key = `${name}@${String(segmentSeconds)}@${String(atSeconds)}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const { samples } = readWav(join(SOUNDS_DIR, `${name}.wav`));
  const want = Math.min(samples.length, Math.round(segmentSeconds * 8000));
  const middle = Math.floor((samples.length - want) / 2);
  const offset = Math.max(0, Math.min(samples.length - want, atSeconds === undefined ? middle : Math.round(atSeconds * 8000)));
  const segment = Float64Array.from(samples.subarray(offset, offset + want));
  let segmentEnergy = 0;
  for (const v of segment) segmentEnergy += v * v;
  const ref = { name, segment, segmentEnergy, offset, length: samples.length };
  cache.set(key, ref);
  return ref;
}

/** Where a prompt was heard, in received-sample indexes of the peer. */
export interface PromptHeard {
  readonly score: number;
  /** Where the prompt began (estimated from the segment's position). */
  readonly start: number;
  /** Where it ends (start + its length). */
  readonly end: number;
}

/** The best match of `ref` in `rx` over lags `[fromLag, rx.length - n]`. */
export function bestMatch(ref: PromptReference, rx: Int16Array, fromLag = 0): { score: number; lag: number } {
  const n = ref.segment.length;
  let best = 0;
  let bestLag = -1;
  if (rx.length < n) return { score: 0, lag: -1 };
  const start = Math.max(0, fromLag);
  // Running window energy, so each lag costs one dot product.
  let windowEnergy = 0;
  for (let i = start; i < start + n && i < rx.length; i++) windowEnergy += (rx[i] ?? 0) * (rx[i] ?? 0);
  for (let lag = start; lag + n <= rx.length; lag++) {
    if (lag > start) {
      const out = rx[lag - 1] ?? 0;
      const inc = rx[lag + n - 1] ?? 0;
      windowEnergy += inc * inc - out * out;
    }
    if (windowEnergy <= ref.segmentEnergy * 1e-4) continue;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (ref.segment[i] ?? 0) * (rx[lag + i] ?? 0);
    const score = dot / Math.sqrt(ref.segmentEnergy * windowEnergy);
    if (score > best) {
      best = score;
      bestLag = lag;
    }
  }
  return { score: best, lag: bestLag };
}

/** Options for {@link waitForPrompt}. */
export interface WaitForPromptOptions {
  /** Only audio received from this sample index on counts (a `receivedSamples` mark). */
  readonly from?: number;
  readonly timeoutMs?: number;
  /** Minimum normalised correlation; default 0.8 (FIELD-NOTES). */
  readonly threshold?: number;
  /** Listen for the slice this far into the prompt instead of its middle. */
  readonly atSeconds?: number;
}

/**
 * Resolves when `name` is heard by `rtp` (from `from` on); rejects after `timeoutMs` with
 * the best score seen, so a failure says how close it came.
 */
export async function waitForPrompt(rtp: RtpPeer, name: string, options: WaitForPromptOptions = {}): Promise<PromptHeard> {
  const ref = promptReference(name, 0.5, options.atSeconds);
  const threshold = options.threshold ?? 0.8;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const from = options.from ?? 0;
  let searched = from;
  let best = 0;
  for (;;) {
    const rx = rtp.receivedSince(0);
    // Search only lags not searched yet (plus the segment length of overlap).
    const match = bestMatch(ref, rx, searched);
    if (match.score > best) best = match.score;
    if (match.score >= threshold) {
      const start = Math.max(0, match.lag - ref.offset);
      return { score: match.score, start, end: start + ref.length };
    }
    searched = Math.max(searched, rx.length - ref.segment.length + 1);
    if (Date.now() > deadline) {
      throw new Error(`prompt "${name}" not heard within ${String(options.timeoutMs ?? 15_000)} ms (best correlation ${best.toFixed(3)})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The best correlation of `name` in the peer's audio from `from` on (for "not heard" checks). */
export function promptScore(rtp: RtpPeer, name: string, from = 0, to?: number): number {
  const rx = rtp.receivedSince(0);
  return bestMatch(promptReference(name), to === undefined ? rx : rx.subarray(0, to), from).score;
}

/** Waits until the peer has received audio up to sample index `index` (bounded). */
export async function waitForSamples(rtp: RtpPeer, index: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (rtp.receivedSamples < index) {
    if (Date.now() > deadline) throw new Error(`audio stopped at sample ${String(rtp.receivedSamples)} before ${String(index)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
