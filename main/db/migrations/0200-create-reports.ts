import type { Migration } from '../migration.js';

/**
 * Reports, their addenda and a full-text index over both.
 *
 * A signed (final) report is a legal record: the triggers refuse any UPDATE or DELETE of a final report, refuse
 * moving a report backwards (final → anything, preliminary → draft), and keep addenda append-only and only on final
 * reports. The repository checks the same rules first to answer with clear messages; the triggers make sure no other
 * code path (or a hand-edited database) can break them.
 *
 * No foreign key to studies: the report keeps its own snapshot of the study (UID, patient, dates) so that a signed
 * report outlives the index row it was written from (a re-import may rebuild the index).
 */
export const createReports: Migration = {
  version: 200,
  name: 'create-reports',
  up(db) {
    db.exec(`
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL,
        study_instance_uid TEXT NOT NULL,
        template_id TEXT NOT NULL,
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'preliminary', 'final')),
        -- JSON: sections [{name,title,text,aiDerived}], fields {name: value}, AI findings snapshot, key images.
        sections_json TEXT NOT NULL,
        fields_json TEXT NOT NULL,
        ai_findings_json TEXT NOT NULL,
        key_images_json TEXT NOT NULL,
        -- The sections as plain text, what the full-text index holds.
        body_text TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        signed_by TEXT,
        signed_at TEXT,
        CHECK ((state = 'final') = (signed_by IS NOT NULL AND signed_at IS NOT NULL))
      ) STRICT;
      CREATE INDEX reports_study ON reports (study_id, updated_at);
      CREATE INDEX reports_updated ON reports (updated_at);

      CREATE TABLE report_addenda (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX report_addenda_report ON report_addenda (report_id, id);

      CREATE TRIGGER reports_final_immutable BEFORE UPDATE ON reports
      WHEN old.state = 'final'
      BEGIN
        SELECT RAISE(ABORT, 'report is final (signed) and cannot be changed; add an addendum instead');
      END;
      CREATE TRIGGER reports_state_forward BEFORE UPDATE OF state ON reports
      WHEN old.state = 'preliminary' AND new.state = 'draft'
      BEGIN
        SELECT RAISE(ABORT, 'a preliminary report cannot go back to draft');
      END;
      CREATE TRIGGER reports_final_undeletable BEFORE DELETE ON reports
      WHEN old.state = 'final'
      BEGIN
        SELECT RAISE(ABORT, 'report is final (signed) and cannot be deleted');
      END;
      CREATE TRIGGER report_addenda_only_final BEFORE INSERT ON report_addenda
      WHEN (SELECT state FROM reports WHERE id = new.report_id) IS NOT 'final'
      BEGIN
        SELECT RAISE(ABORT, 'addenda are only added to final reports');
      END;
      CREATE TRIGGER report_addenda_no_update BEFORE UPDATE ON report_addenda
      BEGIN
        SELECT RAISE(ABORT, 'report addenda are append-only');
      END;
      CREATE TRIGGER report_addenda_no_delete BEFORE DELETE ON report_addenda
      BEGIN
        SELECT RAISE(ABORT, 'report addenda are append-only');
      END;

      -- Full text: rowid = report id; body follows the report, addenda are appended as they come.
      CREATE VIRTUAL TABLE reports_fts USING fts5 (body, addenda, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports
      BEGIN
        INSERT INTO reports_fts (rowid, body, addenda) VALUES (new.id, new.body_text, '');
      END;
      CREATE TRIGGER reports_fts_update AFTER UPDATE OF body_text ON reports
      BEGIN
        UPDATE reports_fts SET body = new.body_text WHERE rowid = new.id;
      END;
      CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports
      BEGIN
        DELETE FROM reports_fts WHERE rowid = old.id;
      END;
      CREATE TRIGGER report_addenda_fts AFTER INSERT ON report_addenda
      BEGIN
        UPDATE reports_fts SET addenda = addenda || ' ' || new.text WHERE rowid = new.report_id;
      END;
    `);
  },
};
