import type { Migration } from '../migration.js';

/**
 * Which process runs a resumable job right now (main/platform/jobLease.ts): one row per job while it runs, naming the
 * owner (pid, host, a token drawn once per process) and when the lease lapses unless the owner's heartbeat renews it.
 * A second process that finds a live row refuses the job instead of running it twice.
 */
export const createJobLeases: Migration = {
  version: 400,
  name: 'create-job-leases',
  up(db) {
    db.exec(`
      CREATE TABLE job_leases (
        job_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_host TEXT NOT NULL,
        owner_token TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
