import type { Migration } from '../migration.js';

/**
 * Site calibrations: per-label operating thresholds derived from a labelled set for one pack version, with how
 * they were chosen (method, sensitivity target, the set, per-label sensitivity/specificity/AUC). The newest row
 * for a pack version is the one in force; older ones stay as the record of what was used before.
 */
export const createCalibrations: Migration = {
  version: 110,
  name: 'create-calibrations',
  up(db) {
    db.exec(`
      CREATE TABLE calibrations (
        id INTEGER PRIMARY KEY,
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('youden', 'sensitivity')),
        target_sensitivity REAL,
        -- Where the labelled set came from (label file, split, image folder).
        source TEXT NOT NULL,
        image_count INTEGER NOT NULL,
        -- JSON array: per label threshold (null when it could not be set), sensitivity, specificity, AUC, counts.
        labels TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE INDEX calibrations_pack ON calibrations (pack_id, pack_version, id);
    `);
  },
};
