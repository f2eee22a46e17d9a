import type { Database } from 'better-sqlite3';
import type { AccountDialPolicy } from '../domain/dial-policy.ts';

/** An account's own dial policy (stricter than the operator's), kept as JSON on the account. */
export class DialPolicyRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The account's settings; `{}` when it has none (the operator's apply). */
  get(accountId: string): AccountDialPolicy {
    const row = this.#db.prepare<[string], { dial_policy: string | null }>('SELECT dial_policy FROM accounts WHERE id = ?').get(accountId);
    return row?.dial_policy == null ? {} : (JSON.parse(row.dial_policy) as AccountDialPolicy);
  }

  /** Replaces the account's settings. */
  set(accountId: string, policy: AccountDialPolicy): void {
    this.#db.prepare('UPDATE accounts SET dial_policy = ? WHERE id = ?').run(JSON.stringify(policy), accountId);
  }
}
