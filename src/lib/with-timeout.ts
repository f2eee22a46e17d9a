import { AppError } from './errors.ts';

/**
 * Settles with `promise`, or rejects with `OPERATION_TIMEOUT` after `ms`. Every engine
 * operation goes through this so that no promise the port returns can hang forever.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('OPERATION_TIMEOUT', `${what} did not finish within ${String(ms)} ms`));
    }, ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}
