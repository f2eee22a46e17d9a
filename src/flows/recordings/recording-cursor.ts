import { AppError } from '../../lib/errors.ts';

/** Where a page of recordings ended: the last item's start time and id. */
export interface RecordingCursor {
  readonly startedAt: string;
  readonly id: string;
}

/** An opaque cursor for the page after `last`. */
export function encodeCursor(last: RecordingCursor): string {
  return Buffer.from(JSON.stringify([last.startedAt, last.id]), 'utf8').toString('base64url');
}

/** Reads a cursor from `encodeCursor`; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): RecordingCursor {
  const bad = (): AppError => new AppError('BAD_REQUEST', 'querystring/cursor is not a cursor this server gave out', { details: { field: 'cursor' } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [startedAt, id] = parsed as unknown[];
  if (typeof startedAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(startedAt))) throw bad();
  return { startedAt, id };
}
