/**
 * The event loop's recent lag and busyness, for the admission saturation guard: a timer that
 * should fire every 50 ms measures how late it runs, and how much of each interval the loop
 * spent working (Node's event-loop utilization); both are taken over the last second, so a
 * loop that is late or busy tick after tick (saturated) shows, while one long pause (a GC) is
 * diluted and forgotten a second later. A loop can be busy all the time and still never late
 * by much — many short tasks, as when calls arrive faster than the FreeSWITCH engine's events
 * are parsed — which is why busyness is watched too. The embedded engine's media clock runs on
 * this loop when it has no media workers, so its lateness is this lag too.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoopLagProbe {
  /** Mean lateness over the last second, ms. */
  lagMs(): number;
  /** Share of the last second the loop was busy, 0–1 (0 until the probe has measured a whole second). */
  busy(): number;
  /** Forgets what was measured (after start-up, whose work says nothing about load). */
  reset(): void;
  stop(): void;
}

const INTERVAL_MS = 50;
const SLOTS = 20;

/** Starts the probe (its timer is unref'd: it never keeps the process alive). */
export function startLoopLagProbe(): LoopLagProbe {
  const late = new Float64Array(SLOTS);
  const active = new Float64Array(SLOTS);
  const idle = new Float64Array(SLOTS);
  let slot = 0;
  // Slots measured since the start or the last reset: busyness is told only over a full second,
  // so the few busy ticks right after start-up are not taken for a saturated loop.
  let measured = 0;
  let due = performance.now() + INTERVAL_MS;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.now();
    const elu = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(elu, last);
    last = elu;
    late[slot] = Math.max(0, now - due);
    active[slot] = delta.active;
    idle[slot] = delta.idle;
    slot = (slot + 1) % SLOTS;
    measured = Math.min(SLOTS, measured + 1);
    due = now + INTERVAL_MS;
  }, INTERVAL_MS);
  timer.unref();
  const sum = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);
  return {
    lagMs: () => sum(late) / SLOTS,
    busy: () => {
      if (measured < SLOTS) return 0;
      const work = sum(active);
      const total = work + sum(idle);
      return total <= 0 ? 0 : work / total;
    },
    reset: () => {
      late.fill(0);
      active.fill(0);
      idle.fill(0);
      measured = 0;
      last = performance.eventLoopUtilization();
      due = performance.now() + INTERVAL_MS;
    },
    stop: () => { clearInterval(timer); },
  };
}
