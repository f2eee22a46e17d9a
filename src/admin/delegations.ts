import { AppError } from '../lib/errors.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { badField } from './validation.ts';

/** Makes a delegate act for a host of the same account; 400 naming the field otherwise. */
export function grantDelegation(ctx: AdminContext, accountId: string, delegateUserId: string, hostUserId: string): void {
  const delegate = ctx.store.users.get(delegateUserId);
  const host = ctx.store.users.get(hostUserId);
  if (delegate?.accountId !== accountId || delegate.role !== 'delegate') throw badField('body/delegateUserId', 'must be a delegate of the account');
  if (host?.accountId !== accountId || host.role === 'delegate') throw badField('body/hostUserId', 'must be a host or an admin of the account');
  if (!ctx.store.delegations.grant(delegateUserId, hostUserId, ctx.now())) throw new AppError('INVALID_TRANSITION', 'the delegate acts for this host already');
  audit(ctx, { accountId, action: 'delegation.granted', target: { kind: 'user', id: delegateUserId }, detail: { hostUserId } });
}

/** Ends a delegation; `NOT_FOUND` when there was none. */
export function revokeDelegation(ctx: AdminContext, accountId: string, delegateUserId: string, hostUserId: string): void {
  if (!ctx.store.delegations.revoke(delegateUserId, hostUserId)) throw new AppError('NOT_FOUND', 'no such delegation');
  audit(ctx, { accountId, action: 'delegation.revoked', target: { kind: 'user', id: delegateUserId }, detail: { hostUserId } });
}
