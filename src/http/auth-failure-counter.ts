/** At most this many addresses are tracked; beyond it the oldest windows are dropped. */
const MAX_TRACKED = 10_000;

interface Window {
  count: number;
  readonly resetsAt: number;
}

/**
 * Failed authentications per source address in fixed windows, in memory: `failed()` counts
 * one, `failures()` reads the current count. Bounded in size, so a flood of addresses cannot
 * grow it without limit.
 */
export class AuthFailureCounter {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts one failed authentication from `source`. */
  failed(source: string): void {
    const now = this.#now();
    const current = this.#windows.get(source);
    if (current !== undefined && current.resetsAt > now) {
      current.count += 1;
      return;
    }
    this.#windows.delete(source);
    if (this.#windows.size >= MAX_TRACKED) {
      const oldest = this.#windows.keys().next();
      if (oldest.done !== true) this.#windows.delete(oldest.value);
    }
    this.#windows.set(source, { count: 1, resetsAt: now + this.#windowMs });
  }

  /** Failures from `source` in its current window, and the seconds until it resets. */
  failures(source: string): { readonly count: number; readonly resetsInSeconds: number } {
    const now = this.#now();
    const current = this.#windows.get(source);
    if (current === undefined || current.resetsAt <= now) return { count: 0, resetsInSeconds: 0 };
    return { count: current.count, resetsInSeconds: Math.ceil((current.resetsAt - now) / 1000) };
  }
}
