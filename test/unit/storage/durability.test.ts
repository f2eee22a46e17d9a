import { readFileSync } from 'node:fs';
import t from 'tap';
import { tempStore } from './temp-store.ts';

t.test('the store runs WAL with synchronous NORMAL and secure_delete on', (t) => {
  const { store } = tempStore(t);
  // synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
  t.same(store.durability(), { journalMode: 'wal', synchronous: 1, secureDelete: 1 });
  t.end();
});

t.test('a deleted row is really gone from the file (secure_delete zeroes it, the checkpoint empties the WAL)', (t) => {
  const { store, path } = tempStore(t);
  const marker = 'SECRET-MARKER-7f3a9c1e';
  const attempt = { serviceNumber: marker, cli: '+4930123456', sourceAddress: '10.1.2.3', at: 1, ok: false };
  for (let i = 0; i < 50; i++) store.pinAttempts.record({ ...attempt, at: i + 1 });
  store.checkpoint();
  t.ok(readFileSync(path).includes(marker), 'the rows are in the file');
  t.equal(store.pinAttempts.prune(1000), 50);
  store.checkpoint();
  t.notOk(readFileSync(path).includes(marker), 'after the delete and a checkpoint, nothing of them is left');
  t.end();
});
