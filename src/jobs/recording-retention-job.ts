import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { deletionCutoff } from '../domain/recording-retention.ts';
import { toAppError } from '../lib/errors.ts';
import { deleteRecordingFile } from '../storage/recording-files.ts';
import type { Store } from '../storage/store.ts';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.ts';

/** Options of {@link startRecordingRetention}. */
export interface RecordingRetentionOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often it runs after the first run; default hourly. */
  readonly intervalMs?: number;
  /** Told how many recordings a pass deleted (metrics). */
  readonly onDeleted?: (count: number) => void;
}

/** A running retention job; a pass resolves with how many recordings it deleted. */
export type RecordingRetentionJob = PeriodicJob<number>;

/** At most this many deletions per pass, so one pass never holds the process for long. */
const BATCH = 500;

/**
 * Deletes recordings 90 days after their conference ended (PRODUCT-POLICY): the file, then
 * the row with an audit entry (`retention-job`, sizes and ids only). Runs once at start and
 * then every `intervalMs` on an unref'd timer; passes never overlap.
 */
export function startRecordingRetention(options: RecordingRetentionOptions): RecordingRetentionJob {
  const { store, clock, logger } = options;
  const pass = async (): Promise<number> => {
    const now = clock();
    const due = store.recordings.endedBefore(deletionCutoff(now), BATCH);
    let deleted = 0;
    for (const r of due) {
      try {
        await deleteRecordingFile(r.path);
        store.recordings.deleteWithAudit({
          at: now,
          actor: 'retention-job',
          action: 'expired-deleted',
          recordingId: r.id,
          roomId: r.roomId,
          accountId: r.accountId,
          sizeBytes: r.sizeBytes,
          durationMs: r.durationMs,
        });
        store.audit.record(
          {
            accountId: r.accountId,
            actor: { kind: 'system', id: null, role: 'system', via: null, sourceAddress: null },
            action: 'recording.expired-deleted',
            target: { kind: 'recording', id: r.id },
            detail: { roomId: r.roomId, sizeBytes: r.sizeBytes, durationMs: r.durationMs },
          },
          now,
        );
        deleted++;
      } catch (err) {
        logger.error({ err: toAppError(err), recordingId: r.id }, 'expired recording could not be deleted');
      }
    }
    if (deleted > 0) logger.info({ count: deleted }, 'expired recordings deleted');
    options.onDeleted?.(deleted);
    return deleted;
  };
  return startPeriodicJob(pass, options.intervalMs ?? 3_600_000, (err: unknown) => {
    logger.error({ err: toAppError(err) }, 'recording retention pass failed');
  });
}
