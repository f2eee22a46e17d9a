/** A job that runs a pass now and then on a timer, never two passes at once. */
export interface PeriodicJob<T> {
  /** One pass now (or the one in progress): resolves with what it did. */
  runOnce(): Promise<T>;
  /** Stops the timer (a pass in progress finishes). Idempotent. */
  stop(): void;
}

/**
 * The framework of the scheduled jobs (recording retention, data retention): a first pass at
 * once, then one every `intervalMs` on an unref'd timer (it never keeps the process alive);
 * a pass asked for while one runs joins it; a failing pass is reported to `onError` and the
 * next one runs as usual.
 */
export function startPeriodicJob<T>(pass: () => Promise<T>, intervalMs: number, onError: (err: unknown) => void): PeriodicJob<T> {
  let running: Promise<T> | null = null;
  const runOnce = (): Promise<T> => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };
  const kick = (): void => {
    runOnce().catch(onError);
  };
  kick();
  const timer = setInterval(kick, intervalMs);
  timer.unref();
  return {
    runOnce,
    stop() {
      clearInterval(timer);
    },
  };
}
