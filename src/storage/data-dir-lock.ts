import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AppError } from '../lib/errors.ts';

/** The file whose lock says "a server runs on this DATA_DIR". */
export const LOCK_FILE = 'dialbridge.lock';

/** A held DATA_DIR lock. */
export interface DataDirLock {
  /** Releases the lock (idempotent). */
  release(): void;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * Takes the exclusive lock of `dataDir` (an existing directory), or throws `DATA_DIR_LOCKED`
 * when another server holds it. The lock is an exclusive SQLite transaction on
 * `dialbridge.lock`, held until release: it is a kernel (fcntl) lock, so the operating system
 * drops it when the holder dies, even by `kill -9`, and no stale lock file has to be guessed
 * at. A failed attempt reads and writes nothing (the file stays as the holder left it).
 * Take it before anything else in the directory is written.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (err) {
    throw new AppError('DATA_DIR_UNUSABLE', `DATA_DIR ${dataDir} has a ${LOCK_FILE} that cannot be opened`, { cause: err });
  }
  try {
    // Exclusive locking mode keeps the lock past the statement; BEGIN EXCLUSIVE takes it now.
    // Nothing is ever written, so the rollback journal lives in memory: on disk it would stay
    // behind as dialbridge.lock-journal (exclusive mode keeps the journal file open and on disk).
    db.pragma('journal_mode = MEMORY');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if (isBusy(err)) {
      throw new AppError('DATA_DIR_LOCKED', `DATA_DIR ${dataDir} is in use by another dialbridge server (${LOCK_FILE} is locked); stop it first or use another DATA_DIR`, {
        cause: err,
        details: { dataDir },
      });
    }
    throw new AppError('DATA_DIR_UNUSABLE', `DATA_DIR ${dataDir} cannot be locked`, { cause: err });
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
