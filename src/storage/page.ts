import { AppError } from '../lib/errors.ts';

import type { Page, PageRequest } from '../domain/page.ts';

/**
 * Cursors are opaque to clients: base64url of the last item's sort key (a JSON array of
 * strings), so that a page continues exactly after the previous one however rows change.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key in a cursor; `BAD_REQUEST` naming the field for anything this server did not make. */
export function decodeCursor(cursor: string, width: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (!Array.isArray(key) || key.length !== width || !key.every((k) => typeof k === 'string')) {
    throw new AppError('BAD_REQUEST', 'querystring/cursor is not a cursor this server gave out', { details: { field: 'cursor' } });
  }
  return key;
}

/**
 * Runs a keyset query for one page: `fetch(after, limit + 1)` returns rows after the key (or
 * from the start), the extra row tells whether there is a next page.
 */
export function pageOf<T>(request: PageRequest, width: number, keyOf: (item: T) => string[], fetch: (after: string[] | null, limit: number) => T[]): Page<T> {
  const after = request.cursor === undefined ? null : decodeCursor(request.cursor, width);
  const rows = fetch(after, request.limit + 1);
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > request.limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
