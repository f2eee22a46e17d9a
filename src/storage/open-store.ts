import Database from 'better-sqlite3';
import { AppError } from '../lib/errors.ts';
import { migrate } from './migrate.ts';
import { Store } from './store.ts';

/**
 * Opens (creating if needed) the database at `path` — WAL journal, foreign keys on, a busy
 * timeout — and brings its schema up to date. `':memory:'` works for tests.
 */
export function openStore(path: string): Store {
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
    db.pragma('synchronous = NORMAL');
    // Deleted rows (recordings, personal data) are overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new Store(db);
}
