/**
 * The event loop's recent lag, for the admission saturation guard: a timer that should fire
 * every 50 ms measures how late it runs; the value is the mean lateness over the last
 * second, so a loop that is late tick after tick (saturated) shows, while one long pause (a
 * start-up, a GC) is diluted and forgotten a second later. The embedded engine's media clock
 * runs on this loop, so its lateness is this lag too.
 */
export interface LoopLagProbe {
  /** Mean lateness over the last second, ms. */
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
      let sum = 0;
      for (const v of recent) sum += v;
      return sum / SLOTS;
    },
    stop: () => { clearInterval(timer); },
  };
}
