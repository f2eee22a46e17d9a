import type { Migration } from './migrations.ts';

/**
 * Migration 8 (issue 9): carrier trunks with their DIDs, the account's own dial policy, and
 * the audit of every dial-out attempt (refused or placed), which the policy also counts.
 * The digest password is kept sealed (AES-GCM under the server key), never in clear.
 */
export const MIGRATION_8: Migration = {
  version: 8,
  name: 'trunks, DIDs, account dial policy, dial attempts',
  sql: `
CREATE TABLE trunks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,
  country TEXT,
  inbound_cidrs TEXT NOT NULL DEFAULT '[]',
  outbound_uri TEXT,
  transport TEXT NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp', 'tcp')),
  username TEXT,
  password_sealed TEXT,
  caller_ids TEXT NOT NULL DEFAULT '[]',
  max_concurrent INTEGER NOT NULL DEFAULT 10 CHECK (max_concurrent >= 0),
  created_at TEXT NOT NULL
);
CREATE TABLE trunk_dids (
  did TEXT PRIMARY KEY,
  trunk_id TEXT NOT NULL REFERENCES trunks(id) ON DELETE CASCADE,
  service_number TEXT NOT NULL
);
CREATE INDEX trunk_dids_trunk ON trunk_dids(trunk_id);
ALTER TABLE accounts ADD COLUMN dial_policy TEXT;
CREATE TABLE dial_attempts (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  account_id TEXT NOT NULL,
  room_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('room', 'click-to-call')),
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_role TEXT NOT NULL,
  via TEXT,
  destination TEXT NOT NULL,
  number_type TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('placed', 'refused')),
  reason TEXT,
  trunk_id TEXT,
  leg_id TEXT,
  outcome TEXT,
  answered_at TEXT,
  ended_at TEXT,
  duration_ms INTEGER
);
CREATE INDEX dial_attempts_account ON dial_attempts(account_id, at);
CREATE INDEX dial_attempts_destination ON dial_attempts(account_id, destination, at);
`,
};
