import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../lib/errors.ts';
import { SAMPLE_RATE } from './frame.ts';

/** Size of the canonical PCM WAV header (RIFF + fmt + data chunk headers). */
export const WAV_HEADER_SIZE = 44;

/** Builds a canonical 44-byte header for 8 kHz mono 16-bit PCM with `dataBytes` of data. */
export function wavHeader(dataBytes: number, sampleRate = SAMPLE_RATE): Buffer {
  const h = Buffer.alloc(WAV_HEADER_SIZE);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size for PCM
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * A streaming WAV writer: writes the header up front, appends samples in ~1 s batches from a
 * preallocated buffer, and patches the RIFF and data sizes on `finish()`. Writes are
 * serialised on one promise chain; `append` is synchronous and never allocates, so it can
 * be called from the mixer tick.
 */
export class WavWriter {
  readonly path: string;
  readonly #buffer: Buffer;
  #buffered = 0;
  #dataBytes = 0;
  #chain: Promise<void>;
  #handle: FileHandle | undefined;
  #finished = false;
  #error: unknown;

  private constructor(path: string, handle: FileHandle, batchSeconds: number) {
    this.path = path;
    this.#handle = handle;
    this.#buffer = Buffer.alloc(SAMPLE_RATE * 2 * batchSeconds);
    this.#chain = handle.write(wavHeader(0), 0, WAV_HEADER_SIZE, 0).then(() => undefined);
    this.#chain.catch((err: unknown) => {
      this.#error = err;
    });
  }

  /** Creates (truncates) `path` and writes a provisional header. Rejects `MEDIA_FILE`. */
  static async create(path: string, batchSeconds = 1): Promise<WavWriter> {
    try {
      const handle = await open(path, 'w');
      return new WavWriter(path, handle, batchSeconds);
    } catch (err) {
      throw new AppError('MEDIA_FILE', 'cannot create recording file', { cause: err, details: { path } });
    }
  }

  /** Samples written so far (including those still buffered). */
  get samples(): number {
    return (this.#dataBytes + this.#buffered) / 2;
  }

  /** Duration written so far, in ms. */
  get durationMs(): number {
    return Math.round((this.samples * 1000) / SAMPLE_RATE);
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Appends 16-bit samples (little-endian on disk). A no-op once finished. */
  append(samples: Int16Array): void {
    if (this.#finished) return;
    const buf = this.#buffer;
    for (const sample of samples) {
      if (this.#buffered >= buf.length) this.#flush();
      buf.writeInt16LE(sample, this.#buffered);
      this.#buffered += 2;
    }
  }

  /**
   * Flushes, patches the header sizes and closes the file. Idempotent; resolves with the
   * duration in ms. Rejects `MEDIA_FILE` if a write failed.
   */
  async finish(): Promise<number> {
    if (!this.#finished) {
      this.#finished = true;
      this.#flush();
      const handle = this.#handle;
      this.#handle = undefined;
      this.#chain = this.#chain
        .then(async () => {
          if (handle === undefined) return;
          await handle.write(wavHeader(this.#dataBytes), 0, WAV_HEADER_SIZE, 0);
        })
        .finally(() => handle?.close())
        .catch((err: unknown) => {
          this.#error ??= err;
        });
    }
    await this.#chain;
    if (this.#error !== undefined) {
      throw new AppError('MEDIA_FILE', 'recording file could not be written', { cause: this.#error, details: { path: this.path } });
    }
    return this.durationMs;
  }

  #flush(): void {
    if (this.#buffered === 0) return;
    const handle = this.#handle;
    if (handle === undefined) return;
    // The batch is copied once (a 1 s batch, not per frame) so the buffer can be reused.
    const chunk = Buffer.from(this.#buffer.subarray(0, this.#buffered));
    const position = WAV_HEADER_SIZE + this.#dataBytes;
    this.#dataBytes += this.#buffered;
    this.#buffered = 0;
    this.#chain = this.#chain
      .then(async () => {
        await handle.write(chunk, 0, chunk.length, position);
      })
      .catch((err: unknown) => {
        this.#error ??= err;
      });
  }
}
