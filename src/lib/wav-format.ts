/**
 * The two WAV layouts the server writes: 16-bit PCM (prompts, spoken names; 16 KB/s at
 * 8 kHz) and G.711 µ-law (room recordings; 8 KB/s). A µ-law file is a non-PCM WAV, so its
 * `fmt ` chunk carries `cbSize` and a `fact` chunk holds the sample count (RIFF/WAVE as
 * described in Microsoft's "Multimedia Programming Interface and Data Specifications 1.0").
 */

/** Sample encodings of a written WAV. */
export type WavEncoding = 'pcm16' | 'ulaw';

/** Bytes per (mono) sample. */
export function bytesPerSample(encoding: WavEncoding): number {
  return encoding === 'ulaw' ? 1 : 2;
}

/** Size of the header before the first data byte. */
export function wavHeaderSize(encoding: WavEncoding): number {
  return encoding === 'ulaw' ? 58 : 44;
}

/** The header of a mono WAV with `dataBytes` of sample data. */
export function buildWavHeader(encoding: WavEncoding, dataBytes: number, sampleRate = 8000): Buffer {
  const size = wavHeaderSize(encoding);
  const bps = bytesPerSample(encoding);
  const h = Buffer.alloc(size);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(size - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  const fmtSize = encoding === 'ulaw' ? 18 : 16;
  h.writeUInt32LE(fmtSize, 16);
  h.writeUInt16LE(encoding === 'ulaw' ? 7 : 1, 20); // WAVE_FORMAT_MULAW = 7, PCM = 1
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * bps, 28); // byte rate
  h.writeUInt16LE(bps, 32); // block align
  h.writeUInt16LE(bps * 8, 34); // bits per sample
  let at = 36;
  if (encoding === 'ulaw') {
    h.writeUInt16LE(0, 36); // cbSize: no extra format bytes
    h.write('fact', 38, 'ascii');
    h.writeUInt32LE(4, 42);
    h.writeUInt32LE(dataBytes / bps, 46); // samples per channel
    at = 50;
  }
  h.write('data', at, 'ascii');
  h.writeUInt32LE(dataBytes, at + 4);
  return h;
}

/** What the header of a WAV file says, as far as recordings need it. */
export interface WavLayout {
  readonly encoding: WavEncoding;
  readonly sampleRate: number;
  /** Offset of the first data byte. */
  readonly dataOffset: number;
}

/**
 * Reads the layout of a mono 8-bit µ-law or 16-bit PCM WAV from its first bytes (walking the
 * chunks up to `data`), or null when it is not one of those.
 */
export function parseWavLayout(head: Buffer): WavLayout | null {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') return null;
  let at = 12;
  let encoding: WavEncoding | null = null;
  let sampleRate = 0;
  // A bounded walk: a WAV header with more than 16 chunks before `data` is not one of ours.
  for (let i = 0; i < 16 && at + 8 <= head.length; i++) {
    const id = head.toString('ascii', at, at + 4);
    const size = head.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= head.length) {
      const format = head.readUInt16LE(at + 8);
      const bits = head.readUInt16LE(at + 22);
      sampleRate = head.readUInt32LE(at + 12);
      if (format === 7 && bits === 8) encoding = 'ulaw';
      else if (format === 1 && bits === 16) encoding = 'pcm16';
      else return null;
    } else if (id === 'data') {
      return encoding === null ? null : { encoding, sampleRate, dataOffset: at + 8 };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}
