import type { Database } from 'better-sqlite3';
import type { Delegation } from '../domain/account.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';

interface DelegationRow {
  delegate_user_id: string;
  host_user_id: string;
}

function toDelegation(r: DelegationRow): Delegation {
  return { delegateUserId: r.delegate_user_id, hostUserId: r.host_user_id };
}

/** Who acts for whom: a delegate may act for several hosts, a host may have several delegates. */
export class DelegationRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Makes the delegate act for the host; false when it already did. */
  grant(delegateUserId: string, hostUserId: string, at: Date = new Date()): boolean {
    return (
      this.#db
        .prepare('INSERT OR IGNORE INTO delegations (delegate_user_id, host_user_id, created_at) VALUES (?, ?, ?)')
        .run(delegateUserId, hostUserId, at.toISOString()).changes === 1
    );
  }

  /** Ends a delegation; false when there was none. */
  revoke(delegateUserId: string, hostUserId: string): boolean {
    return this.#db.prepare('DELETE FROM delegations WHERE delegate_user_id = ? AND host_user_id = ?').run(delegateUserId, hostUserId).changes === 1;
  }

  /** Every delegation the user is part of, as delegate or as host. */
  involving(userId: string): Delegation[] {
    return this.#db
      .prepare<[string, string], DelegationRow>(
        'SELECT delegate_user_id, host_user_id FROM delegations WHERE delegate_user_id = ? OR host_user_id = ? ORDER BY created_at, host_user_id',
      )
      .all(userId, userId)
      .map(toDelegation);
  }

  /** The delegations the user is part of, a page at a time (by delegate, then host). */
  pageInvolving(userId: string, page: PageRequest): Page<Delegation> {
    return pageOf(page, 2, (d) => [d.delegateUserId, d.hostUserId], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, DelegationRow>(
          `SELECT delegate_user_id, host_user_id FROM delegations WHERE (delegate_user_id = @userId OR host_user_id = @userId)
           ${after === null ? '' : 'AND (delegate_user_id, host_user_id) > (@d, @h)'} ORDER BY delegate_user_id, host_user_id LIMIT @limit`,
        )
        .all({ userId, d: after?.[0], h: after?.[1], limit })
        .map(toDelegation),
    );
  }

  /** The hosts the user acts for. */
  hostsOf(delegateUserId: string): string[] {
    return this.#db
      .prepare<[string], { host_user_id: string }>('SELECT host_user_id FROM delegations WHERE delegate_user_id = ? ORDER BY created_at')
      .all(delegateUserId)
      .map((r) => r.host_user_id);
  }

  /** The delegates acting for the host. */
  delegatesOf(hostUserId: string): string[] {
    return this.#db
      .prepare<[string], { delegate_user_id: string }>('SELECT delegate_user_id FROM delegations WHERE host_user_id = ? ORDER BY created_at')
      .all(hostUserId)
      .map((r) => r.delegate_user_id);
  }

  /** Ends every delegation the user is part of (a role change makes them meaningless). */
  revokeAllOf(userId: string): number {
    return this.#db.prepare('DELETE FROM delegations WHERE delegate_user_id = ? OR host_user_id = ?').run(userId, userId).changes;
  }
}
