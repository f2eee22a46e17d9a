import type { Database, Statement } from 'better-sqlite3';

/**
 * Says when what the access caches hold — keys, users, accounts, delegations, rooms — may
 * have changed: a counter bumped by every write through this process's access repositories
 * (see {@link stampingDb}), plus SQLite's `data_version`, which moves whenever another
 * connection commits (a second process on the same file, an operator's tool). Reading it is
 * one tiny statement, far cheaper than the queries the caches save.
 */
export class ChangeStamp {
  #local = 0;
  readonly #dataVersion: Statement<[], number>;

  constructor(db: Database) {
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Something watched was written by this process (or a transaction rolled back). */
  bump(): void {
    this.#local++;
  }

  /** A value that differs from every earlier one once anything watched may have changed. */
  current(): number {
    // data_version grows by one per foreign commit; 2^32 local writes would be needed to collide.
    return (this.#dataVersion.get() ?? 0) * 2 ** 32 + this.#local;
  }
}

/**
 * `db` as seen by a repository whose writes must invalidate the access caches: every
 * statement it prepares that is not a plain read bumps `stamp` when it runs (also when it
 * throws, so a half-done write never leaves a stale entry), and so do `exec` and the end of
 * every transaction (a rolled-back one may have been read from). Reads pass
 * through untouched, so a new write method cannot forget to invalidate.
 */
export function stampingDb(db: Database, stamp: ChangeStamp): Database {
  const stamped = (statement: Statement): Statement =>
    new Proxy(statement, {
      get(target, prop) {
        if (prop === 'run') {
          return (...args: unknown[]) => {
            try {
              return target.run(...args);
            } finally {
              stamp.bump();
            }
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => {
          const statement = target.prepare(sql);
          return /^\s*SELECT\b/i.test(sql) ? statement : stamped(statement);
        };
      }
      if (prop === 'transaction') {
        // A rolled-back transaction may have been read from after its writes: forget that too.
        return (fn: (...a: unknown[]) => unknown) => {
          const run = target.transaction(fn);
          return (...args: unknown[]) => {
            try {
              return run(...args);
            } finally {
              stamp.bump();
            }
          };
        };
      }
      if (prop === 'exec') {
        return (sql: string) => {
          try {
            return target.exec(sql);
          } finally {
            stamp.bump();
          }
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A map of values loaded from the database, forgotten as a whole whenever `stamp` moves
 * (so an entry is never older than the last change), and at `maxEntries` (so unknown keys
 * cannot grow it without bound).
 */
export class StampedCache<K, V> {
  readonly #stamp: ChangeStamp;
  readonly #maxEntries: number;
  readonly #entries = new Map<K, V>();
  #seen = -1;

  constructor(stamp: ChangeStamp, maxEntries = 10_000) {
    this.#stamp = stamp;
    this.#maxEntries = maxEntries;
  }

  /** The cached value of `key`, or what `load` gives (then cached). */
  get(key: K, load: () => V): V {
    const now = this.#stamp.current();
    if (now !== this.#seen) {
      this.#entries.clear();
      this.#seen = now;
    }
    if (this.#entries.has(key)) return this.#entries.get(key) as V;
    const value = load();
    // A write during `load` (none today) would move the stamp: do not keep what it read.
    if (this.#stamp.current() !== now) return value;
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }
}
