import type { Migration } from './migrations.ts';

/**
 * Migration 9 (issue 11, privacy in operation):
 * - `billing_aggregates`: a conference's billed minutes, kept anonymously (no number, name or
 *   billing code) once retention has deleted its legs, so invoices of old months still add up;
 * - `data_requests`: every data-subject request (find, export, correct, erase), who asked and
 *   why, and what it did (counts). The subject is kept as a keyed hash and a hint (last
 *   three digits), never in clear, so the register does not undo an erasure;
 * - `accounts.erasure_keeps_recordings`: the account's rule for a person's own recordings on
 *   erasure (deleted by default, or kept under a documented legal hold);
 * - indexes to find a person's rows by number (legs, PIN attempts) without scanning.
 */
export const MIGRATION_9: Migration = {
  version: 9,
  name: 'privacy: anonymous billing aggregates, data-subject requests, look-up by number',
  sql: `
CREATE TABLE billing_aggregates (
  conference_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  room_id TEXT NOT NULL,
  host_user_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  legs INTEGER NOT NULL,
  minutes_in INTEGER NOT NULL,
  minutes_out INTEGER NOT NULL,
  aggregated_at TEXT NOT NULL
);
CREATE INDEX billing_aggregates_account ON billing_aggregates(account_id, started_at, conference_id);
CREATE TABLE data_requests (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  account_id TEXT,
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('find', 'export', 'correct', 'erase')),
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('number', 'user')),
  subject_hash TEXT NOT NULL,
  subject_hint TEXT NOT NULL,
  reason TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX data_requests_account ON data_requests(account_id, at, id);
-- On erasure, a person's own recordings are deleted, unless the account keeps them under a legal hold.
ALTER TABLE accounts ADD COLUMN erasure_keeps_recordings INTEGER NOT NULL DEFAULT 0;
CREATE INDEX legs_cli_number ON legs(cli_number) WHERE cli_number IS NOT NULL;
CREATE INDEX pin_attempts_cli ON pin_attempts(cli) WHERE cli IS NOT NULL;
`,
};
