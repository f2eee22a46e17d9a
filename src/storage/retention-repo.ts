import type { Database } from 'better-sqlite3';
import { legMinutes } from '../domain/invoice.ts';

/** What retention reads of an account. */
export interface RetentionAccount {
  readonly id: string;
  readonly retentionMonths: number | null;
  readonly keepNameClips: boolean;
  readonly closedAt: Date | null;
}

/** A conference due for deletion, with the files that go with it. */
export interface DueConference {
  readonly id: string;
  /** Spoken-name clips and recordings of the conference (to unlink before the rows go). */
  readonly files: readonly string[];
}

/** What one deletion removed (counts, never contents: this is what is audited). */
export interface DeletedCounts {
  conferences: number;
  legs: number;
  legEvents: number;
  emails: number;
  recordings: number;
}

/** A spoken-name clip due for deletion. */
export interface DueClip {
  readonly legId: string;
  readonly path: string;
}

/**
 * Deletions of the retention policy (domain/retention.ts), each a short transaction over a
 * bounded batch so no lock is held long while calls write. A conference's billed minutes
 * are written to `billing_aggregates` (anonymous: no number, name or code) in the same
 * transaction that deletes its legs, so invoices still add up.
 */
export class RetentionRepo {
  readonly #db: Database;
  readonly #delete;

  constructor(db: Database) {
    this.#db = db;
    // Prepared once: a batch runs them for every conference it deletes.
    this.#delete = {
      legEvents: db.prepare('DELETE FROM leg_events WHERE leg_id IN (SELECT id FROM legs WHERE conference_id = ?)'),
      legs: db.prepare('DELETE FROM legs WHERE conference_id = ?'),
      emails: db.prepare('DELETE FROM email_outbox WHERE conference_id = ?'),
      recordings: db.prepare('DELETE FROM recordings WHERE conference_id = ?'),
      conferences: db.prepare('DELETE FROM conferences WHERE id = ?'),
    };
  }

  /** Every account, with what the policy needs. */
  accounts(): RetentionAccount[] {
    return this.#db
      .prepare<[], { id: string; retention_months: number | null; keep_name_clips: number; closed_at: string | null }>(
        "SELECT id, retention_months, keep_name_clips, CASE WHEN status = 'closed' THEN closed_at END AS closed_at FROM accounts ORDER BY id",
      )
      .all()
      .map((r) => ({ id: r.id, retentionMonths: r.retention_months, keepNameClips: r.keep_name_clips === 1, closedAt: r.closed_at === null ? null : new Date(r.closed_at) }));
  }

  /** Ended conferences of the account that started before `cutoff` (all of them when null), oldest first. */
  dueConferences(accountId: string, cutoff: Date | null, limit: number): DueConference[] {
    const rows = this.#db
      .prepare<[string, string, number], { id: string }>(
        `SELECT c.id FROM conferences c JOIN rooms r ON r.id = c.room_id
         WHERE r.account_id = ? AND c.ended_at IS NOT NULL AND c.started_at < ? ORDER BY c.started_at, c.id LIMIT ?`,
      )
      .all(accountId, (cutoff ?? new Date('9999-12-31T23:59:59.999Z')).toISOString(), limit);
    return rows.map((r) => ({ id: r.id, files: this.#filesOf(r.id) }));
  }

  #filesOf(conferenceId: string): string[] {
    const clips = this.#db
      .prepare<[string], { path: string }>('SELECT spoken_name_path AS path FROM legs WHERE conference_id = ? AND spoken_name_path IS NOT NULL')
      .all(conferenceId);
    const recordings = this.#db.prepare<[string], { path: string }>('SELECT path FROM recordings WHERE conference_id = ?').all(conferenceId);
    return [...clips, ...recordings].map((r) => r.path);
  }

  /**
   * Deletes the conferences with their legs, leg events, recordings' rows and queued emails,
   * after writing each one's billed minutes as an anonymous aggregate. One transaction.
   */
  deleteConferences(ids: readonly string[], at: Date): DeletedCounts {
    const counts: DeletedCounts = { conferences: 0, legs: 0, legEvents: 0, emails: 0, recordings: 0 };
    this.#db.transaction(() => {
      for (const id of ids) {
        this.#aggregate(id, at);
        for (const key of ['legEvents', 'legs', 'emails', 'recordings', 'conferences'] as const) counts[key] += this.#delete[key].run(id).changes;
      }
    })();
    return counts;
  }

  #aggregate(conferenceId: string, at: Date): void {
    const c = this.#db
      .prepare<[string], { id: string; started_at: string; ended_at: string; room_id: string; account_id: string; owner_user_id: string }>(
        `SELECT c.id, c.started_at, c.ended_at, c.room_id, r.account_id, r.owner_user_id FROM conferences c JOIN rooms r ON r.id = c.room_id
         WHERE c.id = ? AND c.ended_at IS NOT NULL`,
      )
      .get(conferenceId);
    if (c === undefined) return;
    const end = new Date(c.ended_at);
    let legs = 0;
    let minutesIn = 0;
    let minutesOut = 0;
    const rows = this.#db
      .prepare<[string], { direction: 'inbound' | 'outbound'; joined_at: string; left_at: string | null }>(
        'SELECT direction, joined_at, left_at FROM legs WHERE conference_id = ? AND joined_at IS NOT NULL',
      )
      .all(conferenceId);
    for (const leg of rows) {
      const minutes = legMinutes({ direction: leg.direction, joinedAt: new Date(leg.joined_at), leftAt: leg.left_at === null ? null : new Date(leg.left_at) }, end);
      legs += 1;
      if (leg.direction === 'inbound') minutesIn += minutes;
      else minutesOut += minutes;
    }
    this.#db
      .prepare(
        `INSERT OR IGNORE INTO billing_aggregates (conference_id, account_id, room_id, host_user_id, started_at, ended_at, legs, minutes_in, minutes_out, aggregated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.account_id, c.room_id, c.owner_user_id, c.started_at, c.ended_at, legs, minutesIn, minutesOut, at.toISOString());
  }

  /**
   * Legs that never reached a conference (a wrong PIN, a hang-up in the IVR) created before
   * `cutoff`, in the account's rooms (`accountId`) or in no room (null); deleted with their
   * events. Returns the counts and the clip files to unlink.
   */
  deleteStrayLegs(accountId: string | null, cutoff: Date, limit: number): { legs: number; legEvents: number; files: string[] } {
    const scope = accountId === null ? 'room_id IS NULL' : 'room_id IN (SELECT id FROM rooms WHERE account_id = @accountId)';
    return this.#db.transaction(() => {
      const rows = this.#db
        .prepare<Record<string, unknown>, { id: string; path: string | null }>(
          `SELECT id, spoken_name_path AS path FROM legs WHERE conference_id IS NULL AND state = 'left' AND created_at < @cutoff AND ${scope} LIMIT @limit`,
        )
        .all({ accountId, cutoff: cutoff.toISOString(), limit });
      let legEvents = 0;
      for (const r of rows) {
        legEvents += this.#db.prepare('DELETE FROM leg_events WHERE leg_id = ?').run(r.id).changes;
        this.#db.prepare('DELETE FROM legs WHERE id = ?').run(r.id);
      }
      return { legs: rows.length, legEvents, files: rows.flatMap((r) => (r.path === null ? [] : [r.path])) };
    })();
  }

  /** Spoken-name clips of the account's ended conferences (the account does not keep them). */
  dueClips(accountId: string, limit: number): DueClip[] {
    return this.#db
      .prepare<[string, number], { id: string; path: string }>(
        `SELECT l.id, l.spoken_name_path AS path FROM legs l JOIN conferences c ON c.id = l.conference_id JOIN rooms r ON r.id = c.room_id
         WHERE r.account_id = ? AND c.ended_at IS NOT NULL AND l.spoken_name_path IS NOT NULL LIMIT ?`,
      )
      .all(accountId, limit)
      .map((r) => ({ legId: r.id, path: r.path }));
  }

  /** Clears the clip links of legs whose files were unlinked. */
  clearClips(legIds: readonly string[]): number {
    const clear = this.#db.prepare('UPDATE legs SET spoken_name_path = NULL WHERE id = ?');
    return this.#db.transaction(() => legIds.reduce((n, id) => n + clear.run(id).changes, 0))();
  }

  /** PIN attempts made before `before` (epoch ms), at most `limit` of them. */
  deletePinAttempts(beforeMs: number, limit: number): number {
    return this.#db.prepare('DELETE FROM pin_attempts WHERE id IN (SELECT id FROM pin_attempts WHERE at < ? LIMIT ?)').run(beforeMs, limit).changes;
  }

  /**
   * Dial-out attempts of the account made before `cutoff` (every one when null), at most
   * `limit` of them: their destination numbers go with the rows (the dial policy only
   * counts attempts of the last hours; billed minutes are in the legs' aggregates).
   */
  deleteDialAttempts(accountId: string, cutoff: Date | null, limit: number): number {
    return this.#db
      .prepare('DELETE FROM dial_attempts WHERE id IN (SELECT id FROM dial_attempts WHERE account_id = ? AND at < ? LIMIT ?)')
      .run(accountId, (cutoff ?? new Date('9999-12-31T23:59:59.999Z')).toISOString(), limit).changes;
  }

  /**
   * Deletes a closed account whose conferences are already gone: its rooms, users (and their
   * keys, sessions, phone numbers, delegations), contacts, webhooks and their outbox, guest
   * links, dial attempts, and its audit rows. Billing aggregates stay (they name no person). Returns
   * whether the account was there.
   */
  deleteAccount(accountId: string): boolean {
    return this.#db.transaction(() => {
      const left = this.#db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM conferences WHERE room_id IN (SELECT id FROM rooms WHERE account_id = ?)').get(accountId);
      if ((left?.n ?? 0) > 0) return false;
      this.#db.prepare('DELETE FROM legs WHERE room_id IN (SELECT id FROM rooms WHERE account_id = ?)').run(accountId);
      this.#db.prepare('DELETE FROM recordings WHERE account_id = ?').run(accountId);
      this.#db.prepare('DELETE FROM dial_attempts WHERE account_id = ?').run(accountId);
      this.#db.prepare('DELETE FROM audit_log WHERE account_id = ?').run(accountId);
      this.#db.prepare('DELETE FROM recording_audit WHERE account_id = ?').run(accountId);
      this.#db.prepare('DELETE FROM rooms WHERE account_id = ?').run(accountId);
      return this.#db.prepare('DELETE FROM accounts WHERE id = ?').run(accountId).changes > 0;
    })();
  }
}
