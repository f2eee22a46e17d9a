import { parse } from 'csv-parse/sync';
import type { RawContact } from '../admin/contact-input.ts';
import { AppError } from '../lib/errors.ts';

/** Header names accepted for each field (case and spaces ignored). */
const HEADERS: Readonly<Record<string, keyof RawContact>> = {
  number: 'number',
  phone: 'number',
  'phone number': 'number',
  name: 'name',
  company: 'company',
  organisation: 'company',
  organization: 'company',
};

/**
 * Reads a contact CSV (RFC 4180, a header row naming `number`, `name` and optionally
 * `company`; other columns ignored) into rows; 400 `BAD_REQUEST` for a malformed file.
 */
export function parseContactsCsv(text: string): RawContact[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => HEADERS[h.trim().toLowerCase()] ?? false),
      skip_empty_lines: true,
      trim: true,
    });
  } catch (err) {
    throw new AppError('BAD_REQUEST', `body is not a readable CSV file: ${err instanceof Error ? err.message : String(err)}`, { details: { field: 'body' } });
  }
  return records.map((r) => ({ number: r.number, name: r.name, company: r.company === '' ? undefined : r.company }));
}
