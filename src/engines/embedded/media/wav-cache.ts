import { readFile, stat } from 'node:fs/promises';
import wavefile from 'wavefile';
import { AppError } from '../../../lib/errors.ts';
import { SAMPLE_RATE } from './frame.ts';

/** The fields of wavefile's `fmt` chunk we check (wavefile types it as `object`). */
interface FmtChunk {
  readonly audioFormat: number;
  readonly numChannels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
}

// wavefile is CommonJS: its class is reached through the default export under Node's ESM loader.
const { WaveFile } = wavefile;

const cache = new Map<string, { key: string; samples: Promise<Int16Array> }>();
const MAX_ENTRIES = 256;

/**
 * Decodes a WAV file that must be 8 kHz mono 16-bit PCM (the prompt format); throws
 * `MEDIA_FILE` for anything else.
 */
export function decodePromptWav(bytes: Uint8Array, path: string): Int16Array {
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    throw new AppError('MEDIA_FILE', 'prompt file is not a readable WAV file', { cause: err, details: { path } });
  }
  const fmt = wav.fmt as FmtChunk;
  if (fmt.audioFormat !== 1 || fmt.numChannels !== 1 || fmt.sampleRate !== SAMPLE_RATE || fmt.bitsPerSample !== 16) {
    throw new AppError('MEDIA_FILE', 'prompt file must be 8 kHz mono 16-bit PCM WAV', {
      details: { path, audioFormat: fmt.audioFormat, channels: fmt.numChannels, sampleRate: fmt.sampleRate, bits: fmt.bitsPerSample },
    });
  }
  // getSamples with an Int16Array constructor returns the samples without float conversion.
  return wav.getSamples(false, Int16Array) as unknown as Int16Array;
}

/**
 * Loads a prompt, decoded, from an in-memory cache keyed on path, size and modification
 * time (a re-recorded name is read again). Rejects `MEDIA_FILE` for a missing or
 * wrong-format file; failures are not cached.
 */
export async function loadPrompt(path: string): Promise<Int16Array> {
  let key: string;
  try {
    const info = await stat(path);
    key = `${String(info.size)}:${String(info.mtimeMs)}`;
  } catch (err) {
    throw new AppError('MEDIA_FILE', 'prompt file is missing', { cause: err, details: { path } });
  }
  const hit = cache.get(path);
  if (hit?.key === key) return hit.samples;
  const samples = readFile(path).then(
    (bytes) => decodePromptWav(bytes, path),
    (err: unknown) => {
      throw new AppError('MEDIA_FILE', 'prompt file cannot be read', { cause: err, details: { path } });
    },
  );
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(path, { key, samples });
  samples.catch(() => {
    if (cache.get(path)?.samples === samples) cache.delete(path);
  });
  return samples;
}
