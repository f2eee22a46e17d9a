import type { Database } from 'better-sqlite3';
import type { RecordingRecord, RecordingState } from '../domain/recording.ts';
import { fromIso, toBit, toIso } from './sql-values.ts';

interface RecordingRow {
  id: string;
  room_id: string;
  account_id: string;
  conference_id: string;
  started_by: string;
  started_at: string;
  stopped_at: string | null;
  paused_ms: number;
  paused_since: string | null;
  duration_ms: number | null;
  size_bytes: number | null;
  sha256: string | null;
  path: string;
  encoding: string | null;
  state: RecordingState;
  cut_short: number;
  conference_ended_at?: string | null;
}

/** A recording with the end of its conference (which starts the 60/90-day clock). */
export interface RecordingWithConference extends RecordingRecord {
  readonly conferenceEndedAt: Date | null;
}

/** Filters of {@link RecordingRepo.list}; `after` is the last item of the previous page. */
export interface RecordingQuery {
  readonly roomIds: readonly string[];
  readonly from?: Date;
  readonly to?: Date;
  readonly after?: { readonly startedAt: string; readonly id: string };
  readonly limit: number;
}

/** One deletion, audited by counts and ids, never by content. */
export interface RecordingAuditEntry {
  readonly at: Date;
  /** `user:<id>` or `retention-job`. */
  readonly actor: string;
  readonly action: 'deleted' | 'expired-deleted';
  readonly recordingId: string;
  readonly roomId: string;
  readonly accountId: string;
  readonly sizeBytes: number | null;
  readonly durationMs: number | null;
}

function toRecording(r: RecordingRow): RecordingWithConference {
  return {
    id: r.id,
    roomId: r.room_id,
    accountId: r.account_id,
    conferenceId: r.conference_id,
    startedBy: r.started_by,
    startedAt: new Date(r.started_at),
    stoppedAt: fromIso(r.stopped_at),
    pausedMs: r.paused_ms,
    pausedSince: fromIso(r.paused_since),
    durationMs: r.duration_ms,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    path: r.path,
    encoding: r.encoding,
    state: r.state,
    cutShort: r.cut_short === 1,
    conferenceEndedAt: fromIso(r.conference_ended_at ?? null),
  };
}

const SELECT = 'SELECT r.*, c.ended_at AS conference_ended_at FROM recordings r JOIN conferences c ON c.id = r.conference_id';

/** Recordings (one row per file) and the audit of their deletion. */
export class RecordingRepo {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a new recording or every field of an existing one. */
  save(r: RecordingRecord): void {
    this.#db
      .prepare(
        `INSERT INTO recordings (id, room_id, account_id, conference_id, started_by, started_at, stopped_at, paused_ms, paused_since,
           duration_ms, size_bytes, sha256, path, encoding, state, cut_short)
         VALUES (@id, @roomId, @accountId, @conferenceId, @startedBy, @startedAt, @stoppedAt, @pausedMs, @pausedSince,
           @durationMs, @sizeBytes, @sha256, @path, @encoding, @state, @cutShort)
         ON CONFLICT (id) DO UPDATE SET stopped_at = excluded.stopped_at, paused_ms = excluded.paused_ms,
           paused_since = excluded.paused_since, duration_ms = excluded.duration_ms, size_bytes = excluded.size_bytes,
           sha256 = excluded.sha256, encoding = excluded.encoding, state = excluded.state, cut_short = excluded.cut_short`,
      )
      .run({
        ...r,
        startedAt: r.startedAt.toISOString(),
        stoppedAt: toIso(r.stoppedAt),
        pausedSince: toIso(r.pausedSince),
        cutShort: toBit(r.cutShort),
      });
  }

  /** The recording, or null. */
  get(id: string): RecordingWithConference | null {
    const row = this.#db.prepare<[string], RecordingRow>(`${SELECT} WHERE r.id = ?`).get(id);
    return row === undefined ? null : toRecording(row);
  }

  /** A conference's recordings, oldest first. */
  ofConference(conferenceId: string): RecordingWithConference[] {
    return this.#db.prepare<[string], RecordingRow>(`${SELECT} WHERE r.conference_id = ? ORDER BY r.started_at, r.id`).all(conferenceId).map(toRecording);
  }

  /** Recordings still marked as being written (after a crash: cut short). */
  open(): RecordingWithConference[] {
    return this.#db.prepare<[], RecordingRow>(`${SELECT} WHERE r.state IN ('recording', 'paused')`).all().map(toRecording);
  }

  /** Recordings of `roomIds`, newest first, filtered by start time, one page. */
  list(q: RecordingQuery): RecordingWithConference[] {
    if (q.roomIds.length === 0) return [];
    const where = [`r.room_id IN (${q.roomIds.map(() => '?').join(', ')})`];
    const args: (string | number)[] = [...q.roomIds];
    if (q.from !== undefined) {
      where.push('r.started_at >= ?');
      args.push(q.from.toISOString());
    }
    if (q.to !== undefined) {
      where.push('r.started_at < ?');
      args.push(q.to.toISOString());
    }
    if (q.after !== undefined) {
      where.push('(r.started_at < ? OR (r.started_at = ? AND r.id < ?))');
      args.push(q.after.startedAt, q.after.startedAt, q.after.id);
    }
    args.push(q.limit);
    return this.#db
      .prepare<(string | number)[], RecordingRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`)
      .all(...args)
      .map(toRecording);
  }

  /** Recordings of conferences that ended at or before `cutoff` (due for deletion). */
  endedBefore(cutoff: Date, limit = 500): RecordingWithConference[] {
    return this.#db
      .prepare<[string, number], RecordingRow>(`${SELECT} WHERE c.ended_at IS NOT NULL AND c.ended_at <= ? ORDER BY c.ended_at LIMIT ?`)
      .all(cutoff.toISOString(), limit)
      .map(toRecording);
  }

  /** Deletes the row and writes its audit entry, in one transaction. */
  deleteWithAudit(entry: RecordingAuditEntry): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM recordings WHERE id = ?').run(entry.recordingId);
      this.#db
        .prepare(
          'INSERT INTO recording_audit (at, actor, action, recording_id, room_id, account_id, size_bytes, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(entry.at.toISOString(), entry.actor, entry.action, entry.recordingId, entry.roomId, entry.accountId, entry.sizeBytes, entry.durationMs);
    })();
  }

  /** The deletion audit, oldest first. */
  audit(): RecordingAuditEntry[] {
    interface AuditRow {
      at: string;
      actor: string;
      action: RecordingAuditEntry['action'];
      recording_id: string;
      room_id: string;
      account_id: string;
      size_bytes: number | null;
      duration_ms: number | null;
    }
    return this.#db
      .prepare<[], AuditRow>('SELECT * FROM recording_audit ORDER BY id')
      .all()
      .map((r) => ({
        at: new Date(r.at),
        actor: r.actor,
        action: r.action,
        recordingId: r.recording_id,
        roomId: r.room_id,
        accountId: r.account_id,
        sizeBytes: r.size_bytes,
        durationMs: r.duration_ms,
      }));
  }
}
