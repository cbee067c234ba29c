import type { Migration } from '../migration.js';

/**
 * A reader's explicit override of the quality/view gate for one analysis: who, when, why. It applies to the analysis
 * as it was when overridden (`analysed_at` = analyses.created_at then): an analysis redone in place is gated again.
 * Deleting the analysis deletes the override; the audit log keeps the record.
 */
export const createQualityOverrides: Migration = {
  version: 360,
  name: 'create-quality-overrides',
  up(db) {
    db.exec(`
      CREATE TABLE quality_overrides (
        analysis_id INTEGER PRIMARY KEY REFERENCES analyses(id) ON DELETE CASCADE,
        analysed_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
