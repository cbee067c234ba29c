import type { Migration } from '../migration.js';

/**
 * Full-text index of the worklist's searchable text, one row per study (rowid = studies.id): patient name and ID,
 * accession number, study description, the study's series descriptions, institution. `remove_diacritics 2` lets
 * "muller" find "Müller"; the prefix indexes make the search box's prefix queries cheap.
 *
 * Triggers keep it in step with studies and series, so no writer can forget to. Every trigger rebuilds the whole
 * row of one study (delete, then insert from the current rows): simple, and a study has few series.
 */
export const createWorklistFts: Migration = {
  version: 90,
  name: 'create-worklist-fts',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE study_fts USING fts5(
        patient_name, patient_id, accession_number, study_description, series_description, institution,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3'
      );

      CREATE TRIGGER studies_fts_insert AFTER INSERT ON studies
      BEGIN ${refreshStudy('new.id')} END;

      CREATE TRIGGER studies_fts_update
      AFTER UPDATE OF patient_name, patient_id, accession_number, description, institution ON studies
      WHEN old.patient_name IS NOT new.patient_name OR old.patient_id IS NOT new.patient_id
        OR old.accession_number IS NOT new.accession_number OR old.description IS NOT new.description
        OR old.institution IS NOT new.institution
      BEGIN ${refreshStudy('new.id')} END;

      CREATE TRIGGER studies_fts_delete AFTER DELETE ON studies
      BEGIN DELETE FROM study_fts WHERE rowid = old.id; END;

      CREATE TRIGGER series_fts_insert AFTER INSERT ON series
      BEGIN ${refreshStudy('new.study_id')} END;

      CREATE TRIGGER series_fts_update AFTER UPDATE OF description, study_id ON series
      WHEN old.description IS NOT new.description OR old.study_id IS NOT new.study_id
      BEGIN ${refreshStudy('old.study_id')} ${refreshStudy('new.study_id')} END;

      CREATE TRIGGER series_fts_delete AFTER DELETE ON series
      BEGIN ${refreshStudy('old.study_id')} END;

      ${refreshAll()}
    `);
  },
};

const SELECT_ROW = `
  SELECT s.id, s.patient_name, s.patient_id, s.accession_number, s.description,
    coalesce((SELECT group_concat(se.description, ' ') FROM series se WHERE se.study_id = s.id), ''), s.institution
  FROM studies s`;

/**
 * SQL statements that rebuild the index row of the study whose id is the trigger expression `studyIdExpr`
 * (`new.id`, `old.study_id`: code constants, never values). A study already deleted gets no row back.
 */
function refreshStudy(studyIdExpr: string): string {
  return `
    DELETE FROM study_fts WHERE rowid = ${studyIdExpr};
    INSERT INTO study_fts (rowid, patient_name, patient_id, accession_number, study_description, series_description, institution)
    ${SELECT_ROW} WHERE s.id = ${studyIdExpr};`;
}

function refreshAll(): string {
  return `
    INSERT INTO study_fts (rowid, patient_name, patient_id, accession_number, study_description, series_description, institution)
    ${SELECT_ROW};`;
}
