import type { Migration } from './migrations.ts';

/**
 * Migration 7: account recording settings — every conference recorded from its start, and a
 * periodic reminder tone while recording where a jurisdiction requires one (both off).
 */
export const MIGRATION_7: Migration = {
  version: 7,
  name: 'account recording settings: record every conference, reminder tone',
  sql: `
ALTER TABLE accounts ADD COLUMN record_all_conferences INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN recording_reminder_seconds INTEGER CHECK (recording_reminder_seconds IS NULL OR recording_reminder_seconds >= 10);
`,
};
