import type { Migration } from '../migration.js';

/** Cohort exports written under the data directory: what was asked (canonical query, pack), where, and how many rows. */
export const createCohortExports: Migration = {
  version: 320,
  name: 'create-cohort-exports',
  up(db) {
    db.exec(`
      CREATE TABLE cohort_exports (
        id INTEGER PRIMARY KEY,
        query TEXT NOT NULL,
        pack_id TEXT,
        pack_version TEXT,
        format TEXT NOT NULL CHECK (format IN ('csv', 'coco')),
        -- Path relative to the data directory.
        path TEXT NOT NULL,
        row_count INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX cohort_exports_created ON cohort_exports (created_at);
    `);
  },
};
