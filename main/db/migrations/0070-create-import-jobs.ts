import type { Migration } from '../migration.js';

/**
 * Import jobs and what happened to each file, so a report survives a restart and a job left running by a crash
 * can be resumed (files already recorded are not redone).
 */
export const createImportJobs: Migration = {
  version: 70,
  name: 'create-import-jobs',
  up(db) {
    db.exec(`
      CREATE TABLE import_jobs (
        job_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        -- JSON array of the paths the import was asked for.
        roots TEXT NOT NULL
      ) STRICT;

      CREATE INDEX import_jobs_started ON import_jobs (started_at);

      CREATE TABLE import_job_items (
        job_id TEXT NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'updated', 'skipped', 'failed')),
        reason TEXT,
        seq INTEGER NOT NULL,
        PRIMARY KEY (job_id, path)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX import_job_items_outcome ON import_job_items (job_id, outcome, seq);
      -- recordItem numbers items with max(seq) + 1: without this index that is a scan of the job per file.
      CREATE INDEX import_job_items_seq ON import_job_items (job_id, seq);
    `);
  },
};
