import { AppError, ERROR_CODES, type ErrorCode } from '../../../lib/errors.ts';
import type { WireError } from './worker-protocol.ts';

/** An error as it crosses to the other thread: its stable code, message and details. */
export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return { code: err.code, message: err.message, details: { ...err.details } };
  // A Node error (a failed bind) keeps its errno code, so the main thread can tell EADDRINUSE apart.
  const errno = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof errno === 'string' ? { code: 'INTERNAL', message, details: { errno } } : { code: 'INTERNAL', message };
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** The AppError a wire error stands for (an unknown code becomes INTERNAL). */
export function fromWireError(wire: WireError): AppError {
  const code = isErrorCode(wire.code) ? wire.code : 'INTERNAL';
  return new AppError(code, wire.message, wire.details === undefined ? {} : { details: wire.details });
}
