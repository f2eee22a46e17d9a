import type { Migration } from './migrations.ts';

/**
 * Issue 10, names and the record: what a back-end look-up found for a leg's number (and
 * which source), each account's contact list (one row per E.164 number), and billing
 * (matter) codes of rooms and of each conference (copied from the room when it starts), and
 * whether an account keeps spoken-name clips with the history (by default they go when the
 * conference ends); the durable outbox of post-conference emails and a host's opt-out.
 */
export const MIGRATION_5: Migration = {
  version: 5,
  name: 'looked-up leg names, contact lists, billing codes, name clips, conference emails',
  sql: `
ALTER TABLE legs ADD COLUMN looked_up_name TEXT;
ALTER TABLE legs ADD COLUMN looked_up_source TEXT CHECK (looked_up_source IN ('user', 'contact', 'directory'));

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  name TEXT NOT NULL,
  company TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (account_id, number)
);
CREATE INDEX contacts_account_name ON contacts(account_id, name, id);

ALTER TABLE rooms ADD COLUMN billing_code TEXT;
ALTER TABLE conferences ADD COLUMN billing_code TEXT;
CREATE INDEX conferences_started ON conferences(started_at, id);

ALTER TABLE accounts ADD COLUMN keep_name_clips INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN require_billing_code INTEGER NOT NULL DEFAULT 0;

-- Null: the role's default (hosts get the email, delegates do not unless they opt in).
ALTER TABLE users ADD COLUMN conference_emails INTEGER;
CREATE TABLE email_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conference_id TEXT NOT NULL,
  recipient_user_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (conference_id, recipient_user_id)
);
CREATE INDEX email_outbox_due ON email_outbox(next_attempt_at) WHERE sent_at IS NULL;
`,
};
