import type { Database } from 'better-sqlite3';
import type { ConferenceRecord } from '../domain/conference.ts';
import type { Page, PageRequest } from '../domain/page.ts';
import { pageOf } from './page.ts';
import { fromIso, toBit, toIso } from './sql-values.ts';

interface ConferenceRow {
  id: string;
  room_id: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  locked: number;
  billing_code: string | null;
}

function toConference(r: ConferenceRow): ConferenceRecord {
  return {
    id: r.id,
    roomId: r.room_id,
    startedAt: new Date(r.started_at),
    endedAt: fromIso(r.ended_at),
    endReason: r.end_reason,
    locked: r.locked === 1,
    billingCode: r.billing_code,
  };
}

/** Which conferences a history list asks for (rooms the caller may see, narrowed by the filters). */
export interface ConferenceQuery {
  readonly roomIds: readonly string[];
  /** Only rooms this host owns. */
  readonly hostUserId?: string | undefined;
  /** Started at or after. */
  readonly from?: Date | undefined;
  /** Started before. */
  readonly to?: Date | undefined;
}

/** A conference as the history lists it: with its room's name and owner and how many stays it had. */
export interface ConferenceSummaryRow {
  readonly conference: ConferenceRecord;
  readonly roomName: string;
  readonly hostUserId: string;
  readonly participantCount: number;
}

/** Conferences: one meeting in a room each. */
export class ConferenceRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a new conference. */
  insert(c: ConferenceRecord): void {
    this.#db
      .prepare('INSERT INTO conferences (id, room_id, started_at, ended_at, end_reason, locked, billing_code) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.roomId, c.startedAt.toISOString(), toIso(c.endedAt), c.endReason, toBit(c.locked), c.billingCode);
  }

  /** Stores a conference's end and lock state. */
  update(c: ConferenceRecord): void {
    this.#db
      .prepare('UPDATE conferences SET ended_at = ?, end_reason = ?, locked = ? WHERE id = ?')
      .run(toIso(c.endedAt), c.endReason, toBit(c.locked), c.id);
  }

  /** Sets (or with null clears) a conference's billing code, running or ended. */
  setBillingCode(id: string, code: string | null): void {
    this.#db.prepare('UPDATE conferences SET billing_code = ? WHERE id = ?').run(code, id);
  }

  /** The conference, or null. */
  get(id: string): ConferenceRecord | null {
    const row = this.#db.prepare<[string], ConferenceRow>('SELECT * FROM conferences WHERE id = ?').get(id);
    return row === undefined ? null : toConference(row);
  }

  /** Every conference not yet ended. */
  open(): ConferenceRecord[] {
    return this.#db.prepare<[], ConferenceRow>('SELECT * FROM conferences WHERE ended_at IS NULL ORDER BY started_at').all().map(toConference);
  }

  /** A room's conferences, newest first. */
  ofRoom(roomId: string, limit = 50): ConferenceRecord[] {
    return this.#db
      .prepare<[string, number], ConferenceRow>('SELECT * FROM conferences WHERE room_id = ? ORDER BY started_at DESC LIMIT ?')
      .all(roomId, limit)
      .map(toConference);
  }

  /** The history: conferences of `q.roomIds`, newest first, a page at a time. */
  list(q: ConferenceQuery, page: PageRequest): Page<ConferenceSummaryRow> {
    return pageOf(page, 2, (s) => [s.conference.startedAt.toISOString(), s.conference.id], (after, limit) => {
      if (q.roomIds.length === 0) return [];
      const where = [`c.room_id IN (${q.roomIds.map(() => '?').join(', ')})`];
      const args: (string | number)[] = [...q.roomIds];
      if (q.hostUserId !== undefined) {
        where.push('r.owner_user_id = ?');
        args.push(q.hostUserId);
      }
      if (q.from !== undefined) {
        where.push('c.started_at >= ?');
        args.push(q.from.toISOString());
      }
      if (q.to !== undefined) {
        where.push('c.started_at < ?');
        args.push(q.to.toISOString());
      }
      if (after !== null) {
        where.push('(c.started_at < ? OR (c.started_at = ? AND c.id < ?))');
        args.push(after[0] ?? '', after[0] ?? '', after[1] ?? '');
      }
      args.push(limit);
      return this.#db
        .prepare<(string | number)[], ConferenceRow & { room_name: string; owner_user_id: string; participants: number }>(
          `SELECT c.*, r.name AS room_name, r.owner_user_id,
             (SELECT COUNT(*) FROM legs l WHERE l.conference_id = c.id AND l.joined_at IS NOT NULL) AS participants
           FROM conferences c JOIN rooms r ON r.id = c.room_id
           WHERE ${where.join(' AND ')} ORDER BY c.started_at DESC, c.id DESC LIMIT ?`,
        )
        .all(...args)
        .map((row) => ({ conference: toConference(row), roomName: row.room_name, hostUserId: row.owner_user_id, participantCount: row.participants }));
    });
  }
}
