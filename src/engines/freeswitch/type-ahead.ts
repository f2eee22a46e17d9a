/** Type-ahead digits older than this are not replayed to a later collectDigits. */
export const TYPE_AHEAD_MS = 10_000;
/** At most this many type-ahead digits are kept. */
export const TYPE_AHEAD_MAX = 32;

/**
 * The digits a leg keeps for its next collectDigits (the port: "digits pressed during a
 * barge-in prompt are" replayed, digits pressed while nothing listens are not): the digit that
 * barged in, and those after it until the next collection, for a limited time.
 */
export class TypeAhead {
  #digits = '';
  #at = 0;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** A digit nobody collected; `interrupted` when it ended a barge-in prompt. */
  note(digit: string, interrupted: boolean): void {
    if (interrupted) {
      this.#digits = digit;
      this.#at = this.#now();
    } else if (this.#digits !== '' && this.#digits.length < TYPE_AHEAD_MAX) {
      this.#digits += digit;
    }
  }

  /** The kept digits (if still fresh), emptied. */
  take(): string {
    const digits = this.#now() - this.#at <= TYPE_AHEAD_MS ? this.#digits : '';
    this.#digits = '';
    return digits;
  }
}
