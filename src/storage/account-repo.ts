import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Account, AccountStatus } from '../domain/account.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { AppError } from '../lib/errors.ts';
import { pageOf } from './page.ts';
import { toBit } from './sql-values.ts';

interface AccountRow {
  id: string;
  name: string;
  retention_months: number | null;
  keep_name_clips: number;
  require_billing_code: number;
  status: AccountStatus;
  created_at: string;
  closed_at: string | null;
  record_all_conferences: number;
  recording_reminder_seconds: number | null;
  erasure_keeps_recordings: number;
}

const COLUMNS =
  'id, name, retention_months, keep_name_clips, require_billing_code, status, created_at, closed_at, record_all_conferences, recording_reminder_seconds, erasure_keeps_recordings';

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    retentionMonths: r.retention_months,
    keepNameClips: r.keep_name_clips === 1,
    requireBillingCode: r.require_billing_code === 1,
    status: r.status,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    recordAllConferences: r.record_all_conferences === 1,
    recordingReminderSeconds: r.recording_reminder_seconds,
    erasureKeepsRecordings: r.erasure_keeps_recordings === 1,
  };
}

/** What an account update may change. */
export type AccountPatch = Partial<
  Pick<Account, 'name' | 'retentionMonths' | 'recordAllConferences' | 'recordingReminderSeconds' | 'keepNameClips' | 'requireBillingCode' | 'erasureKeepsRecordings'>
>;

/** Customers' accounts and their status (active, suspended, closed). */
export class AccountRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Creates an active account. */
  create(input: { id?: string; name: string; retentionMonths?: number | null }, at: Date = new Date()): Account {
    const id = input.id ?? randomUUID();
    this.#db
      .prepare('INSERT INTO accounts (id, name, retention_months, created_at) VALUES (?, ?, ?, ?)')
      .run(id, input.name, input.retentionMonths ?? null, at.toISOString());
    return this.#require(id);
  }

  /** The account, or null. */
  get(id: string): Account | null {
    const row = this.#db.prepare<[string], AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`).get(id);
    return row === undefined ? null : toAccount(row);
  }

  /** Every account, oldest first, a page at a time. */
  list(page: PageRequest): Page<Account> {
    return pageOf(page, 2, (a) => [a.createdAt, a.id], (after, limit) =>
      (after === null
        ? this.#db.prepare<[number], AccountRow>(`SELECT ${COLUMNS} FROM accounts ORDER BY created_at, id LIMIT ?`).all(limit)
        : this.#db
            .prepare<[string, string, number], AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`)
            .all(after[0] ?? '', after[1] ?? '', limit)
      ).map(toAccount),
    );
  }

  /** Changes an account's name, retention, recording and name-clip settings, billing-code rule. */
  update(id: string, patch: AccountPatch): Account {
    const account = this.#require(id);
    const next = { ...account, ...patch };
    this.#db
      .prepare(
        `UPDATE accounts SET name = ?, retention_months = ?, record_all_conferences = ?, recording_reminder_seconds = ?,
         keep_name_clips = ?, require_billing_code = ?, erasure_keeps_recordings = ? WHERE id = ?`,
      )
      .run(
        next.name,
        next.retentionMonths,
        toBit(next.recordAllConferences),
        next.recordingReminderSeconds,
        toBit(next.keepNameClips),
        toBit(next.requireBillingCode),
        toBit(next.erasureKeepsRecordings),
        id,
      );
    return this.#require(id);
  }

  /**
   * Moves an account to `status`: active ⇄ suspended, either → closed (final). Rejects
   * `INVALID_TRANSITION` for anything else, such as reopening a closed account.
   */
  setStatus(id: string, status: AccountStatus, at: Date = new Date()): Account {
    const account = this.#require(id);
    if (account.status === 'closed' || account.status === status) {
      throw new AppError('INVALID_TRANSITION', `the account is ${account.status}`, { details: { status: account.status } });
    }
    const iso = at.toISOString();
    this.#db
      .prepare('UPDATE accounts SET status = ?, suspended_at = ?, closed_at = ? WHERE id = ?')
      .run(status, status === 'suspended' ? iso : null, status === 'closed' ? iso : null, id);
    return this.#require(id);
  }

  /** Deletes an account that has no users yet (an account whose creation failed half-way). */
  removeEmpty(id: string): void {
    this.#db.prepare('DELETE FROM accounts WHERE id = ? AND NOT EXISTS (SELECT 1 FROM users WHERE account_id = ?)').run(id, id);
  }

  #require(id: string): Account {
    const account = this.get(id);
    if (account === null) throw new AppError('NOT_FOUND', 'account not found');
    return account;
  }
}
