import type { Migration } from '../migration.js';

/**
 * What a reader signed, frozen: the report's record of what the AI did (`reports.ai_use_json`, written by the same
 * UPDATE that makes the report final), and each image's analysis exactly as it was presented at signing, in every
 * UI language (`report_signed_analyses`). Later calibrations, packs or forced re-analyses change the live analysis
 * rows but never these, so a signed study shows and exports what was signed.
 *
 * The triggers make the snapshot part of the legal record: rows only for final reports, never updated or deleted
 * (final reports themselves are already immutable and undeletable, migration 0200), and the AI record only on a
 * report that is final.
 */
export const createReportSignedState: Migration = {
  version: 350,
  name: 'create-report-signed-state',
  up(db) {
    db.exec(`
      ALTER TABLE reports ADD COLUMN ai_use_json TEXT;

      CREATE TRIGGER reports_ai_use_only_final_insert BEFORE INSERT ON reports
      WHEN new.ai_use_json IS NOT NULL AND new.state IS NOT 'final'
      BEGIN
        SELECT RAISE(ABORT, 'the AI record of a report is frozen only when it is signed (final)');
      END;
      CREATE TRIGGER reports_ai_use_only_final_update BEFORE UPDATE OF ai_use_json ON reports
      WHEN new.ai_use_json IS NOT NULL AND new.state IS NOT 'final'
      BEGIN
        SELECT RAISE(ABORT, 'the AI record of a report is frozen only when it is signed (final)');
      END;

      CREATE TABLE report_signed_analyses (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        instance_id INTEGER NOT NULL,
        language TEXT NOT NULL,
        analysis_id INTEGER NOT NULL,
        -- The analysis as analysis:get answered it at signing (JSON of AnalysisResult).
        result_json TEXT NOT NULL,
        PRIMARY KEY (report_id, instance_id, language)
      ) STRICT;
      CREATE INDEX report_signed_analyses_instance ON report_signed_analyses (instance_id, language, report_id);

      CREATE TRIGGER report_signed_analyses_only_final BEFORE INSERT ON report_signed_analyses
      WHEN (SELECT state FROM reports WHERE id = new.report_id) IS NOT 'final'
      BEGIN
        SELECT RAISE(ABORT, 'signed analyses belong to signed (final) reports only');
      END;
      CREATE TRIGGER report_signed_analyses_no_update BEFORE UPDATE ON report_signed_analyses
      BEGIN
        SELECT RAISE(ABORT, 'what a signed report froze cannot be changed');
      END;
      CREATE TRIGGER report_signed_analyses_no_delete BEFORE DELETE ON report_signed_analyses
      BEGIN
        SELECT RAISE(ABORT, 'what a signed report froze cannot be deleted');
      END;
    `);
  },
};
