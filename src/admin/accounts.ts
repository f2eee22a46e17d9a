import type { UserProfile } from '../domain/access.ts';
import type { Account, AccountStatus } from '../domain/account.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { createApiKey } from './api-keys.ts';
import { createUser, type UserInput } from './users.ts';
import { cleanText } from './validation.ts';

/** A new account with its first admin. */
export interface AccountInput {
  readonly name: string;
  readonly retentionMonths?: number | null | undefined;
  readonly admin: Omit<UserInput, 'role'>;
}

/** Creates an account and its first admin, with an API key for that admin shown once. */
export async function createAccount(ctx: AdminContext, input: AccountInput): Promise<{ account: Account; admin: UserProfile; apiKey: { id: string; key: string } }> {
  const name = cleanText(input.name, 'body/name');
  const account = ctx.store.accounts.create({ name, retentionMonths: input.retentionMonths ?? null }, ctx.now());
  try {
    const admin = await createUser(ctx, account.id, { ...input.admin, role: 'admin' });
    const { info, key } = createApiKey(ctx, admin.id, account.id, 'first key');
    audit(ctx, { accountId: account.id, action: 'account.created', target: { kind: 'account', id: account.id }, detail: {} });
    return { account, admin, apiKey: { id: info.id, key } };
  } catch (err) {
    // The admin could not be made (a taken email): no account without an admin is left behind.
    ctx.store.transaction(() => {
      ctx.store.audit.record({ accountId: account.id, actor: ctx.actor, action: 'account.creation-failed', target: { kind: 'account', id: account.id }, detail: {} }, ctx.now());
      ctx.store.accounts.removeEmpty(account.id);
    });
    throw err;
  }
}

/** Changes an account's name, retention, recording settings, or whether it keeps spoken-name clips or requires billing codes. */
export function updateAccount(
  ctx: AdminContext,
  accountId: string,
  patch: {
    name?: string | undefined;
    retentionMonths?: number | null | undefined;
    recordAllConferences?: boolean | undefined;
    recordingReminderSeconds?: number | null | undefined;
    keepNameClips?: boolean | undefined;
    requireBillingCode?: boolean | undefined;
    erasureKeepsRecordings?: boolean | undefined;
  },
): Account {
  const updated = ctx.store.accounts.update(accountId, {
    ...(patch.name === undefined ? {} : { name: cleanText(patch.name, 'body/name') }),
    ...(patch.retentionMonths === undefined ? {} : { retentionMonths: patch.retentionMonths }),
    ...(patch.recordAllConferences === undefined ? {} : { recordAllConferences: patch.recordAllConferences }),
    ...(patch.recordingReminderSeconds === undefined ? {} : { recordingReminderSeconds: patch.recordingReminderSeconds }),
    ...(patch.keepNameClips === undefined ? {} : { keepNameClips: patch.keepNameClips }),
    ...(patch.requireBillingCode === undefined ? {} : { requireBillingCode: patch.requireBillingCode }),
    ...(patch.erasureKeepsRecordings === undefined ? {} : { erasureKeepsRecordings: patch.erasureKeepsRecordings }),
  });
  audit(ctx, { accountId, action: 'account.updated', target: { kind: 'account', id: accountId }, detail: { fields: Object.keys(patch) } });
  return updated;
}

/**
 * Suspends, resumes or closes an account. Suspended and closed accounts' keys and sessions
 * stop working and their rooms take no calls; closing also ends their running conferences
 * (`endConferences`) and starts the retention clock of the account's data.
 */
export async function setAccountStatus(ctx: AdminContext, accountId: string, status: AccountStatus, endConferences: (accountId: string) => Promise<void>): Promise<Account> {
  const updated = ctx.store.accounts.setStatus(accountId, status, ctx.now());
  audit(ctx, { accountId, action: `account.${status === 'active' ? 'resumed' : status}`, target: { kind: 'account', id: accountId }, detail: {} });
  if (status !== 'active') await endConferences(accountId);
  return updated;
}
