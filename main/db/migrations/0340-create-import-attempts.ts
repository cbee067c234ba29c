import type { Migration } from '../migration.js';

/**
 * Files an import has handed to a reader and not yet recorded. A row outlives a process that died while reading the
 * file (a reader that exhausted memory takes the whole process down with it), so a resume can tell the file that
 * stopped it from the files that finished: it is tried once more, alone, and after a second stop it is recorded as
 * failed instead of being retried on every resume.
 */
export const createImportAttempts: Migration = {
  version: 340,
  name: 'create-import-attempts',
  up(db) {
    db.exec(`
      CREATE TABLE import_job_attempts (
        job_id TEXT NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        -- How many times a reader was started on this file without its outcome being recorded.
        attempts INTEGER NOT NULL CHECK (attempts > 0),
        PRIMARY KEY (job_id, path)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
