import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';

// wavefile is CommonJS: its class is reached through the default export under Node's ESM loader.
const { WaveFile } = wavefile;

/** FreeSWITCH's silence threshold for recordings: mean absolute sample value per frame. */
export const SPEECH_THRESHOLD = 200;
/** Frames (20 ms) at or above the threshold that count as speech. */
export const SPEECH_FRAMES = 3;

/**
 * True when 16-bit samples hold at least {@link SPEECH_FRAMES} frames of 20 ms whose mean
 * absolute value reaches {@link SPEECH_THRESHOLD} — the energy measure FreeSWITCH's own
 * recording silence detection uses (switch_ivr_async.c `is_silence_frame`).
 */
export function samplesHoldSpeech(samples: Int16Array, sampleRate = 8000): boolean {
  const frame = Math.max(1, Math.round(sampleRate / 50));
  let loud = 0;
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let energy = 0;
    for (let i = start; i < start + frame; i++) energy += Math.abs(samples[i] ?? 0);
    if (energy / frame >= SPEECH_THRESHOLD && ++loud >= SPEECH_FRAMES) return true;
  }
  return false;
}

/**
 * Whether a finished recording (a WAV file FreeSWITCH wrote on the shared path) heard speech;
 * `undefined` when the file cannot be read or is not 16-bit PCM.
 */
export async function recordingHeardSpeech(path: string): Promise<boolean | undefined> {
  try {
    const wav = new WaveFile(await readFile(path));
    const fmt = wav.fmt as { audioFormat: number; bitsPerSample: number; sampleRate: number; numChannels: number };
    if (fmt.audioFormat !== 1 || fmt.bitsPerSample !== 16 || fmt.numChannels !== 1) return undefined;
    return samplesHoldSpeech(wav.getSamples(false, Int16Array) as unknown as Int16Array, fmt.sampleRate);
  } catch {
    return undefined;
  }
}
