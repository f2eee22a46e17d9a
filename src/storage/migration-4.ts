import type { Migration } from './migrations.ts';

/**
 * Issue 13: webhooks and their durable outbox. A webhook belongs to an account; its secret is
 * kept encrypted (AES-256-GCM under a key derived from the server secret), since it must be
 * read to sign. Every event a webhook subscribes to becomes one outbox row, written in the
 * same tick the event is published; rows are delivered in `id` order per webhook and
 * `ordering_key` (the conference, or `room:<id>` for a room's lockouts). Outbox times are
 * epoch milliseconds: they are range-queried.
 */
export const MIGRATION_4: Migration = {
  version: 4,
  name: 'webhooks and the webhook outbox',
  sql: `
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  description TEXT,
  events TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  secret_box TEXT NOT NULL,
  secret_hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhooks_account ON webhooks(account_id, created_at);
CREATE TABLE webhook_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  ordering_key TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  delivered_at INTEGER
);
CREATE INDEX webhook_outbox_heads ON webhook_outbox(webhook_id, ordering_key, id) WHERE status = 'pending';
CREATE INDEX webhook_outbox_hook ON webhook_outbox(webhook_id, id);
CREATE INDEX webhook_outbox_done ON webhook_outbox(status, created_at) WHERE status <> 'pending';
`,
};
