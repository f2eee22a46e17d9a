import type { Migration } from './migrations.ts';

/** Migration 7: an account may have every conference recorded from its start (off by default). */
export const MIGRATION_7: Migration = {
  version: 7,
  name: 'account setting: record every conference',
  sql: 'ALTER TABLE accounts ADD COLUMN record_all_conferences INTEGER NOT NULL DEFAULT 0;',
};
