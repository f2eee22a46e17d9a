/**
 * PINs are kept only as keyed hashes: the database file and its write-ahead log never hold
 * a clear PIN — neither for rooms made now nor after migrating a version-1 database that
 * held them in clear — and a PIN still opens the right room through the join flow's match.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { Administration } from '../../../src/admin/administration.ts';
import { createRoom, setPins } from '../../../src/admin/rooms.ts';
import { matchPin } from '../../../src/domain/room.ts';
import { MIGRATIONS } from '../../../src/storage/migrations.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { Store } from '../../../src/storage/store.ts';

const SECRET = Buffer.from('pin-hash-test-secret-0123456789abcdef', 'utf8');
const OTHER_SECRET = Buffer.from('another-secret-with-enough-bytes-42', 'utf8');

/** A fresh temporary directory, removed when the test ends. */
function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-pin-hash-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The bytes of the database file and of its `-wal` and `-shm` (when present). */
function fileBytes(path: string): { name: string; bytes: Buffer }[] {
  return [path, `${path}-wal`, `${path}-journal`]
    .filter((p) => existsSync(p))
    .map((p) => ({ name: p.slice(p.lastIndexOf('/') + 1), bytes: readFileSync(p) }));
}

/** Asserts that none of `pins` occurs (as ASCII) anywhere in the database's files. */
function assertNoClearPin(t: Test, path: string, pins: readonly string[]): void {
  const files = fileBytes(path);
  t.ok(files.length > 0, 'the database file exists');
  for (const { name, bytes } of files) {
    for (const pin of pins) {
      t.equal(bytes.indexOf(Buffer.from(pin, 'ascii')), -1, `${name} (${bytes.length} bytes) does not contain ${pin}`);
    }
  }
}

function administration(store: Store): Administration {
  return new Administration({
    store,
    operatorKey: 'operator-key-for-the-pin-hash-test-0123456789',
    now: () => new Date('2026-05-04T10:00:00Z'),
    conferences: { isRunning: () => false, endAllOf: async () => undefined },
  });
}

const OPERATOR = { kind: 'operator', id: null, role: 'operator', via: 'api-key', sourceAddress: '127.0.0.1' } as const;

/** An account with a host and a service number, made through the store. */
function accountWithHost(store: Store, number: string): { accountId: string; hostId: string } {
  const account = store.accounts.create({ name: 'Pins Ltd' });
  const host = store.users.create({ accountId: account.id, name: 'Hanna Host', role: 'host', email: `hanna-${number}@example.test` });
  store.serviceNumbers.create({ number, accountId: account.id, label: null });
  return { accountId: account.id, hostId: host.id };
}

t.test('rooms made with distinctive PINs leave no clear PIN in the database file or its WAL', async (t) => {
  t.setTimeout(20_000);
  const path = join(tempDir(t), 'dialbridge.sqlite');
  const store = openStore(path, SECRET);
  t.teardown(() => {
    store.close();
  });
  const admin = administration(store);
  const { accountId, hostId } = accountWithHost(store, '+441632960100');
  const ctx = admin.context(OPERATOR);
  const made = createRoom(ctx, accountId, { name: 'Board', ownerUserId: hostId, serviceNumber: '+441632960100', participantPin: '73915264', hostPin: '48102957' });
  t.same(made.pins, { participantPin: '73915264', hostPin: '48102957' }, 'the PINs are shown once, in the answer');
  const second = createRoom(ctx, accountId, { name: 'Weekly', ownerUserId: hostId, serviceNumber: '+441632960100', participantPin: '62830571', hostPin: '51729384' });
  // A changed PIN: neither the old nor the new one may be left in clear.
  setPins(ctx, store.rooms.get(second.room.id)!, { participantPin: '90417362' });

  t.notMatch(JSON.stringify(store.audit.query({ accountId }, { limit: 200 })), /73915264|48102957|62830571|51729384|90417362/, 'the audit log names no PIN');
  const pins = ['73915264', '48102957', '62830571', '51729384', '90417362'];
  assertNoClearPin(t, path, pins);
  store.close();
  assertNoClearPin(t, path, pins);

  const reopened = openStore(path, SECRET);
  t.teardown(() => {
    reopened.close();
  });
  const rooms = reopened.rooms.onServiceNumber('+441632960100');
  t.same(matchPin(rooms, '+441632960100', '73915264', reopened.hashPin)?.room.id, made.room.id, 'the participant PIN still opens its room');
  t.same(matchPin(rooms, '+441632960100', '73915264', reopened.hashPin)?.role, 'participant');
  t.same(matchPin(rooms, '+441632960100', '48102957', reopened.hashPin)?.role, 'host', 'the host PIN opens it as host');
  t.same(matchPin(rooms, '+441632960100', '90417362', reopened.hashPin)?.room.id, second.room.id, 'the new PIN opens the second room');
  t.equal(matchPin(rooms, '+441632960100', '62830571', reopened.hashPin), null, 'the replaced PIN opens nothing');
  t.same(matchPin(rooms, '+441632960100', '51729384', reopened.hashPin)?.role, 'host', 'the PIN left alone still works');
});

t.test('the PIN hash is keyed: a database opened with another secret matches no PIN', (t) => {
  const path = join(tempDir(t), 'dialbridge.sqlite');
  const store = openStore(path, SECRET);
  const { accountId, hostId } = accountWithHost(store, '+441632960101');
  createRoom(administration(store).context(OPERATOR), accountId, { name: 'Keyed', ownerUserId: hostId, serviceNumber: '+441632960101', participantPin: '73915264', hostPin: '48102957' });
  store.close();
  const other = openStore(path, OTHER_SECRET);
  t.teardown(() => {
    other.close();
  });
  const rooms = other.rooms.onServiceNumber('+441632960101');
  t.equal(rooms.length, 1);
  t.equal(matchPin(rooms, '+441632960101', '73915264', other.hashPin), null);
  const memory = openStore(':memory:', SECRET);
  t.teardown(() => {
    memory.close();
  });
  t.not(other.hashPin('73915264'), memory.hashPin('73915264'), 'another secret, another hash');
  t.end();
});

t.test('migrating a version-1 database with clear PINs hashes them and leaves no clear PIN behind', (t) => {
  t.setTimeout(20_000);
  const path = join(tempDir(t), 'dialbridge.sqlite');
  const v1 = MIGRATIONS[0];
  if (v1?.version !== 1) throw new Error('MIGRATIONS[0] is not version 1');

  // A version-1 database as the previous release left it: WAL journal, schema 1, clear PINs.
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  db.exec(v1.sql);
  db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(1, v1.name, '2026-01-01T00:00:00.000Z');
  const at = '2026-01-02T00:00:00.000Z';
  db.prepare('INSERT INTO accounts (id, name, retention_months, created_at) VALUES (?, ?, NULL, ?)').run('acct-old', 'Old Ltd', at);
  db.prepare('INSERT INTO users (id, account_id, name, role, created_at) VALUES (?, ?, ?, ?, ?)').run('user-old', 'acct-old', 'Olga', 'admin', at);
  const insertRoom = db.prepare(
    `INSERT INTO rooms (id, account_id, owner_user_id, name, service_number, participant_pin, host_pin, wait_for_host, join_muted,
     max_members, end_after_host_left_seconds, announce_names, entry_exit_tones, created_at) VALUES (?, 'acct-old', 'user-old', ?, ?, ?, ?, 0, 0, 50, NULL, 1, 1, ?)`,
  );
  insertRoom.run('room-one', 'One', '1000', '73915264', '48102957', at);
  insertRoom.run('room-two', 'Two', '1000', '62830571', '51729384', at);
  insertRoom.run('room-three', 'Three', '2000', '73915264', '39571046', at);
  db.close();
  const pins = ['73915264', '48102957', '62830571', '51729384', '39571046'];
  const before = fileBytes(path);
  t.ok(before.some(({ bytes }) => bytes.includes(Buffer.from('73915264', 'ascii'))), 'the version-1 file holds the PINs in clear (the test would prove nothing otherwise)');

  const store = openStore(path, SECRET);
  const migrated = store.rooms.onServiceNumber('1000');
  t.same(migrated.map((r) => r.id).sort(), ['room-one', 'room-two']);
  const one = matchPin(migrated, '1000', '73915264', store.hashPin);
  t.equal(one?.room.id, 'room-one', 'a migrated participant PIN opens its room');
  t.equal(one?.role, 'participant');
  t.equal(matchPin(migrated, '1000', '51729384', store.hashPin)?.room.id, 'room-two', 'a migrated host PIN opens its room');
  t.equal(matchPin(migrated, '1000', '51729384', store.hashPin)?.role, 'host');
  t.equal(matchPin(migrated, '1000', '39571046', store.hashPin), null, 'a PIN of another number opens nothing here');
  const three = store.rooms.onServiceNumber('2000');
  t.equal(matchPin(three, '2000', '73915264', store.hashPin)?.room.id, 'room-three', 'the same PIN on another number opens that number\'s room');
  t.equal(store.rooms.get('room-one')?.participantPin.length, 8, 'the PIN length survives (for the IVR\'s entry length)');
  t.not(store.serviceNumbers.get('1000'), null, 'the rooms\' numbers became service numbers');

  assertNoClearPin(t, path, pins);
  store.close();
  assertNoClearPin(t, path, pins);
  t.end();
});
