import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { User, UserProfile, UserRole } from '../domain/access.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { AppError } from '../lib/errors.ts';
import { pageOf } from './page.ts';

interface UserRow {
  id: string;
  account_id: string;
  name: string;
  role: UserRole;
  email: string | null;
  password_hash: string | null;
  conference_emails: number | null;
  created_at: string;
}

const COLUMNS = 'id, account_id, name, role, email, password_hash, conference_emails, created_at';

/** What a new user needs; the password arrives already hashed (argon2id). */
export interface NewUser {
  readonly id?: string;
  readonly accountId: string;
  readonly name: string;
  readonly role: UserRole;
  readonly email: string | null;
  readonly phoneNumbers?: readonly string[];
  readonly passwordHash?: string | null;
}

/** What a profile edit may change. */
export interface ProfilePatch {
  readonly name?: string;
  readonly email?: string;
  readonly phoneNumbers?: readonly string[];
}

/** Whether the user gets post-conference emails: their choice, else hosts and admins yes, delegates no. */
function wantsConferenceEmails(row: Pick<UserRow, 'role' | 'conference_emails'>): boolean {
  return row.conference_emails === null ? row.role !== 'delegate' : row.conference_emails === 1;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Users of accounts: their profile, role and password hash. */
export class UserRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Creates a user; `EMAIL_IN_USE` when another user has the email (in any case). */
  create(input: NewUser, at: Date = new Date()): UserProfile {
    const id = input.id ?? randomUUID();
    this.#db.transaction(() => {
      try {
        this.#db
          .prepare('INSERT INTO users (id, account_id, name, role, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(id, input.accountId, input.name, input.role, input.email, input.passwordHash ?? null, at.toISOString());
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('EMAIL_IN_USE', 'another user has this email', { details: { field: 'email' } });
        throw err;
      }
      this.#setPhones(id, input.phoneNumbers ?? []);
    })();
    return this.#requireProfile(id);
  }

  /** The user, or null. */
  get(id: string): User | null {
    const row = this.#db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id);
    return row === undefined ? null : { id: row.id, accountId: row.account_id, name: row.name, role: row.role };
  }

  /** The user's profile, or null. */
  profile(id: string): UserProfile | null {
    const row = this.#db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id);
    return row === undefined ? null : this.#toProfile(row);
  }

  /** The user with this email (any case) and their password hash, for sign-in. */
  byEmail(email: string): { user: User; passwordHash: string | null } | null {
    const row = this.#db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = ? COLLATE NOCASE`).get(email);
    if (row === undefined) return null;
    return { user: { id: row.id, accountId: row.account_id, name: row.name, role: row.role }, passwordHash: row.password_hash };
  }

  /** The users of an account by name, a page at a time; optionally of one role. */
  ofAccount(accountId: string, page: PageRequest, role?: UserRole): Page<UserProfile> {
    const roleClause = role === undefined ? '' : 'AND role = @role';
    return pageOf(page, 2, (u) => [u.name, u.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, UserRow>(
          `SELECT ${COLUMNS} FROM users WHERE account_id = @accountId ${roleClause}
           ${after === null ? '' : 'AND (name, id) > (@afterName, @afterId)'} ORDER BY name, id LIMIT @limit`,
        )
        .all({ accountId, role, limit, afterName: after?.[0], afterId: after?.[1] })
        .map((r) => this.#toProfile(r)),
    );
  }

  /** Changes a profile; `EMAIL_IN_USE` for another user's email. */
  update(id: string, patch: ProfilePatch): UserProfile {
    this.#db.transaction(() => {
      const current = this.#requireProfile(id);
      try {
        this.#db.prepare('UPDATE users SET name = ?, email = ? WHERE id = ?').run(patch.name ?? current.name, patch.email ?? current.email, id);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('EMAIL_IN_USE', 'another user has this email', { details: { field: 'email' } });
        throw err;
      }
      if (patch.phoneNumbers !== undefined) this.#setPhones(id, patch.phoneNumbers);
    })();
    return this.#requireProfile(id);
  }

  /** Sets (or with null clears) the argon2id hash of the user's password. */
  setPasswordHash(id: string, hash: string | null): void {
    this.#db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
  }

  /** Changes a user's role as is (the caller checked rooms and delegations). */
  setRole(id: string, role: UserRole): UserProfile {
    this.#db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
    return this.#requireProfile(id);
  }

  /** How many rooms the user owns. */
  roomCount(id: string): number {
    return this.#db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM rooms WHERE owner_user_id = ?').get(id)?.n ?? 0;
  }

  /** How many admins the account has. */
  adminCount(accountId: string): number {
    return this.#db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM users WHERE account_id = ? AND role = 'admin'").get(accountId)?.n ?? 0;
  }

  /**
   * The name of a registered user whose profile lists `number` (E.164): a user of `preferAccountId`
   * first, then of any active account; null when none does.
   */
  nameByPhoneNumber(number: string, preferAccountId: string): string | null {
    const row = this.#db
      .prepare<[string, string], { name: string }>(
        `SELECT u.name FROM user_phone_numbers p JOIN users u ON u.id = p.user_id JOIN accounts a ON a.id = u.account_id
         WHERE p.number = ? AND a.status = 'active' ORDER BY (u.account_id = ?) DESC, p.position, u.created_at LIMIT 1`,
      )
      .get(number, preferAccountId);
    return row?.name ?? null;
  }

  /** The email of a user who wants post-conference emails, or null (none, or not wanted). */
  conferenceEmailOf(id: string): string | null {
    const row = this.#db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id);
    return row !== undefined && wantsConferenceEmails(row) ? row.email : null;
  }

  /** Whether the user gets post-conference emails. */
  setConferenceEmails(id: string, on: boolean): void {
    this.#db.prepare('UPDATE users SET conference_emails = ? WHERE id = ?').run(on ? 1 : 0, id);
  }

  /** Deletes a user with their keys, sessions, phone numbers and delegations. */
  remove(id: string): void {
    this.#db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  #setPhones(id: string, numbers: readonly string[]): void {
    this.#db.prepare('DELETE FROM user_phone_numbers WHERE user_id = ?').run(id);
    const insert = this.#db.prepare('INSERT OR IGNORE INTO user_phone_numbers (user_id, number, position) VALUES (?, ?, ?)');
    numbers.forEach((n, i) => insert.run(id, n, i));
  }

  #toProfile(row: UserRow): UserProfile {
    const phoneNumbers = this.#db
      .prepare<[string], { number: string }>('SELECT number FROM user_phone_numbers WHERE user_id = ? ORDER BY position')
      .all(row.id)
      .map((r) => r.number);
    return {
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      role: row.role,
      email: row.email,
      phoneNumbers,
      hasPassword: row.password_hash !== null,
      conferenceEmails: wantsConferenceEmails(row),
      createdAt: row.created_at,
    };
  }

  #requireProfile(id: string): UserProfile {
    const profile = this.profile(id);
    if (profile === null) throw new AppError('NOT_FOUND', 'user not found');
    return profile;
  }
}
