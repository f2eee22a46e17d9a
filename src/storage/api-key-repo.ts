import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ApiKeyInfo, User, UserRole } from '../domain/access.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { apiKeyPrefix, hashApiKey } from './api-key-hash.ts';
import { pageOf } from './page.ts';

interface KeyRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

function toInfo(r: KeyRow): ApiKeyInfo {
  return { id: r.id, userId: r.user_id, name: r.name, prefix: r.prefix, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** Users' API keys, stored as SHA-256 hashes: many per user, named, revocable. */
export class ApiKeyRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a key for a user (its hash and prefix only). */
  add(userId: string, token: string, name: string, at: Date = new Date()): ApiKeyInfo {
    const id = randomUUID();
    this.#db
      .prepare('INSERT INTO api_keys (id, user_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, userId, name, apiKeyPrefix(token), hashApiKey(token), at.toISOString());
    return this.get(id) ?? toInfo({ id, user_id: userId, name, prefix: apiKeyPrefix(token), created_at: at.toISOString(), revoked_at: null });
  }

  /** The key's listing, or null. */
  get(id: string): ApiKeyInfo | null {
    const row = this.#db.prepare<[string], KeyRow>('SELECT id, user_id, name, prefix, created_at, revoked_at FROM api_keys WHERE id = ?').get(id);
    return row === undefined ? null : toInfo(row);
  }

  /** A user's keys, newest first. */
  of(userId: string): ApiKeyInfo[] {
    return this.#db
      .prepare<[string], KeyRow>('SELECT id, user_id, name, prefix, created_at, revoked_at FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id')
      .all(userId)
      .map(toInfo);
  }

  /** A user's keys, newest first, a page at a time. */
  page(userId: string, page: PageRequest): Page<ApiKeyInfo> {
    return pageOf(page, 2, (k) => [k.createdAt, k.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, KeyRow>(
          `SELECT id, user_id, name, prefix, created_at, revoked_at FROM api_keys WHERE user_id = @userId
           ${after === null ? '' : 'AND (created_at < @at OR (created_at = @at AND id > @id))'} ORDER BY created_at DESC, id LIMIT @limit`,
        )
        .all({ userId, at: after?.[0], id: after?.[1], limit })
        .map(toInfo),
    );
  }

  /** Revokes one key; false when it was revoked already. */
  revoke(id: string, at: Date = new Date()): boolean {
    return this.#db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at.toISOString(), id).changes === 1;
  }

  /** Revokes every key of the user except the one given (by its token), if any. Returns how many. */
  revokeAllBut(userId: string, except: string | null, at: Date = new Date()): number {
    const keep = except === null ? '' : hashApiKey(except);
    return this.#db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND hash <> ? AND revoked_at IS NULL')
      .run(at.toISOString(), userId, keep).changes;
  }

  /** The user and key id of an unrevoked key of an active account, or null. */
  resolve(token: string): { user: User; keyId: string } | null {
    if (token === '') return null;
    const row = this.#db
      .prepare<[string], { key_id: string; id: string; account_id: string; name: string; role: UserRole }>(
        `SELECT k.id AS key_id, u.id, u.account_id, u.name, u.role FROM api_keys k JOIN users u ON u.id = k.user_id
         JOIN accounts a ON a.id = u.account_id WHERE k.hash = ? AND k.revoked_at IS NULL AND a.status = 'active'`,
      )
      .get(hashApiKey(token));
    return row === undefined ? null : { keyId: row.key_id, user: { id: row.id, accountId: row.account_id, name: row.name, role: row.role } };
  }
}
