/**
 * The event loop's recent lag, for the admission saturation guard: a timer that should fire
 * every 50 ms measures how late it runs; the value is the largest lateness of the last
 * second (so one slow tick is noticed, and forgotten a second later). The embedded engine's
 * media clock runs on this loop, so its lateness is this lag too.
 */
export interface LoopLagProbe {
  /** Largest lateness in the last second, ms. */
  lagMs(): number;
  stop(): void;
}

const INTERVAL_MS = 50;
const SLOTS = 20;

/** Starts the probe (its timer is unref'd: it never keeps the process alive). */
export function startLoopLagProbe(): LoopLagProbe {
  const recent = new Float64Array(SLOTS);
  let slot = 0;
  let due = performance.now() + INTERVAL_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    recent[slot] = Math.max(0, now - due);
    slot = (slot + 1) % SLOTS;
    due = now + INTERVAL_MS;
  }, INTERVAL_MS);
  timer.unref();
  return {
    lagMs: () => {
      // The tick that has not run yet counts too: a loop blocked right now is lagging now.
      let max = Math.max(0, performance.now() - due);
      for (const v of recent) if (v > max) max = v;
      return max;
    },
    stop: () => { clearInterval(timer); },
  };
}
