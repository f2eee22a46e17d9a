/**
 * Reconnect delays: exponential from `initialMs`, capped at `maxMs` (an uncapped backoff grows
 * without bound — FIELD-NOTES), with up to 20 % jitter subtracted so that several instances
 * do not reconnect in step.
 */
export function backoffDelay(attempt: number, maxMs: number, initialMs = 250, random: () => number = Math.random): number {
  const exp = initialMs * 2 ** Math.max(0, Math.min(attempt, 30));
  const capped = Math.min(maxMs, exp);
  return Math.max(0, Math.round(capped * (1 - 0.2 * random())));
}
