import type { Database } from 'better-sqlite3';
import type { Migration, MigrationContext } from './migrations.ts';

/**
 * Accounts and people: account status, users' email, password and phone numbers, named API
 * keys, many-to-many delegations, service numbers, browser sessions, the audit log, who
 * caused each leg event — and PINs kept only as keyed hashes (the clear PINs are copied into
 * hashes and the old table is dropped; `secure_delete` zeroes its pages).
 */
const SQL = `
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed'));
ALTER TABLE accounts ADD COLUMN suspended_at TEXT;
ALTER TABLE accounts ADD COLUMN closed_at TEXT;

ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);
CREATE TABLE user_phone_numbers (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (user_id, number)
);
CREATE INDEX user_phone_numbers_number ON user_phone_numbers(number);

ALTER TABLE api_keys ADD COLUMN name TEXT NOT NULL DEFAULT 'default';
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;

CREATE TABLE delegations (
  delegate_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  host_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (delegate_user_id, host_user_id)
);
CREATE INDEX delegations_host ON delegations(host_user_id);
INSERT INTO delegations (delegate_user_id, host_user_id, created_at) SELECT delegate_user_id, host_user_id, created_at FROM delegates;
DROP TABLE delegates;

CREATE TABLE service_numbers (
  number TEXT PRIMARY KEY,
  account_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
  label TEXT,
  created_at TEXT NOT NULL
);
INSERT INTO service_numbers (number, account_id, created_at)
  SELECT service_number, MIN(account_id), MIN(created_at) FROM rooms GROUP BY service_number;

CREATE TABLE rooms_v2 (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  owner_user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  service_number TEXT NOT NULL REFERENCES service_numbers(number),
  participant_pin_hash TEXT NOT NULL,
  participant_pin_length INTEGER NOT NULL,
  host_pin_hash TEXT NOT NULL,
  host_pin_length INTEGER NOT NULL,
  wait_for_host INTEGER NOT NULL,
  join_muted INTEGER NOT NULL,
  max_members INTEGER NOT NULL,
  end_after_host_left_seconds INTEGER,
  announce_names INTEGER NOT NULL,
  entry_exit_tones INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (participant_pin_hash <> host_pin_hash),
  UNIQUE (service_number, participant_pin_hash),
  UNIQUE (service_number, host_pin_hash)
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  source_address TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  account_id TEXT,
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_role TEXT NOT NULL,
  via TEXT,
  source_address TEXT,
  action TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  target_id TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_account ON audit_log(account_id, id);

ALTER TABLE leg_events ADD COLUMN actor TEXT;
`;

interface ClearPinRow {
  id: string;
  participant_pin: string;
  host_pin: string;
}

/** Copies every room into the new table with its PINs hashed, then drops the clear ones. */
function hashRoomPins(db: Database, { hashPin }: MigrationContext): void {
  const insert = db.prepare(
    `INSERT INTO rooms_v2 SELECT id, account_id, owner_user_id, name, service_number, ?, ?, ?, ?, wait_for_host, join_muted,
     max_members, end_after_host_left_seconds, announce_names, entry_exit_tones, created_at FROM rooms WHERE id = ?`,
  );
  for (const row of db.prepare<[], ClearPinRow>('SELECT id, participant_pin, host_pin FROM rooms').all()) {
    insert.run(hashPin(row.participant_pin), row.participant_pin.length, hashPin(row.host_pin), row.host_pin.length, row.id);
  }
  db.exec(`
DROP TABLE rooms;
ALTER TABLE rooms_v2 RENAME TO rooms;
CREATE INDEX rooms_owner ON rooms(owner_user_id);
CREATE INDEX rooms_service_number ON rooms(service_number);
`);
}

/** Migration 2 (see the module comment). */
export const MIGRATION_2: Migration = {
  version: 2,
  name: 'accounts and people: status, email, passwords, phones, key names, delegations, service numbers, sessions, audit, hashed PINs',
  sql: SQL,
  up: hashRoomPins,
  rebuildsTables: true,
};
