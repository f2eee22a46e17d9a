import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../domain/principal.ts';
import { StampedCache } from '../storage/change-stamp.ts';
import type { Store } from '../storage/store.ts';

/** What a request proved it holds. */
export interface Credential {
  readonly kind: 'operator-key' | 'api-key' | 'session';
  /** The key's id, or the session's id (its token's hash); `operator` for the operator key. */
  readonly id: string;
}

/** A resolved caller: who they are and by what credential. */
export interface Authenticated {
  readonly principal: Principal;
  readonly credential: Credential;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Turns credentials into principals: the operator key (compared in constant time), users'
 * API keys and browser sessions (stored hashed; users of suspended or closed accounts are
 * nobody). A delegate's principal carries the hosts they act for, read at every request, so
 * a revoked delegation takes effect at once. What an API key resolves to is kept in memory
 * (by the key's hash, never the key) until any key, user, account or delegation changes —
 * here or through another connection — so a revocation still acts on the next request.
 */
export class Authenticator {
  readonly #store: Store;
  readonly #operatorKeyHash: Buffer;
  readonly #keys: StampedCache<string, Authenticated | null>;

  constructor(store: Store, operatorKey: string) {
    this.#store = store;
    this.#operatorKeyHash = sha256(operatorKey);
    this.#keys = new StampedCache(store.accessChanges);
  }

  /** The caller behind a bearer token, or null. */
  bearer(token: string): Authenticated | null {
    const hash = sha256(token);
    if (timingSafeEqual(hash, this.#operatorKeyHash)) return { principal: { kind: 'operator' }, credential: { kind: 'operator-key', id: 'operator' } };
    return this.#keys.get(hash.toString('hex'), () => {
      const found = this.#store.apiKeys.resolve(token);
      if (found === null) return null;
      const principal = this.userPrincipal(found.user.id);
      return principal === null ? null : { principal, credential: { kind: 'api-key', id: found.keyId } };
    });
  }

  /** The caller behind a session cookie at `now`, with the hash of the session's CSRF token, or null. */
  session(token: string, now: Date): (Authenticated & { csrfTokenHash: string }) | null {
    const found = this.#store.sessions.resolve(token, now);
    if (found === null) return null;
    const principal = this.userPrincipal(found.user.id);
    if (principal === null) return null;
    return { principal, credential: { kind: 'session', id: found.id }, csrfTokenHash: found.csrfTokenHash };
  }

  /** Whether a credential still works (checked by long-lived streams). */
  stillValid(credential: Credential, now: Date): boolean {
    switch (credential.kind) {
      case 'operator-key':
        return true;
      case 'api-key': {
        const key = this.#store.apiKeys.get(credential.id);
        return key !== null && key.revokedAt === null && this.#accountActive(key.userId);
      }
      case 'session':
        return this.#store.sessions.stillLive(credential.id, now);
    }
  }

  /** The principal of a user (null when the user is gone). */
  userPrincipal(userId: string): Extract<Principal, { kind: 'user' }> | null {
    const user = this.#store.users.get(userId);
    if (user === null) return null;
    const actsFor = user.role === 'delegate' ? this.#store.delegations.hostsOf(user.id) : [];
    return { kind: 'user', id: user.id, accountId: user.accountId, role: user.role, actsFor };
  }

  #accountActive(userId: string): boolean {
    const user = this.#store.users.get(userId);
    return user !== null && this.#store.accounts.get(user.accountId)?.status === 'active';
  }
}
