import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditFilter, NewAuditEntry } from '../domain/audit.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';

interface AuditRow {
  id: number;
  at: string;
  account_id: string | null;
  actor_kind: AuditEntry['actor']['kind'];
  actor_id: string | null;
  actor_role: string;
  via: string | null;
  source_address: string | null;
  action: string;
  target_kind: string;
  target_id: string | null;
  detail: string;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    accountId: r.account_id,
    actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role, via: r.via, sourceAddress: r.source_address },
    action: r.action,
    target: { kind: r.target_kind, id: r.target_id },
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

/** The audit log: every change a person made, who, what, when and from where. Newest first. */
export class AuditRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Appends an entry. */
  record(entry: NewAuditEntry, at: Date = new Date()): void {
    const a = entry.actor;
    this.#db
      .prepare(
        `INSERT INTO audit_log (at, account_id, actor_kind, actor_id, actor_role, via, source_address, action, target_kind, target_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(at.toISOString(), entry.accountId, a.kind, a.id, a.role, a.via, a.sourceAddress, entry.action, entry.target.kind, entry.target.id, JSON.stringify(entry.detail));
  }

  /** An account's entries matching the filter, newest first, a page at a time. */
  query(filter: AuditFilter, page: PageRequest): Page<AuditEntry> {
    return pageOf(page, 1, (e) => [String(e.id)], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, AuditRow>(
          `SELECT * FROM audit_log WHERE account_id = @accountId
           ${filter.actorId === undefined ? '' : 'AND actor_id = @actorId'}
           ${filter.action === undefined ? '' : 'AND action = @action'}
           ${filter.targetId === undefined ? '' : 'AND target_id = @targetId'}
           ${filter.from === undefined ? '' : 'AND at >= @from'}
           ${filter.to === undefined ? '' : 'AND at <= @to'}
           ${after === null ? '' : 'AND id < @after'}
           ORDER BY id DESC LIMIT @limit`,
        )
        .all({ ...filter, after: after === null ? undefined : Number(after[0]), limit })
        .map(toEntry),
    );
  }
}
