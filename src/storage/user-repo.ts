import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { User, UserRole } from '../domain/access.ts';
import type { Account, Delegation } from '../domain/account.ts';
import { AppError } from '../lib/errors.ts';
import { apiKeyPrefix, hashApiKey } from './api-key-hash.ts';

interface UserRow {
  id: string;
  account_id: string;
  name: string;
  role: UserRole;
}

function toUser(row: UserRow): User {
  return { id: row.id, accountId: row.account_id, name: row.name, role: row.role };
}

/** Accounts, users, their API keys (hashed) and delegations. */
export class UserRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Creates an account. */
  createAccount(input: { id?: string; name: string; retentionMonths?: number | null }, at: Date = new Date()): Account {
    const account: Account = { id: input.id ?? randomUUID(), name: input.name, retentionMonths: input.retentionMonths ?? null };
    this.#db
      .prepare('INSERT INTO accounts (id, name, retention_months, created_at) VALUES (?, ?, ?, ?)')
      .run(account.id, account.name, account.retentionMonths, at.toISOString());
    return account;
  }

  /** The account, or null. */
  account(id: string): Account | null {
    const row = this.#db
      .prepare<[string], { id: string; name: string; retention_months: number | null }>('SELECT id, name, retention_months FROM accounts WHERE id = ?')
      .get(id);
    return row === undefined ? null : { id: row.id, name: row.name, retentionMonths: row.retention_months };
  }

  /** Creates a user in an account. */
  createUser(input: { id?: string; accountId: string; name: string; role: UserRole }, at: Date = new Date()): User {
    const user: User = { id: input.id ?? randomUUID(), accountId: input.accountId, name: input.name, role: input.role };
    this.#db
      .prepare('INSERT INTO users (id, account_id, name, role, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(user.id, user.accountId, user.name, user.role, at.toISOString());
    return user;
  }

  /** The user, or null. */
  user(id: string): User | null {
    const row = this.#db.prepare<[string], UserRow>('SELECT id, account_id, name, role FROM users WHERE id = ?').get(id);
    return row === undefined ? null : toUser(row);
  }

  /** Stores an API key for a user (its SHA-256 hash and its prefix only). */
  addApiKey(userId: string, token: string, at: Date = new Date()): { id: string; prefix: string } {
    const id = randomUUID();
    const prefix = apiKeyPrefix(token);
    this.#db
      .prepare('INSERT INTO api_keys (id, user_id, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, userId, prefix, hashApiKey(token), at.toISOString());
    return { id, prefix };
  }

  /** Revokes every key of the user except the one given (by its token), if any. Returns how many. */
  revokeApiKeys(userId: string, except: string | null, at: Date = new Date()): number {
    const keep = except === null ? '' : hashApiKey(except);
    return this.#db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND hash <> ? AND revoked_at IS NULL')
      .run(at.toISOString(), userId, keep).changes;
  }

  /** The keys of a user (prefixes only), newest first. */
  apiKeysOf(userId: string): { id: string; prefix: string; revoked: boolean }[] {
    return this.#db
      .prepare<[string], { id: string; prefix: string; revoked_at: string | null }>(
        'SELECT id, prefix, revoked_at FROM api_keys WHERE user_id = ? ORDER BY created_at DESC',
      )
      .all(userId)
      .map((r) => ({ id: r.id, prefix: r.prefix, revoked: r.revoked_at !== null }));
  }

  /** The user whose unrevoked API key this is, or null. */
  userForApiKey(token: string): User | null {
    if (token === '') return null;
    const row = this.#db
      .prepare<[string], UserRow>(
        `SELECT u.id, u.account_id, u.name, u.role FROM api_keys k JOIN users u ON u.id = k.user_id
         WHERE k.hash = ? AND k.revoked_at IS NULL`,
      )
      .get(hashApiKey(token));
    return row === undefined ? null : toUser(row);
  }

  /** Makes `delegateUserId` act for `hostUserId` (a delegate acts for one host; a new call replaces the old). */
  setDelegate(delegateUserId: string, hostUserId: string, at: Date = new Date()): void {
    const delegate = this.user(delegateUserId);
    const host = this.user(hostUserId);
    if (delegate?.role !== 'delegate' || host === null || host.role === 'delegate' || host.accountId !== delegate.accountId) {
      throw new AppError('BAD_REQUEST', 'a delegate acts for a host of the same account', { details: { delegateUserId, hostUserId } });
    }
    this.#db
      .prepare(
        `INSERT INTO delegates (delegate_user_id, host_user_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT (delegate_user_id) DO UPDATE SET host_user_id = excluded.host_user_id`,
      )
      .run(delegateUserId, hostUserId, at.toISOString());
  }

  /** The delegations of a user (empty unless they are a delegate). */
  delegationsOf(userId: string): Delegation[] {
    return this.#db
      .prepare<[string], { delegate_user_id: string; host_user_id: string }>(
        'SELECT delegate_user_id, host_user_id FROM delegates WHERE delegate_user_id = ?',
      )
      .all(userId)
      .map((r) => ({ delegateUserId: r.delegate_user_id, hostUserId: r.host_user_id }));
  }
}
