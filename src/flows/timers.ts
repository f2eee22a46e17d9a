/** A pending timer; `cancel()` is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Where flows get their timers from, injected beside the clock so that long delays (the
 * "end after the last host left" grace) can be tested on a fake clock. A timer from
 * {@link realTimers} never keeps the process alive.
 */
export interface Timers {
  /** Calls `fn` once, `ms` from now, unless cancelled first. */
  after(ms: number, fn: () => void): TimerHandle;
}

/** Node's timers, unref'd. */
export const realTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return {
      cancel() {
        clearTimeout(timer);
      },
    };
  },
};
