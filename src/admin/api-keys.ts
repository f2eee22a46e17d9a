import type { ApiKeyInfo } from '../domain/access.ts';
import { AppError } from '../lib/errors.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { newApiKey } from './secrets.ts';
import { cleanText } from './validation.ts';

/** Issues a key for the user; the key itself is in the answer once and never again. */
export function createApiKey(ctx: AdminContext, userId: string, accountId: string, name: string): { info: ApiKeyInfo; key: string } {
  const key = newApiKey();
  const info = ctx.store.apiKeys.add(userId, key, cleanText(name, 'body/name'), ctx.now());
  audit(ctx, { accountId, action: 'api-key.created', target: { kind: 'api-key', id: info.id }, detail: { userId, name: info.name } });
  return { info, key };
}

/** Revokes a key; `INVALID_TRANSITION` when it was revoked already. */
export function revokeApiKey(ctx: AdminContext, key: ApiKeyInfo, accountId: string): void {
  if (!ctx.store.apiKeys.revoke(key.id, ctx.now())) throw new AppError('INVALID_TRANSITION', 'the key is revoked already');
  audit(ctx, { accountId, action: 'api-key.revoked', target: { kind: 'api-key', id: key.id }, detail: { userId: key.userId } });
}
