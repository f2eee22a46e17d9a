import type { RecordOptions, RecordResult } from '../../../ports/media-options.ts';
import { FRAME_MS } from './frame.ts';
import { TALK_START_LEVEL, TALK_STOP_LEVEL } from './talk-detector.ts';
import type { WavWriter } from './wav-writer.ts';

/** Loud frames in a row that count as speech for `heardSpeech` and the silence end. */
const SPEECH_FRAMES = 2;

/**
 * A spoken-name recording of what one leg says: appends each received frame, and ends on
 * maxSeconds, on `silenceMs` of quiet after speech, on the terminator digit, or on stop.
 * The file is always finalised before `result` settles.
 */
export class LegRecorder {
  readonly result: Promise<RecordResult>;
  #resolve!: (r: RecordResult) => void;
  #reject!: (e: unknown) => void;
  readonly #writer: WavWriter;
  readonly #options: RecordOptions;
  readonly #maxSamples: number;
  #heardSpeech = false;
  #loud = 0;
  #quiet = 0;
  #done = false;

  constructor(writer: WavWriter, options: RecordOptions) {
    this.#writer = writer;
    this.#options = options;
    this.#maxSamples = Math.max(0, options.maxSeconds) * 8000;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get done(): boolean {
    return this.#done;
  }

  /** Records one frame with its level. */
  frame(pcm: Int16Array, level: number): void {
    if (this.#done) return;
    this.#writer.append(pcm);
    if (level >= TALK_START_LEVEL) {
      this.#loud++;
      if (this.#loud >= SPEECH_FRAMES) this.#heardSpeech = true;
    } else {
      this.#loud = 0;
    }
    this.#quiet = this.#heardSpeech && level < TALK_STOP_LEVEL ? this.#quiet + 1 : 0;
    const silenceMs = this.#options.silenceMs ?? 0;
    if (silenceMs > 0 && this.#quiet * FRAME_MS >= silenceMs) this.stop('silence');
    else if (this.#writer.samples >= this.#maxSamples) this.stop('max');
  }

  /** A digit arrived: the terminator ends the recording. */
  digit(digit: string): void {
    if (digit === this.#options.terminator) this.stop('terminator');
  }

  /** Ends the recording; the file is finalised, then `result` settles. Idempotent. */
  stop(reason: RecordResult['reason']): void {
    if (this.#done) return;
    this.#done = true;
    this.#writer.finish().then(
      (durationMs) => {
        this.#resolve({ path: this.#options.path, durationMs, reason, heardSpeech: this.#heardSpeech });
      },
      (err: unknown) => {
        this.#reject(err);
      },
    );
  }
}
