import type { Database, Statement } from 'better-sqlite3';

/** Statements kept at most; past it the cache starts again (the repositories have about a hundred). */
const MAX_STATEMENTS = 1_000;

/**
 * `db` with its prepared statements kept by SQL text: the repositories prepare their queries
 * where they run them, and preparing (SQLite compiling the SQL) cost more than running most of
 * them — several per call on the join path. A statement is reusable once it has run; no
 * repository iterates a statement, and the one mode switch (ChangeStamp's `pluck`) is on SQL
 * text nothing else prepares, so the same text always wants the same statement. Everything
 * else passes through.
 */
export function cachingStatements(db: Database): Database {
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
