/**
 * A room recording's life, as pure rules: the status a conference's recording is in, which
 * host command moves it where, and the metadata kept for each file (one per conference
 * segment). Times are injected; nothing here does I/O.
 */
import { AppError } from '../lib/errors.ts';

/** What Live Call Status shows. */
export type RecordingStatus = 'on' | 'paused' | 'off';

/** Host commands on a room's recording. */
export type RecordingCommand = 'start' | 'pause' | 'resume' | 'stop';

/** Where a recording row is: still being written, or a finished file (`failed`: a write error ended it). */
export type RecordingState = 'recording' | 'paused' | 'done' | 'failed';

/** One recording (a file) as stored. */
export interface RecordingRecord {
  readonly id: string;
  readonly roomId: string;
  readonly accountId: string;
  readonly conferenceId: string;
  /** Who started it: `user:<id>` or `leg:<id>` (a host on the keypad) or `account-setting`. */
  readonly startedBy: string;
  readonly startedAt: Date;
  readonly stoppedAt: Date | null;
  /** Time spent paused so far (closed intervals), ms. */
  readonly pausedMs: number;
  /** Start of the pause in progress, or null. */
  readonly pausedSince: Date | null;
  /** Audio in the file, ms (set when finished). */
  readonly durationMs: number | null;
  readonly sizeBytes: number | null;
  /** Hex SHA-256 of the finished file. */
  readonly sha256: string | null;
  /** Absolute path of the WAV under DATA_DIR/recordings. */
  readonly path: string;
  /** `ulaw` or `pcm16`, from the finished file's header. */
  readonly encoding: string | null;
  readonly state: RecordingState;
  /** The server stopped (crash or restart) before the recording was stopped. */
  readonly cutShort: boolean;
}

const MOVES: Readonly<Record<RecordingCommand, { from: readonly RecordingStatus[]; to: RecordingStatus }>> = {
  start: { from: ['off'], to: 'on' },
  pause: { from: ['on'], to: 'paused' },
  resume: { from: ['paused'], to: 'on' },
  stop: { from: ['on', 'paused'], to: 'off' },
};

/**
 * The status after `command`, or `RECORDING_STATE` (HTTP 409) when the command makes no
 * sense now (start while recording, pause while paused or off, …).
 */
export function nextRecordingStatus(status: RecordingStatus, command: RecordingCommand): RecordingStatus {
  const move = MOVES[command];
  if (!move.from.includes(status)) {
    throw new AppError('RECORDING_STATE', `cannot ${command} the recording while it is ${status}`, { details: { status, command } });
  }
  return move.to;
}

/** Total paused time at `now`, counting a pause still in progress. */
export function pausedMsAt(record: Pick<RecordingRecord, 'pausedMs' | 'pausedSince'>, now: Date): number {
  return record.pausedMs + (record.pausedSince === null ? 0 : Math.max(0, now.getTime() - record.pausedSince.getTime()));
}
