import type { Database } from 'better-sqlite3';
import type { DataRequestRecord } from '../domain/data-request.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';

interface Row {
  id: string;
  at: string;
  account_id: string | null;
  actor_kind: DataRequestRecord['actor']['kind'];
  actor_id: string | null;
  actor_role: string;
  action: DataRequestRecord['action'];
  subject_kind: DataRequestRecord['subject']['kind'];
  subject_hint: string;
  reason: string;
  result: string;
}

function toRecord(r: Row): DataRequestRecord {
  return {
    id: r.id,
    at: r.at,
    accountId: r.account_id,
    actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role },
    action: r.action,
    subject: { kind: r.subject_kind, hint: r.subject_hint },
    reason: r.reason,
    result: JSON.parse(r.result) as Record<string, number>,
  };
}

/** The register of data-subject requests (who asked, why, what it did). */
export class DataRequestRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records a request; `subjectHash` is a keyed hash of the subject (to find repeated requests without the clear value). */
  record(r: DataRequestRecord, subjectHash: string): void {
    this.#db
      .prepare(
        `INSERT INTO data_requests (id, at, account_id, actor_kind, actor_id, actor_role, action, subject_kind, subject_hash, subject_hint, reason, result)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.at, r.accountId, r.actor.kind, r.actor.id, r.actor.role, r.action, r.subject.kind, subjectHash, r.subject.hint, r.reason, JSON.stringify(r.result));
  }

  /** Requests about an account (null: the operator's all-account ones too), newest first. */
  list(accountId: string | null, page: PageRequest): Page<DataRequestRecord> {
    return pageOf(page, 2, (r) => [r.at, r.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, Row>(
          `SELECT * FROM data_requests WHERE (@accountId IS NULL OR account_id = @accountId)
           ${after === null ? '' : 'AND (at, id) < (@afterAt, @afterId)'} ORDER BY at DESC, id DESC LIMIT @limit`,
        )
        .all({ accountId, afterAt: after?.[0], afterId: after?.[1], limit })
        .map(toRecord),
    );
  }
}
