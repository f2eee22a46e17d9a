import type { Database } from 'better-sqlite3';
import type { ConferenceRecord } from '../domain/conference.ts';
import { fromIso, toBit, toIso } from './sql-values.ts';

interface ConferenceRow {
  id: string;
  room_id: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  locked: number;
}

function toConference(r: ConferenceRow): ConferenceRecord {
  return {
    id: r.id,
    roomId: r.room_id,
    startedAt: new Date(r.started_at),
    endedAt: fromIso(r.ended_at),
    endReason: r.end_reason,
    locked: r.locked === 1,
  };
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
      .prepare('INSERT INTO conferences (id, room_id, started_at, ended_at, end_reason, locked) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.id, c.roomId, c.startedAt.toISOString(), toIso(c.endedAt), c.endReason, toBit(c.locked));
  }

  /** Stores a conference's end and lock state. */
  update(c: ConferenceRecord): void {
    this.#db
      .prepare('UPDATE conferences SET ended_at = ?, end_reason = ?, locked = ? WHERE id = ?')
      .run(toIso(c.endedAt), c.endReason, toBit(c.locked), c.id);
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
}
