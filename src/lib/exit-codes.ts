import { isAppError } from './errors.ts';

/** The process exit codes, documented in the README. */
export const EXIT_CODES = {
  /** Stopped on a signal (or its parent died) and shut down cleanly. */
  ok: 0,
  /** A run-time failure: a port in use, an unusable DATA_DIR, an engine that did not start. */
  failure: 1,
  /** Bad settings: nothing was started. */
  badSettings: 2,
} as const;

/** The exit code for an error that stopped the start: 2 for bad settings, else 1. */
export function exitCodeFor(err: unknown): number {
  return isAppError(err, 'CONFIG_INVALID') ? EXIT_CODES.badSettings : EXIT_CODES.failure;
}
