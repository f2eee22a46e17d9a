import Database from 'better-sqlite3';
import t from 'tap';
import { cachingStatements } from '../../../src/storage/statement-cache.ts';

t.test('the same SQL gets the same prepared statement, which runs again with new parameters', async (t) => {
  const raw = new Database(':memory:');
  t.teardown(() => raw.close());
  const db = cachingStatements(raw);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO notes (text) VALUES (?)');
  t.equal(db.prepare('INSERT INTO notes (text) VALUES (?)'), insert, 'prepared once');
  insert.run('one');
  db.prepare('INSERT INTO notes (text) VALUES (?)').run('two');
  t.not(db.prepare('SELECT text FROM notes WHERE id = ?'), insert, 'other SQL, another statement');
  t.same(db.prepare<[number], { text: string }>('SELECT text FROM notes WHERE id = ?').get(2), { text: 'two' });
  t.same(db.prepare<[number], { text: string }>('SELECT text FROM notes WHERE id = ?').get(1), { text: 'one' });
});

t.test('transactions and a rollback behave as on the database itself', async (t) => {
  const raw = new Database(':memory:');
  t.teardown(() => raw.close());
  const db = cachingStatements(raw);
  db.exec('CREATE TABLE n (v INTEGER)');
  const add = (v: number): void => {
    db.prepare('INSERT INTO n (v) VALUES (?)').run(v);
  };
  db.transaction(() => {
    add(1);
    add(2);
  })();
  t.throws(() =>
    db.transaction(() => {
      add(3);
      throw new Error('roll back');
    })(),
  );
  t.same(db.prepare('SELECT v FROM n ORDER BY v').all(), [{ v: 1 }, { v: 2 }]);
  t.equal(db.open, true, 'properties pass through');
});

t.test('a statement that fails to prepare is not kept, and the next try reports it again', async (t) => {
  const raw = new Database(':memory:');
  t.teardown(() => raw.close());
  const db = cachingStatements(raw);
  t.throws(() => db.prepare('SELECT * FROM missing'), /no such table/);
  t.throws(() => db.prepare('SELECT * FROM missing'), /no such table/);
  db.exec('CREATE TABLE missing (a)');
  t.same(db.prepare('SELECT * FROM missing').all(), [], 'prepared once the table exists');
});
