import type { Migration } from './migrations.ts';

/**
 * Guest links: each room may have one secret guest token that shows its Live Call Status
 * read-only. Only the token's SHA-256 is kept (a stolen database opens no view); rotating
 * replaces the row, so the old link stops working at once.
 */
export const MIGRATION_6: Migration = {
  version: 6,
  name: 'guest links to Live Call Status',
  sql: `
CREATE TABLE guest_links (
  room_id TEXT PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
`,
};
