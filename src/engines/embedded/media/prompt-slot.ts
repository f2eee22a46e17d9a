import type { PlayOptions, PlayResult } from '../../../ports/media-options.ts';
import { FrameSource } from './frame-source.ts';
import { loadPrompt } from './wav-cache.ts';

interface Playback {
  source: FrameSource | undefined;
  readonly bargeIn: boolean;
  /** Lower the room audio under this prompt (PlayOptions.duck). */
  readonly duck: boolean;
  settled: boolean;
  readonly finish: (result: PlayResult) => void;
  readonly fail: (err: unknown) => void;
}

/**
 * One leg's prompt playback: at most one at a time (a new play stops the previous one with
 * `stopped`). Files load asynchronously through the prompt cache; once loaded, the mixer
 * tick pulls 20 ms frames with {@link mixInto}. Every playback settles exactly once:
 * `completed`, `interrupted` (barge-in digit), or `stopped` (stop, abort, close).
 */
export class PromptSlot {
  #current: Playback | undefined;

  /** Whether a prompt is playing or loading. */
  get active(): boolean {
    return this.#current !== undefined;
  }

  /** Whether the prompt now playing asks for the room audio to be lowered under it. */
  get ducking(): boolean {
    return this.#current?.source !== undefined && this.#current.duck;
  }

  /** Plays WAV files in sequence; rejects `MEDIA_FILE` when one cannot be loaded. */
  play(files: readonly string[], options: PlayOptions = {}): Promise<PlayResult> {
    const { promise, playback } = this.#start(options.bargeIn === true, options.signal, options.duck === true);
    Promise.all(files.map((f) => loadPrompt(f))).then(
      (clips) => {
        if (playback.settled) return;
        const source = new FrameSource(clips, options.loop === true);
        if (source.done) playback.finish({ reason: 'completed' });
        else playback.source = source;
      },
      (err: unknown) => {
        playback.fail(err);
      },
    );
    return promise;
  }

  /** Plays an already-decoded clip (the beep); no barge-in. */
  playClip(clip: Int16Array, signal?: AbortSignal): Promise<PlayResult> {
    const { promise, playback } = this.#start(false, signal, false);
    if (!playback.settled) playback.source = new FrameSource([clip], false);
    return promise;
  }

  /** Stops the current playback (it resolves `stopped`). */
  stop(): void {
    this.#current?.finish({ reason: 'stopped' });
  }

  /** A digit arrived: a barge-in playback ends `interrupted`. Returns whether it did. */
  digit(digit: string): boolean {
    const current = this.#current;
    if (current?.bargeIn !== true) return false;
    current.finish({ reason: 'interrupted', digit });
    return true;
  }

  /** Mixes the next 20 ms of the prompt into `out`; completes the playback at its end. */
  mixInto(out: Int16Array): void {
    const current = this.#current;
    const source = current?.source;
    if (current === undefined || source === undefined) return;
    source.mixInto(out);
    if (source.done) current.finish({ reason: 'completed' });
  }

  #start(bargeIn: boolean, signal: AbortSignal | undefined, duck: boolean): { promise: Promise<PlayResult>; playback: Playback } {
    this.stop();
    let resolve!: (r: PlayResult) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<PlayResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const onAbort = (): void => {
      playback.finish({ reason: 'stopped' });
    };
    const settle = (): boolean => {
      if (playback.settled) return false;
      playback.settled = true;
      if (this.#current === playback) this.#current = undefined;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const playback: Playback = {
      source: undefined,
      bargeIn,
      duck,
      settled: false,
      finish: (result) => {
        if (settle()) resolve(result);
      },
      fail: (err) => {
        if (settle()) reject(err);
      },
    };
    this.#current = playback;
    if (signal?.aborted === true) playback.finish({ reason: 'stopped' });
    else signal?.addEventListener('abort', onAbort, { once: true });
    return { promise, playback };
  }
}
