import { AppError } from '../lib/errors.ts';

/** An inclusive byte range of a file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The single byte range a `Range` header asks of a `size`-byte file (RFC 9110 §14.1.2:
 * `bytes=a-b`, `bytes=a-`, `bytes=-n`), or null for the whole file (no header, another
 * unit, or several ranges — which a server may ignore, §14.2). Rejects
 * `RANGE_NOT_SATISFIABLE` when the range starts beyond the end.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return null;
  }
  if (start >= size) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): AppError {
  return new AppError('RANGE_NOT_SATISFIABLE', 'the requested range is outside the file', { details: { size } });
}
