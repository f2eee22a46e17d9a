import type { CountryCode } from 'libphonenumber-js';
import type { Contact, ImportResult } from '../domain/contact.ts';
import { AppError } from '../lib/errors.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { contactInput, type RawContact } from './contact-input.ts';

/** The most rows one import may carry. */
export const MAX_IMPORT_ROWS = 10_000;

/** Creates the contact of a number, or renames the one that has it (upsert by E.164 number). */
export function upsertContact(ctx: AdminContext, accountId: string, raw: RawContact, defaultCountry?: CountryCode): { contact: Contact; created: boolean } {
  const input = contactInput(raw, 'body', defaultCountry);
  const result = ctx.store.contacts.upsert(accountId, input, ctx.now());
  audit(ctx, { accountId, action: result.created ? 'contact.created' : 'contact.updated', target: { kind: 'contact', id: result.contact.id }, detail: {} });
  return result;
}

/**
 * Imports rows (from JSON or CSV) in one transaction: every row is checked first, and one bad
 * row rejects the whole import with 400 naming it, so nothing is half-imported. A number
 * that appears twice keeps its last row. Audited once, with counts and no numbers.
 */
export function importContacts(ctx: AdminContext, accountId: string, rows: readonly RawContact[], field: string, defaultCountry?: CountryCode): ImportResult {
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new AppError('BAD_REQUEST', `${field} has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import`, { details: { field, max: MAX_IMPORT_ROWS } });
  }
  const byNumber = new Map(rows.map((row, i) => contactInput(row, `${field}/${i}`, defaultCountry)).map((c) => [c.number, c]));
  const result = ctx.store.contacts.upsertMany(accountId, [...byNumber.values()], ctx.now());
  audit(ctx, { accountId, action: 'contacts.imported', target: { kind: 'account', id: accountId }, detail: { rows: rows.length, ...result } });
  return result;
}

/** Changes a contact; `CONTACT_EXISTS` when the new number is another contact's. */
export function updateContact(ctx: AdminContext, contact: Contact, patch: RawContact, defaultCountry?: CountryCode): Contact {
  const input = contactInput({ number: contact.number, name: contact.name, company: contact.company, ...patch }, 'body', defaultCountry);
  const other = ctx.store.contacts.byNumber(contact.accountId, input.number);
  if (other !== null && other.id !== contact.id) throw new AppError('CONTACT_EXISTS', 'another contact has this number', { details: { field: 'number', contactId: other.id } });
  const updated = ctx.store.contacts.update(contact.id, input, ctx.now());
  if (updated === null) throw new AppError('NOT_FOUND', 'contact not found');
  audit(ctx, { accountId: contact.accountId, action: 'contact.updated', target: { kind: 'contact', id: contact.id }, detail: { fields: Object.keys(patch) } });
  return updated;
}

/** Deletes a contact. */
export function deleteContact(ctx: AdminContext, contact: Contact): void {
  ctx.store.contacts.remove(contact.id);
  audit(ctx, { accountId: contact.accountId, action: 'contact.deleted', target: { kind: 'contact', id: contact.id }, detail: {} });
}
