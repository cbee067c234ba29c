import type { Migration } from '../migration.js';

/**
 * Part of an ID finds its study: "99999" finds patient ID "00099999", "2024-0001" an accession "ACC-2024-0001".
 * The worklist's word index only matches word prefixes, so patient IDs and accession numbers also go into a
 * trigram index (any substring of three characters or more, case-insensitive), kept in step by triggers.
 */
export const createStudyIdSearch: Migration = {
  version: 380,
  name: 'create-study-id-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE study_id_trigram USING fts5(patient_id, accession_number, tokenize = 'trigram');

      CREATE TRIGGER studies_id_trigram_insert AFTER INSERT ON studies
      BEGIN
        INSERT INTO study_id_trigram (rowid, patient_id, accession_number) VALUES (new.id, new.patient_id, new.accession_number);
      END;

      CREATE TRIGGER studies_id_trigram_update AFTER UPDATE OF patient_id, accession_number ON studies
      WHEN old.patient_id IS NOT new.patient_id OR old.accession_number IS NOT new.accession_number
      BEGIN
        DELETE FROM study_id_trigram WHERE rowid = old.id;
        INSERT INTO study_id_trigram (rowid, patient_id, accession_number) VALUES (new.id, new.patient_id, new.accession_number);
      END;

      CREATE TRIGGER studies_id_trigram_delete AFTER DELETE ON studies
      BEGIN
        DELETE FROM study_id_trigram WHERE rowid = old.id;
      END;

      INSERT INTO study_id_trigram (rowid, patient_id, accession_number) SELECT id, patient_id, accession_number FROM studies;
    `);
  },
};
