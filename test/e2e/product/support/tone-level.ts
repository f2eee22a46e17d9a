/**
 * How loudly a caller hears a tone: the RMS amplitude of one frequency's component in what
 * it received (Goertzel over 100 ms windows, the shared analysis), so "hears" and "does not
 * hear" are compared against the amplitude the other caller sent.
 */
import { goertzelPower } from '../../../support/audio-analysis.ts';
import type { RtpPeer } from '../../../support/rtp-peer.ts';

/** RMS amplitude of the `frequency` component of `samples` (a pure tone of peak A gives A/√2). */
export function toneRms(samples: Int16Array, frequency: number, windowMs = 100): number {
  const n = Math.round((8000 * windowMs) / 1000);
  let sum = 0;
  let counted = 0;
  for (let start = 0; start + n <= samples.length; start += n) {
    sum += (2 * goertzelPower(samples.subarray(start, start + n), frequency)) / n;
    counted += n;
  }
  return counted === 0 ? 0 : Math.sqrt(sum / counted);
}

/** What `rtp` receives during the next `ms` milliseconds (after `settleMs` of settling). */
export async function listen(rtp: RtpPeer, ms: number, settleMs = 300): Promise<Int16Array> {
  await new Promise((r) => setTimeout(r, settleMs));
  const mark = rtp.receivedSamples;
  await new Promise((r) => setTimeout(r, ms));
  return rtp.receivedSince(mark);
}

/** The RMS level of `frequency` that `rtp` hears over the next `ms` (see {@link listen}). */
export async function levelOf(rtp: RtpPeer, frequency: number, ms = 1000, settleMs = 300): Promise<number> {
  return toneRms(await listen(rtp, ms, settleMs), frequency);
}
