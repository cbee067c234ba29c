import type { Migration } from '../migration.js';

/**
 * Studies, keyed by StudyInstanceUID. They carry what the worklist shows and filters on (patient name and ID,
 * read status, AI summary, image count, modalities) so that a page of a 100,000-study list is answered from this
 * table and its indexes alone. The copies of the patient's name and ID are kept in step by a trigger.
 */
export const createStudies: Migration = {
  version: 20,
  name: 'create-studies',
  up(db) {
    db.exec(`
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        study_instance_uid TEXT NOT NULL UNIQUE,
        patient_row_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        patient_name TEXT NOT NULL DEFAULT '',
        patient_id TEXT NOT NULL DEFAULT '',
        date TEXT,
        time TEXT,
        description TEXT NOT NULL DEFAULT '',
        accession_number TEXT NOT NULL DEFAULT '',
        referring_physician TEXT NOT NULL DEFAULT '',
        institution TEXT NOT NULL DEFAULT '',
        age_years REAL,
        status TEXT NOT NULL DEFAULT 'unread' CHECK (status IN ('unread', 'in_progress', 'reported', 'final')),
        ai_status TEXT NOT NULL DEFAULT 'none' CHECK (ai_status IN ('none', 'queued', 'done', 'failed')),
        max_probability REAL,
        image_count INTEGER NOT NULL DEFAULT 0,
        -- Distinct modalities of the study's series, sorted, comma-separated (display only; filtering uses series).
        modalities TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE INDEX studies_patient ON studies (patient_row_id);
      -- One index per worklist sort; the rowid (= id, the tie-breaker) is the implicit last key of each.
      CREATE INDEX studies_date ON studies (date);
      CREATE INDEX studies_patient_name ON studies (patient_name COLLATE NOCASE);
      CREATE INDEX studies_patient_id ON studies (patient_id);
      CREATE INDEX studies_imported_at ON studies (imported_at);
      CREATE INDEX studies_max_probability ON studies (max_probability);
      CREATE INDEX studies_max_probability_nulls_last ON studies (max_probability IS NULL, max_probability);
      CREATE INDEX studies_status_date ON studies (status, date);
      CREATE INDEX studies_ai_status_date ON studies (ai_status, date);

      CREATE TRIGGER patients_copy_to_studies AFTER UPDATE OF name, patient_id ON patients
      WHEN old.name IS NOT new.name OR old.patient_id IS NOT new.patient_id
      BEGIN
        UPDATE studies SET patient_name = new.name, patient_id = new.patient_id WHERE patient_row_id = new.id;
      END;
    `);
  },
};
