import type { Database } from 'better-sqlite3';
import { MIGRATION_2 } from './migration-2.ts';
import { MIGRATION_4 } from './migration-4.ts';
import { MIGRATION_5 } from './migration-5.ts';
import { MIGRATION_6 } from './migration-6.ts';
import { MIGRATION_7 } from './migration-7.ts';
import { MIGRATION_8 } from './migration-8.ts';
import { MIGRATION_9 } from './migration-9.ts';

/**
 * The schema, as versioned migrations applied in order. Never edit a released migration:
 * add the next one. Times are ISO-8601 text, except `pin_attempts.at` and the webhook outbox's
 * (epoch ms, range-queried).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Work SQL alone cannot do (hashing secrets), run after `sql` in the same transaction. */
  readonly up?: (db: Database, context: MigrationContext) => void;
  /**
   * Whether foreign keys must be off while it runs: rebuilding a table that others refer to
   * (SQLite's "generalized ALTER TABLE" procedure) would otherwise cascade its deletion.
   * Foreign keys are checked before the transaction commits.
   */
  readonly rebuildsTables?: boolean;
}

/** What migrations may need besides the database. */
export interface MigrationContext {
  /** The keyed hash of a PIN (see storage/pin-hash.ts). */
  readonly hashPin: (pin: string) => string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, users, rooms, conferences, legs, history, pin attempts',
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  retention_months INTEGER,
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'host', 'delegate')),
  created_at TEXT NOT NULL
);
CREATE INDEX users_account ON users(account_id);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_keys_user ON api_keys(user_id);
CREATE TABLE delegates (
  delegate_user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  host_user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
);
CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  owner_user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  service_number TEXT NOT NULL,
  participant_pin TEXT NOT NULL,
  host_pin TEXT NOT NULL,
  wait_for_host INTEGER NOT NULL,
  join_muted INTEGER NOT NULL,
  max_members INTEGER NOT NULL,
  end_after_host_left_seconds INTEGER,
  announce_names INTEGER NOT NULL,
  entry_exit_tones INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (participant_pin <> host_pin),
  UNIQUE (service_number, participant_pin),
  UNIQUE (service_number, host_pin)
);
CREATE INDEX rooms_owner ON rooms(owner_user_id);
CREATE TABLE conferences (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT,
  locked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conferences_room ON conferences(room_id, started_at);
CREATE INDEX conferences_open ON conferences(ended_at) WHERE ended_at IS NULL;
CREATE TABLE legs (
  id TEXT PRIMARY KEY,
  room_id TEXT REFERENCES rooms(id) ON DELETE CASCADE,
  conference_id TEXT REFERENCES conferences(id) ON DELETE CASCADE,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  role TEXT NOT NULL CHECK (role IN ('host', 'participant')),
  state TEXT NOT NULL CHECK (state IN ('offered', 'in-ivr', 'waiting-for-host', 'joined', 'held', 'left')),
  service_number TEXT,
  call_id TEXT,
  source_address TEXT,
  cli_raw TEXT,
  cli_number TEXT,
  cli_display_name TEXT,
  cli_withheld INTEGER NOT NULL DEFAULT 0,
  cli_source TEXT,
  spoken_name_path TEXT,
  typed_name TEXT,
  host_assigned_name TEXT,
  muted INTEGER NOT NULL DEFAULT 0,
  deaf INTEGER NOT NULL DEFAULT 0,
  talking INTEGER NOT NULL DEFAULT 0,
  hand_raised INTEGER NOT NULL DEFAULT 0,
  muted_by_host INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  joined_at TEXT,
  left_at TEXT,
  left_reason TEXT
);
CREATE INDEX legs_conference ON legs(conference_id);
CREATE INDEX legs_open ON legs(state) WHERE state <> 'left';
CREATE TABLE leg_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  leg_id TEXT NOT NULL REFERENCES legs(id) ON DELETE CASCADE,
  conference_id TEXT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX leg_events_leg ON leg_events(leg_id, id);
CREATE TABLE pin_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_number TEXT NOT NULL,
  room_id TEXT REFERENCES rooms(id) ON DELETE SET NULL,
  cli TEXT,
  source_address TEXT,
  at INTEGER NOT NULL,
  ok INTEGER NOT NULL
);
CREATE INDEX pin_attempts_at ON pin_attempts(at);
`,
  },
  MIGRATION_2,
  // Issue 8: recordings.
  {
    version: 3,
    name: 'recordings and their deletion audit',
    sql: `
CREATE TABLE recordings (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  conference_id TEXT NOT NULL REFERENCES conferences(id) ON DELETE CASCADE,
  started_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  stopped_at TEXT,
  paused_ms INTEGER NOT NULL DEFAULT 0,
  paused_since TEXT,
  duration_ms INTEGER,
  size_bytes INTEGER,
  sha256 TEXT,
  path TEXT NOT NULL,
  encoding TEXT,
  state TEXT NOT NULL CHECK (state IN ('recording', 'paused', 'done', 'failed')),
  cut_short INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recordings_room ON recordings(room_id, started_at);
CREATE INDEX recordings_account ON recordings(account_id, started_at);
CREATE INDEX recordings_open ON recordings(state) WHERE state IN ('recording', 'paused');
CREATE TABLE recording_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  recording_id TEXT NOT NULL,
  room_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  size_bytes INTEGER,
  duration_ms INTEGER
);
CREATE INDEX recording_audit_at ON recording_audit(at);
`,
  },
  // Issue 13: webhooks and their outbox.
  MIGRATION_4,
  // Issue 10: looked-up names, contacts, billing codes; issue 12: guest links.
  MIGRATION_5,
  MIGRATION_6,
  // Account recording settings (issue 8).
  MIGRATION_7,
  // Issue 9: trunks, DIDs, dial policy, dial attempts.
  MIGRATION_8,
  // Issue 11: privacy in operation (billing aggregates, data-subject requests).
  MIGRATION_9,
];
