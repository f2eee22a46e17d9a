import type { CollectOptions, CollectResult } from '../../../ports/media-options.ts';

/** Timer functions, injectable so tests can use a fake clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/**
 * Collects DTMF digits against min/max, a terminator, a first-digit timeout (armed once any
 * prompt has finished) and an inter-digit timeout. The owner feeds digits with `push`,
 * calls `promptDone` when the prompt ends (or right away without one) and `stop` on
 * abort or close. `result` always settles.
 */
export class DigitCollector {
  readonly result: Promise<CollectResult>;
  #resolve!: (r: CollectResult) => void;
  #digits = '';
  #timer: unknown;
  #done = false;
  #armed = false;
  readonly #options: CollectOptions;
  readonly #timers: Timers;

  constructor(options: CollectOptions, timers: Timers = realTimers) {
    this.#options = options;
    this.#timers = timers;
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (options.maxDigits <= 0) this.#finish('max');
  }

  get done(): boolean {
    return this.#done;
  }

  /** The prompt finished (or there is none): the first-digit timeout starts now. */
  promptDone(): void {
    if (this.#done || this.#armed) return;
    this.#armed = true;
    if (this.#digits.length === 0) this.#arm(this.#options.firstDigitTimeoutMs);
  }

  /** One digit arrived. */
  push(digit: string): void {
    if (this.#done) return;
    const o = this.#options;
    if (o.terminator !== undefined && digit === o.terminator) {
      // A terminator before the minimum is still an end: the caller checks the length.
      this.#finish('terminator');
      return;
    }
    this.#digits += digit;
    if (this.#digits.length >= o.maxDigits) {
      this.#finish('max');
      return;
    }
    this.#armed = true;
    this.#arm(o.interDigitTimeoutMs);
  }

  /** Ends with `stopped` (abort, hang-up). */
  stop(): void {
    this.#finish('stopped');
  }

  #arm(ms: number): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#finish('timeout');
    }, ms);
  }

  #finish(reason: CollectResult['reason']): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#resolve({ digits: this.#digits, reason });
  }
}
