import type { Migration } from '../migration.js';

/** Series, keyed by SeriesInstanceUID. The (modality, study_id) index answers the worklist's modality filter. */
export const createSeries: Migration = {
  version: 30,
  name: 'create-series',
  up(db) {
    db.exec(`
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        series_instance_uid TEXT NOT NULL UNIQUE,
        modality TEXT NOT NULL DEFAULT '',
        series_number INTEGER,
        description TEXT NOT NULL DEFAULT '',
        body_part TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE INDEX series_study ON series (study_id, modality);
      CREATE INDEX series_modality_study ON series (modality, study_id);
    `);
  },
};
