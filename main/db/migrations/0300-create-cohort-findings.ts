import type { Migration } from '../migration.js';

/**
 * Per-label AI probabilities, one row per analysis and label, so cohort queries ("Effusion>0.6") compare numbers
 * with an index instead of decoding the float32 blobs of `analyses` row by row. It is derived data: the cohort
 * repository fills it from `analyses` (`cohort_findings_sync` records which analysis version it copied, so an
 * analysis redone in place is copied again), and deleting an analysis or its image deletes its rows.
 */
export const createCohortFindings: Migration = {
  version: 300,
  name: 'create-cohort-findings',
  up(db) {
    db.exec(`
      CREATE TABLE cohort_findings (
        analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        instance_id INTEGER NOT NULL,
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        probability REAL NOT NULL,
        PRIMARY KEY (analysis_id, label)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX cohort_findings_pack_label ON cohort_findings (pack_id, pack_version, label, probability, instance_id);
      CREATE INDEX cohort_findings_instance ON cohort_findings (instance_id, pack_id, pack_version);

      CREATE TABLE cohort_findings_sync (
        analysis_id INTEGER PRIMARY KEY REFERENCES analyses(id) ON DELETE CASCADE,
        -- analyses.created_at of the version copied; a newer one means the analysis was redone.
        analysed_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
