import type { Migration } from '../migration.js';

/**
 * Finding labels per study, from the AI (positive calls) or from reference findings: the worklist's `finding`
 * filter looks a label up here by index instead of scanning images. Labels compare case-insensitively.
 * Reference labels already stored are copied in.
 */
export const createStudyLabels: Migration = {
  version: 60,
  name: 'create-study-labels',
  up(db) {
    db.exec(`
      CREATE TABLE study_labels (
        label TEXT NOT NULL COLLATE NOCASE,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('ai', 'reference')),
        PRIMARY KEY (label, study_id, source)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX study_labels_study ON study_labels (study_id, source);

      INSERT OR IGNORE INTO study_labels (label, study_id, source)
      SELECT DISTINCT rf.label, se.study_id, 'reference'
      FROM reference_findings rf
      JOIN instances i ON i.id = rf.instance_id
      JOIN series se ON se.id = i.series_id;
    `);
  },
};
