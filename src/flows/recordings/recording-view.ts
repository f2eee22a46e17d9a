import type { RecordingState } from '../../domain/recording.ts';
import { downloadableUntil, recordingAvailability } from '../../domain/recording-retention.ts';
import type { RecordingWithConference } from '../../storage/recording-repo.ts';

/** A recording as the API lists it (no path: where files live is the server's business). */
export interface RecordingView {
  readonly id: string;
  readonly roomId: string;
  readonly conferenceId: string;
  readonly startedAt: string;
  readonly stoppedAt: string | null;
  readonly durationMs: number | null;
  readonly pausedMs: number;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly encoding: string | null;
  readonly state: RecordingState;
  /** The server stopped before the recording was stopped; the file holds what was written. */
  readonly cutShort: boolean;
  /** More than 60 days after the conference ended: listed, no longer downloadable. */
  readonly expired: boolean;
  /** When download ends (60 days after the conference ended); null while it runs. */
  readonly downloadableUntil: string | null;
}

/** The view of one stored recording at `now`. */
export function toRecordingView(r: RecordingWithConference, now: Date): RecordingView {
  const until = downloadableUntil(r.conferenceEndedAt);
  return {
    id: r.id,
    roomId: r.roomId,
    conferenceId: r.conferenceId,
    startedAt: r.startedAt.toISOString(),
    stoppedAt: r.stoppedAt === null ? null : r.stoppedAt.toISOString(),
    durationMs: r.durationMs,
    pausedMs: r.pausedMs,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    encoding: r.encoding,
    state: r.state,
    cutShort: r.cutShort,
    expired: recordingAvailability(r.conferenceEndedAt, now) !== 'available',
    downloadableUntil: until === null ? null : until.toISOString(),
  };
}
