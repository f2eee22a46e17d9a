import type { Database } from 'better-sqlite3';
import type { Page, PageRequest } from '../domain/page.ts';
import type { ServiceNumber } from '../domain/service-number.ts';
import { AppError } from '../lib/errors.ts';
import { pageOf } from './page.ts';

interface NumberRow {
  number: string;
  account_id: string | null;
  label: string | null;
  created_at: string;
}

function toNumber(r: NumberRow): ServiceNumber {
  return { number: r.number, accountId: r.account_id, label: r.label, createdAt: r.created_at };
}

/** The service numbers the operator made and which account each belongs to. */
export class ServiceNumberRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Adds a number; `SERVICE_NUMBER_EXISTS` when it exists. */
  create(input: { number: string; accountId: string | null; label: string | null }, at: Date = new Date()): ServiceNumber {
    if (this.get(input.number) !== null) {
      throw new AppError('SERVICE_NUMBER_EXISTS', 'the service number exists', { details: { field: 'number' } });
    }
    this.#db
      .prepare('INSERT INTO service_numbers (number, account_id, label, created_at) VALUES (?, ?, ?, ?)')
      .run(input.number, input.accountId, input.label, at.toISOString());
    return this.#require(input.number);
  }

  /** The number, or null. */
  get(number: string): ServiceNumber | null {
    const row = this.#db.prepare<[string], NumberRow>('SELECT number, account_id, label, created_at FROM service_numbers WHERE number = ?').get(number);
    return row === undefined ? null : toNumber(row);
  }

  /** Numbers in order, all or of one account, a page at a time. */
  list(page: PageRequest, accountId?: string): Page<ServiceNumber> {
    return pageOf(page, 1, (n) => [n.number], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, NumberRow>(
          `SELECT number, account_id, label, created_at FROM service_numbers WHERE 1 = 1
           ${accountId === undefined ? '' : 'AND account_id = @accountId'} ${after === null ? '' : 'AND number > @after'}
           ORDER BY number LIMIT @limit`,
        )
        .all({ accountId, after: after?.[0], limit })
        .map(toNumber),
    );
  }

  /** Changes the account or label of a number. */
  update(number: string, patch: { accountId?: string | null; label?: string | null }): ServiceNumber {
    const current = this.#require(number);
    this.#db
      .prepare('UPDATE service_numbers SET account_id = ?, label = ? WHERE number = ?')
      .run(patch.accountId === undefined ? current.accountId : patch.accountId, patch.label === undefined ? current.label : patch.label, number);
    return this.#require(number);
  }

  /** Rooms on the number, per account. */
  roomCounts(number: string): Map<string, number> {
    const rows = this.#db
      .prepare<[string], { account_id: string; n: number }>('SELECT account_id, COUNT(*) AS n FROM rooms WHERE service_number = ? GROUP BY account_id')
      .all(number);
    return new Map(rows.map((r) => [r.account_id, r.n]));
  }

  /** Deletes a number no room uses. */
  remove(number: string): void {
    this.#db.prepare('DELETE FROM service_numbers WHERE number = ?').run(number);
  }

  #require(number: string): ServiceNumber {
    const found = this.get(number);
    if (found === null) throw new AppError('NOT_FOUND', 'service number not found');
    return found;
  }
}
