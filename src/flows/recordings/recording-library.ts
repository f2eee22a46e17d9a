import type { Principal } from '../../domain/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { mayOnRecording, type RecordingAction } from '../../domain/recording-access.ts';
import { recordingAvailability } from '../../domain/recording-retention.ts';
import { AppError } from '../../lib/errors.ts';
import { deleteRecordingFile } from '../../storage/recording-files.ts';
import type { RecordingWithConference } from '../../storage/recording-repo.ts';
import type { Store } from '../../storage/store.ts';
import { decodeCursor, encodeCursor } from './recording-cursor.ts';
import { toRecordingView, type RecordingView } from './recording-view.ts';

/** Filters and page of a recordings list. */
export interface RecordingListQuery {
  readonly roomId?: string;
  /** Started at or after. */
  readonly from?: Date;
  /** Started before. */
  readonly to?: Date;
  readonly cursor?: string;
  readonly limit: number;
}

/** One page of recordings. */
export interface RecordingPage {
  readonly items: readonly RecordingView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** What a download streams. */
export interface RecordingAudio {
  readonly path: string;
  readonly sizeBytes: number;
  readonly fileName: string;
}

/**
 * The recordings a user may see, download and delete (rule in `domain/recording-access.ts`).
 * A recording the user may not list is `NOT_FOUND`, exactly like one that does not exist —
 * so a delegate never learns one exists; an admin who may list but not download gets
 * `RECORDING_DOWNLOAD_FORBIDDEN`; more than 60 days after the conference, `RECORDING_EXPIRED`.
 */
export class RecordingLibrary {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** The user's recordings, newest first. */
  list(principal: Principal, q: RecordingListQuery): RecordingPage {
    const rooms = principal.kind === 'user' ? this.#store.rooms.ofAccount(principal.accountId).filter((r) => mayOnRecording(principal, r, 'recording.list')) : [];
    const roomIds = rooms.map((r) => r.id).filter((id) => q.roomId === undefined || id === q.roomId);
    const rows = this.#store.recordings.list({
      roomIds,
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
      ...(q.cursor === undefined ? {} : { after: decodeCursor(q.cursor) }),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const now = this.#clock();
    return {
      items: page.map((r) => toRecordingView(r, now)),
      nextCursor: rows.length > q.limit && last !== undefined ? encodeCursor({ startedAt: last.startedAt.toISOString(), id: last.id }) : null,
    };
  }

  /** One recording's metadata. */
  get(principal: Principal, id: string): RecordingView {
    return toRecordingView(this.#allowed(principal, id, 'recording.list'), this.#clock());
  }

  /** The file to stream, once every rule allows it. */
  audio(principal: Principal, id: string): RecordingAudio {
    const r = this.#allowed(principal, id, 'recording.list');
    const room = this.#store.rooms.get(r.roomId);
    if (room === null || !mayOnRecording(principal, room, 'recording.download')) {
      throw new AppError('RECORDING_DOWNLOAD_FORBIDDEN', 'only the host of the room may download its recordings');
    }
    if (recordingAvailability(r.conferenceEndedAt, this.#clock()) !== 'available') {
      throw new AppError('RECORDING_EXPIRED', 'recordings can be downloaded for 60 days after the conference ended');
    }
    if (r.state === 'recording' || r.state === 'paused' || r.sizeBytes === null) {
      throw new AppError('RECORDING_IN_PROGRESS', 'the recording is still being made');
    }
    return { path: r.path, sizeBytes: r.sizeBytes, fileName: `recording-${r.startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}-${r.id.slice(0, 8)}.wav` };
  }

  /** Deletes the file and the row, audited (who, sizes; never content). */
  async remove(principal: Principal, id: string): Promise<void> {
    const r = this.#allowed(principal, id, 'recording.delete');
    if (r.state === 'recording' || r.state === 'paused') throw new AppError('RECORDING_IN_PROGRESS', 'stop the recording before deleting it');
    await deleteRecordingFile(r.path);
    this.#store.transaction(() => {
      this.#store.recordings.deleteWithAudit({
        at: this.#clock(),
        actor: principal.kind === 'user' ? `user:${principal.id}` : principal.kind,
        action: 'deleted',
        recordingId: r.id,
        roomId: r.roomId,
        accountId: r.accountId,
        sizeBytes: r.sizeBytes,
        durationMs: r.durationMs,
      });
      this.#store.audit.record(
        {
          accountId: r.accountId,
          actor: { kind: 'user', id: principal.kind === 'user' ? principal.id : null, role: principal.kind === 'user' ? principal.role : principal.kind, via: null, sourceAddress: null },
          action: 'recording.deleted',
          target: { kind: 'recording', id: r.id },
          detail: { roomId: r.roomId, sizeBytes: r.sizeBytes, durationMs: r.durationMs },
        },
        this.#clock(),
      );
    });
  }

  #allowed(principal: Principal, id: string, action: RecordingAction): RecordingWithConference {
    const r = this.#store.recordings.get(id);
    const room = r === null ? null : this.#store.rooms.get(r.roomId);
    if (r === null || room === null || !mayOnRecording(principal, room, 'recording.list') || !mayOnRecording(principal, room, action)) {
      throw new AppError('NOT_FOUND', 'recording not found');
    }
    return r;
  }
}
