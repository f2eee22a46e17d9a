import type { Logger } from 'pino';
import { pausedMsAt } from '../domain/recording.ts';
import { finaliseRecordingFile } from './recording-files.ts';
import type { Store } from './store.ts';

/**
 * After a crash, a recording still marked as being written has a file whose header sizes
 * were never patched. Each one is finalised (header rewritten from the file's length, size,
 * duration and checksum measured) and marked `cut_short`; a file that is gone or unreadable
 * is marked `failed`. The next conference in the room records into a new file (a new
 * segment). Returns how many were recovered.
 */
export async function recoverInterruptedRecordings(store: Store, now: Date, logger: Logger): Promise<number> {
  const open = store.recordings.open();
  for (const recording of open) {
    const base = { ...recording, stoppedAt: now, pausedMs: pausedMsAt(recording, now), pausedSince: null, cutShort: true };
    try {
      const facts = await finaliseRecordingFile(recording.path);
      store.recordings.save({ ...base, ...facts, state: 'done' });
    } catch (err) {
      logger.warn({ err, recordingId: recording.id }, 'interrupted recording could not be finalised');
      store.recordings.save({ ...base, state: 'failed' });
    }
  }
  return open.length;
}
