import type { Database } from 'better-sqlite3';
import type { AuditActor } from '../domain/audit.ts';
import type { DialAttempt, DialOutcome } from '../domain/dial-attempt.ts';
import type { DialNumberType } from '../domain/dial-number.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';

interface AttemptRow {
  id: string;
  at: string;
  account_id: string;
  room_id: string | null;
  kind: DialAttempt['kind'];
  actor_kind: AuditActor['kind'];
  actor_id: string | null;
  actor_role: string;
  via: string | null;
  destination: string;
  number_type: DialNumberType;
  decision: DialAttempt['decision'];
  reason: string | null;
  trunk_id: string | null;
  leg_id: string | null;
  outcome: DialOutcome | null;
  answered_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
}

function toAttempt(r: AttemptRow): DialAttempt {
  return {
    id: r.id, at: r.at, accountId: r.account_id, roomId: r.room_id, kind: r.kind,
    actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role, via: r.via, sourceAddress: null },
    destination: r.destination, numberType: r.number_type, decision: r.decision, reason: r.reason, trunkId: r.trunk_id, legId: r.leg_id,
    outcome: r.outcome, answeredAt: r.answered_at, endedAt: r.ended_at, durationMs: r.duration_ms,
  };
}

/** The audit of dial-out attempts, and the counts the dial policy decides on. */
export class DialAttemptRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Records an attempt as decided (outcome still open for a placed one). */
  insert(a: Omit<DialAttempt, 'outcome' | 'answeredAt' | 'endedAt' | 'durationMs'>): void {
    this.#db
      .prepare(
        `INSERT INTO dial_attempts (id, at, account_id, room_id, kind, actor_kind, actor_id, actor_role, via, destination, number_type, decision, reason, trunk_id, leg_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.id, a.at, a.accountId, a.roomId, a.kind, a.actor.kind, a.actor.id, a.actor.role, a.actor.via, a.destination, a.numberType, a.decision, a.reason, a.trunkId, a.legId);
  }

  /** The guest answered (the call is up; `finish` follows). */
  answered(id: string, at: Date): void {
    this.#db.prepare('UPDATE dial_attempts SET answered_at = ? WHERE id = ?').run(at.toISOString(), id);
  }

  /** Closes a placed attempt with its outcome; duration counts from the answer (0 unanswered). Idempotent: false when it was closed already. */
  finish(id: string, outcome: DialOutcome, at: Date): boolean {
    return this.#db
      .prepare(
        `UPDATE dial_attempts SET outcome = ?, ended_at = ?,
           duration_ms = CASE WHEN answered_at IS NULL THEN 0 ELSE MAX(0, CAST(ROUND((julianday(?) - julianday(answered_at)) * 86400000) AS INTEGER)) END
         WHERE id = ? AND ended_at IS NULL`,
      )
      .run(outcome, at.toISOString(), at.toISOString(), id).changes > 0;
  }

  get(id: string): DialAttempt | null {
    const r = this.#db.prepare<[string], AttemptRow>('SELECT * FROM dial_attempts WHERE id = ?').get(id);
    return r === undefined ? null : toAttempt(r);
  }

  /** Attempts (refused or placed) of an account since `since`. */
  countSince(accountId: string, since: Date): number {
    return this.#db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM dial_attempts WHERE account_id = ? AND at >= ?').get(accountId, since.toISOString())?.n ?? 0;
  }

  /** Placed attempts to `destination` that failed in a row (the newest first, up to an answered one), and when the last failed. */
  failureStreak(accountId: string, destination: string): { failures: number; lastFailureAt: Date | null } {
    const rows = this.#db
      .prepare<[string, string], { outcome: DialOutcome | null; ended_at: string | null }>(
        `SELECT outcome, ended_at FROM dial_attempts WHERE account_id = ? AND destination = ? AND decision = 'placed' AND outcome IS NOT NULL ORDER BY at DESC LIMIT 32`,
      )
      .all(accountId, destination);
    let failures = 0;
    for (const r of rows) {
      if (r.outcome === 'answered' || r.outcome === 'cancelled') break;
      failures++;
    }
    const last = rows[0]?.ended_at;
    return { failures, lastFailureAt: failures > 0 && last != null ? new Date(last) : null };
  }

  /** An account's attempts, newest first. */
  list(accountId: string, page: PageRequest): Page<DialAttempt> {
    return pageOf(page, 2, (a) => [a.at, a.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, AttemptRow>(
          `SELECT * FROM dial_attempts WHERE account_id = @accountId ${after === null ? '' : 'AND (at < @at OR (at = @at AND id < @id))'} ORDER BY at DESC, id DESC LIMIT @limit`,
        )
        .all({ accountId, at: after?.[0], id: after?.[1], limit })
        .map(toAttempt),
    );
  }
}
