import type { ServiceNumber } from '../domain/service-number.ts';
import { AppError } from '../lib/errors.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { badField } from './validation.ts';

function checkAccount(ctx: AdminContext, accountId: string | null): void {
  if (accountId !== null && ctx.store.accounts.get(accountId) === null) throw badField('body/accountId', 'must be an existing account');
}

/** Adds a number callers may dial (digits, optionally with a leading `+`), for an account or none yet. */
export function createServiceNumber(ctx: AdminContext, input: { number: string; accountId: string | null; label: string | null }): ServiceNumber {
  if (!/^\+?[0-9]{1,15}$/.test(input.number)) throw badField('body/number', 'must be 1 to 15 digits, optionally after a +');
  checkAccount(ctx, input.accountId);
  const created = ctx.store.serviceNumbers.create(input, ctx.now());
  audit(ctx, { accountId: input.accountId, action: 'service-number.created', target: { kind: 'service-number', id: input.number }, detail: {} });
  return created;
}

/** Assigns a number to another account (only while no other account's room uses it) or relabels it. */
export function updateServiceNumber(ctx: AdminContext, number: string, patch: { accountId?: string | null | undefined; label?: string | null | undefined }): ServiceNumber {
  const current = ctx.store.serviceNumbers.get(number);
  if (current === null) throw new AppError('NOT_FOUND', 'service number not found');
  if (patch.accountId !== undefined) {
    checkAccount(ctx, patch.accountId);
    const users = [...ctx.store.serviceNumbers.roomCounts(number).keys()].filter((a) => a !== patch.accountId);
    if (users.length > 0) throw new AppError('SERVICE_NUMBER_IN_USE', 'rooms of another account use the number: move or delete them first');
  }
  const updated = ctx.store.serviceNumbers.update(number, {
    ...(patch.accountId === undefined ? {} : { accountId: patch.accountId }),
    ...(patch.label === undefined ? {} : { label: patch.label }),
  });
  audit(ctx, { accountId: updated.accountId, action: 'service-number.updated', target: { kind: 'service-number', id: number }, detail: { fields: Object.keys(patch) } });
  return updated;
}

/** Deletes a number no room uses. */
export function deleteServiceNumber(ctx: AdminContext, number: string): void {
  const current = ctx.store.serviceNumbers.get(number);
  if (current === null) throw new AppError('NOT_FOUND', 'service number not found');
  if (ctx.store.serviceNumbers.roomCounts(number).size > 0) throw new AppError('SERVICE_NUMBER_IN_USE', 'rooms use the number: move or delete them first');
  ctx.store.serviceNumbers.remove(number);
  audit(ctx, { accountId: current.accountId, action: 'service-number.deleted', target: { kind: 'service-number', id: number }, detail: {} });
}
