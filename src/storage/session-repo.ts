import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { User, UserRole } from '../domain/access.ts';

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A browser session as the server knows it. */
export interface SessionInfo {
  readonly id: string;
  readonly user: User;
  readonly expiresAt: string;
}

/**
 * Browser sessions: the cookie holds a random token, the database its SHA-256 (so a stolen
 * database signs nobody in), with the CSRF token's hash, expiry and revocation.
 */
export class SessionRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a new session for the user. */
  create(input: { token: string; csrfToken: string; userId: string; expiresAt: Date; sourceAddress: string | null }, at: Date = new Date()): void {
    this.#db
      .prepare(
        `INSERT INTO sessions (id_hash, user_id, csrf_token_hash, created_at, last_seen_at, expires_at, source_address)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(digest(input.token), input.userId, digest(input.csrfToken), at.toISOString(), at.toISOString(), input.expiresAt.toISOString(), input.sourceAddress);
  }

  /** The live session of this token (not expired at `now`, not revoked, account active), or null. */
  resolve(token: string, now: Date): (SessionInfo & { csrfTokenHash: string }) | null {
    const row = this.#db
      .prepare<[string, string], { id_hash: string; csrf_token_hash: string; expires_at: string; id: string; account_id: string; name: string; role: UserRole }>(
        `SELECT s.id_hash, s.csrf_token_hash, s.expires_at, u.id, u.account_id, u.name, u.role FROM sessions s
         JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = u.account_id
         WHERE s.id_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.status = 'active'`,
      )
      .get(digest(token), now.toISOString());
    if (row === undefined) return null;
    return {
      id: row.id_hash,
      csrfTokenHash: row.csrf_token_hash,
      expiresAt: row.expires_at,
      user: { id: row.id, accountId: row.account_id, name: row.name, role: row.role },
    };
  }

  /** Whether `csrfToken` is the one issued with the session `id`. */
  csrfMatches(expectedHash: string, csrfToken: string): boolean {
    return digest(csrfToken) === expectedHash;
  }

  /** Whether the session with this id is neither revoked nor expired at `now`, and its account is active. */
  stillLive(id: string, now: Date): boolean {
    return (
      this.#db
        .prepare<[string, string], { n: number }>(
          `SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = u.account_id
           WHERE s.id_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.status = 'active'`,
        )
        .get(id, now.toISOString())?.n === 1
    );
  }

  /** Revokes one session by its id (the token's hash); false when it was not live. */
  revoke(id: string, at: Date = new Date()): boolean {
    return this.#db.prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL').run(at.toISOString(), id).changes === 1;
  }

  /** Revokes every session of a user. Returns how many. */
  revokeAllOf(userId: string, at: Date = new Date()): number {
    return this.#db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(at.toISOString(), userId).changes;
  }

  /** A user's sessions that are still live, newest first (ids are the tokens' hashes). */
  liveOf(userId: string, now: Date): { id: string; createdAt: string; expiresAt: string; sourceAddress: string | null }[] {
    return this.#db
      .prepare<[string, string], { id_hash: string; created_at: string; expires_at: string; source_address: string | null }>(
        'SELECT id_hash, created_at, expires_at, source_address FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC',
      )
      .all(userId, now.toISOString())
      .map((r) => ({ id: r.id_hash, createdAt: r.created_at, expiresAt: r.expires_at, sourceAddress: r.source_address }));
  }
}
