import type { CollectOptions, CollectResult } from '../../ports/media-options.ts';

/**
 * Collects DTMF digits in Node from the leg's de-duplicated digit stream (rather than
 * FreeSWITCH's `play_and_get_digits`, which splits its arguments on spaces and forces a 1 s
 * minimum timeout — FIELD-NOTES). Settles exactly once through `done`.
 */
export class DigitCollector {
  #digits = '';
  #timer: NodeJS.Timeout | undefined;
  #finished = false;
  readonly #options: CollectOptions;
  readonly #done: (result: CollectResult) => void;

  constructor(options: CollectOptions, done: (result: CollectResult) => void) {
    this.#options = options;
    this.#done = done;
    this.#arm(options.firstDigitTimeoutMs);
  }

  /** True once a result was delivered. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Feeds one digit. */
  push(digit: string): void {
    if (this.#finished) return;
    const { terminator, maxDigits } = this.#options;
    if (terminator !== undefined && digit === terminator) {
      // A terminator before minDigits still ends the entry; the flow judges a short entry.
      this.#finish('terminator');
      return;
    }
    this.#digits += digit;
    if (this.#digits.length >= maxDigits) {
      this.#finish('max');
      return;
    }
    this.#arm(this.#options.interDigitTimeoutMs);
  }

  /** Ends collection now (abort, hang-up). */
  stop(): void {
    this.#finish('stopped');
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#finish('timeout');
    }, Math.max(0, ms));
  }

  #finish(reason: CollectResult['reason']): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#done({ digits: this.#digits, reason });
  }
}
