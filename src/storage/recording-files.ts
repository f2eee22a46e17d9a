import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { AppError } from '../lib/errors.ts';
import { bytesPerSample, parseWavLayout, type WavEncoding } from '../lib/wav-format.ts';

/** What a finished recording file holds. */
export interface RecordingFileFacts {
  readonly sizeBytes: number;
  readonly durationMs: number;
  readonly sha256: string;
  readonly encoding: WavEncoding;
}

/**
 * Makes a recording file playable whatever happened to its writer, and describes it: the
 * RIFF, `fact` and `data` sizes are rewritten from the file's real length (a crash leaves
 * the provisional zero sizes of a streaming writer; a full disk leaves a short last batch),
 * then its size, duration and SHA-256 are measured. Rejects `MEDIA_FILE` for a file that is
 * missing or is not an 8 kHz-style mono µ-law or 16-bit PCM WAV.
 */
export async function finaliseRecordingFile(path: string): Promise<RecordingFileFacts> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (err) {
    throw new AppError('MEDIA_FILE', 'recording file is missing', { cause: err, details: { path } });
  }
  let encoding: WavEncoding;
  let sizeBytes: number;
  let durationMs: number;
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const layout = parseWavLayout(head.subarray(0, bytesRead));
    if (layout === null) throw new AppError('MEDIA_FILE', 'recording file is not a WAV the server writes', { details: { path } });
    encoding = layout.encoding;
    const bps = bytesPerSample(encoding);
    const { size } = await handle.stat();
    const dataBytes = Math.max(0, size - layout.dataOffset) - (Math.max(0, size - layout.dataOffset) % bps);
    if (layout.dataOffset + dataBytes < size) await handle.truncate(layout.dataOffset + dataBytes);
    const u32 = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n, 0);
      return b;
    };
    await handle.write(u32(layout.dataOffset - 8 + dataBytes), 0, 4, 4);
    await handle.write(u32(dataBytes), 0, 4, layout.dataOffset - 4);
    const factAt = head.indexOf('fact', 12, 'ascii');
    if (factAt > 0 && factAt < layout.dataOffset) await handle.write(u32(dataBytes / bps), 0, 4, factAt + 8);
    sizeBytes = layout.dataOffset + dataBytes;
    durationMs = Math.round((dataBytes / bps / layout.sampleRate) * 1000);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sizeBytes, durationMs, sha256: await sha256Of(path), encoding };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Removes a recording file; one already gone is fine. */
export async function deleteRecordingFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AppError('MEDIA_FILE', 'recording file could not be deleted', { cause: err });
  }
}
