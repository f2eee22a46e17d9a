import type { Database } from 'better-sqlite3';
import { AppError } from '../lib/errors.ts';
import { MIGRATIONS, type Migration, type MigrationContext } from './migrations.ts';

/**
 * Applies every migration newer than the database, in order, each in its own transaction,
 * recording it in the `migrations` table. Refuses a database newer than this code.
 * Returns the versions applied.
 */
export function migrate(
  db: Database,
  context: MigrationContext,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM migrations').get();
  const current = row?.v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new AppError('CONFIG_INVALID', `the database schema (version ${current}) is newer than this server (version ${latest})`);
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
    if (m.rebuildsTables === true && foreignKeys) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        m.up?.(db, context);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new AppError('INTERNAL', `migration ${m.version} broke ${broken.length} foreign keys`);
        record.run(m.version, m.name, now().toISOString());
      })();
    } finally {
      if (m.rebuildsTables === true && foreignKeys) db.pragma('foreign_keys = ON');
    }
    applied.push(m.version);
  }
  return applied;
}
