import type { Migration } from '../migration.js';

/**
 * The audit log: who viewed, analysed, edited, signed or exported what, and when, with the model pack and threshold
 * versions in force. Append-only: triggers reject every UPDATE and DELETE, so not even the application can rewrite
 * history (an entry that was wrong is corrected by a later entry).
 */
export const createAuditLog: Migration = {
  version: 210,
  name: 'create-audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        study_id INTEGER,
        model_pack TEXT,
        model_version TEXT,
        threshold_version TEXT,
        detail_json TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_study ON audit_log (study_id, at);
      CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
      END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
      END;
    `);
  },
};
