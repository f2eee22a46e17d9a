import { readFileSync, writeFileSync } from 'node:fs';
import wavefile from 'wavefile';

/** Reads a WAV file as 16-bit PCM samples (converted to 16-bit if needed) and its rate. */
export function readWav(path: string): { samples: Int16Array; sampleRate: number; channels: number } {
  return readWavBuffer(readFileSync(path));
}

/** Reads WAV bytes (16-bit PCM, or G.711 µ-law/A-law decoded) as 16-bit samples and its rate. */
export function readWavBuffer(bytes: Buffer): { samples: Int16Array; sampleRate: number; channels: number } {
  const wav = new wavefile.WaveFile(bytes);
  const format = (wav.fmt as { audioFormat: number }).audioFormat;
  if (format === 7) wav.fromMuLaw();
  else if (format === 6) wav.fromALaw();
  wav.toBitDepth('16');
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  const raw = wav.getSamples(true, Int16Array) as unknown as Int16Array;
  return { samples: raw, sampleRate: fmt.sampleRate, channels: fmt.numChannels };
}

/** Writes 8 kHz mono 16-bit PCM to a WAV file. */
export function writeWav(path: string, samples: Int16Array, sampleRate = 8000): void {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, '16', samples);
  writeFileSync(path, wav.toBuffer());
}
