import Database from 'better-sqlite3';
import { AppError } from '../lib/errors.ts';
import { migrate } from './migrate.ts';
import { pinHasher } from './pin-hash.ts';
import { secretBox } from './secret-box.ts';
import { cachingStatements } from './statement-cache.ts';
import { Store } from './store.ts';

/**
 * Opens (creating if needed) the database at `path` — WAL journal, foreign keys on, a busy
 * timeout, `secure_delete` so that deleted rows are zeroed rather than left in free pages —
 * and brings its schema up to date, then empties the WAL so no old page lingers in it.
 * `pinSecret` keys the PIN hashes and (through a derived key) the sealed webhook secrets. `':memory:'` works for tests.
 */
export function openStore(path: string, pinSecret: Buffer): Store {
  const hashPin = pinHasher(pinSecret);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `cannot open the database at ${path}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // NORMAL in WAL mode: a power cut loses at most the last transactions, never integrity
    // (FULL would fsync on every commit, on the calls' path); see docs/operations.md.
    db.pragma('synchronous = NORMAL');
    db.pragma('secure_delete = ON');
    if (migrate(db, { hashPin }).length > 0) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    db.close();
    throw err;
  }
  return new Store(cachingStatements(db), hashPin, secretBox(pinSecret));
}
