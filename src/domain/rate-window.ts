/** Counts events in fixed windows: at most `max` per `windowMs` (the global new-call rate). Pure. */
export class RateWindow {
  readonly #max: number;
  readonly #windowMs: number;
  #start = -Infinity;
  #count = 0;

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Takes one slot at `now`; false when the window is full (nothing is taken then). */
  take(now: number): boolean {
    if (now - this.#start >= this.#windowMs) {
      this.#start = now;
      this.#count = 0;
    }
    if (this.#count >= this.#max) return false;
    this.#count += 1;
    return true;
  }

  /** Whole seconds until the current window ends (at least 1), for Retry-After. */
  secondsLeft(now: number): number {
    return Math.max(1, Math.ceil((this.#start + this.#windowMs - now) / 1000));
  }
}
