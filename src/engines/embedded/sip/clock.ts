/** A clock the SIP timers run on, so that RFC 3261 §17 timers can be tested without waiting. */

/** An opaque timer handle. */
export interface ClockTimer {
  cancel(): void;
}

/** Time and one-shot timers. */
export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): ClockTimer;
}

/** The wall clock: Node timers, unref'd so a pending SIP timer never keeps the process alive. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => { clearTimeout(t); } };
  },
};

/** A manual clock for tests: time moves only when `advance` is called. */
export class FakeClock implements Clock {
  #now = 0;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): ClockTimer {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return { cancel: () => { this.#timers.delete(id); } };
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward, firing due timers in order (timers they set also fire if due). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, t] of this.#timers) {
        if (t.at <= target && (t.at < nextAt || (t.at === nextAt && nextId !== undefined && id < nextId))) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.#timers.get(nextId);
      this.#timers.delete(nextId);
      this.#now = nextAt;
      timer?.fn();
    }
    this.#now = target;
  }
}
