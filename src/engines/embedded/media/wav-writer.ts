import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../lib/errors.ts';
import { buildWavHeader, bytesPerSample, wavHeaderSize, type WavEncoding } from '../../../lib/wav-format.ts';
import { SAMPLE_RATE } from './frame.ts';
import { ULAW_ENCODE } from './g711.ts';

/** Size of the canonical PCM WAV header (RIFF + fmt + data chunk headers). */
export const WAV_HEADER_SIZE = 44;

/** Builds a canonical 44-byte header for 8 kHz mono 16-bit PCM with `dataBytes` of data. */
export function wavHeader(dataBytes: number, sampleRate = SAMPLE_RATE): Buffer {
  return buildWavHeader('pcm16', dataBytes, sampleRate);
}

/** Options of {@link WavWriter.create}. */
export interface WavWriterOptions {
  /** Seconds of audio buffered between writes; default 1. */
  readonly batchSeconds?: number;
  /** Sample encoding on disk; default 16-bit PCM. */
  readonly encoding?: WavEncoding;
  /** Called once when a write fails (disk full, I/O error); what was written before stays. */
  readonly onError?: (err: AppError) => void;
}

/**
 * A streaming WAV writer: writes the header up front, appends samples in ~1 s batches from a
 * preallocated buffer, and patches the RIFF and data sizes on `finish()`. Writes are
 * serialised on one promise chain; `append` is synchronous and never allocates, so it can
 * be called from the mixer tick.
 */
export class WavWriter {
  readonly path: string;
  readonly encoding: WavEncoding;
  readonly #bps: number;
  readonly #headerSize: number;
  readonly #onError: ((err: AppError) => void) | undefined;
  readonly #buffer: Buffer;
  #buffered = 0;
  #dataBytes = 0;
  #chain: Promise<void>;
  #handle: FileHandle | undefined;
  #finished = false;
  #error: unknown;

  private constructor(path: string, handle: FileHandle, options: WavWriterOptions) {
    this.path = path;
    this.encoding = options.encoding ?? 'pcm16';
    this.#bps = bytesPerSample(this.encoding);
    this.#headerSize = wavHeaderSize(this.encoding);
    this.#onError = options.onError;
    this.#handle = handle;
    this.#buffer = Buffer.alloc(SAMPLE_RATE * this.#bps * (options.batchSeconds ?? 1));
    const header = buildWavHeader(this.encoding, 0);
    this.#chain = handle.write(header, 0, header.length, 0).then(
      () => undefined,
      (err: unknown) => {
        this.#failed(err);
      },
    );
  }

  /** Creates (truncates) `path` and writes a provisional header. Rejects `MEDIA_FILE`. */
  static async create(path: string, options: WavWriterOptions = {}): Promise<WavWriter> {
    try {
      const handle = await open(path, 'w');
      return new WavWriter(path, handle, options);
    } catch (err) {
      throw new AppError('MEDIA_FILE', 'cannot create recording file', { cause: err, details: { path } });
    }
  }

  /** Samples written so far (including those still buffered). */
  get samples(): number {
    return (this.#dataBytes + this.#buffered) / this.#bps;
  }

  /** Duration written so far, in ms. */
  get durationMs(): number {
    return Math.round((this.samples * 1000) / SAMPLE_RATE);
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Whether a write failed (the file holds what was written before). */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Appends 16-bit samples (little-endian PCM, or µ-law bytes, on disk). A no-op once finished or failed. */
  append(samples: Int16Array): void {
    if (this.#finished || this.#error !== undefined) return;
    const buf = this.#buffer;
    const ulaw = this.#bps === 1;
    for (const sample of samples) {
      if (this.#buffered >= buf.length) this.#flush();
      if (ulaw) {
        buf[this.#buffered] = ULAW_ENCODE[sample + 32768] ?? 0xff;
        this.#buffered += 1;
      } else {
        buf.writeInt16LE(sample, this.#buffered);
        this.#buffered += 2;
      }
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
          const header = buildWavHeader(this.encoding, this.#dataBytes);
          await handle.write(header, 0, header.length, 0);
        })
        .finally(() => handle?.close())
        .catch((err: unknown) => {
          this.#failed(err);
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
    const position = this.#headerSize + this.#dataBytes;
    this.#dataBytes += this.#buffered;
    this.#buffered = 0;
    this.#chain = this.#chain
      .then(async () => {
        if (this.#error === undefined) await handle.write(chunk, 0, chunk.length, position);
      })
      .catch((err: unknown) => {
        this.#failed(err);
      });
  }

  #failed(err: unknown): void {
    if (this.#error !== undefined) return;
    this.#error = err;
    this.#onError?.(new AppError('MEDIA_FILE', 'recording file could not be written', { cause: err, details: { path: this.path } }));
  }
}
