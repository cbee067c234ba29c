import { describe, expect, it } from 'vitest';
import { atVersionBefore, version } from './migrationTestKit.js';

describe('0400 create-job-leases', () => {
  it('adds one lease row per job, keeping the import jobs already stored', () => {
    const { db, migrateTo } = atVersionBefore(400);
    db.sqlite.prepare("INSERT INTO import_jobs (job_id, state, started_at, finished_at, roots) VALUES ('j1', 'running', 'x', NULL, '[]')").run();
    migrateTo();
    expect(version(db)).toBe(400);
    const insert = db.sqlite.prepare(
      "INSERT INTO job_leases (job_id, kind, owner_pid, owner_host, owner_token, acquired_at, expires_at) VALUES ('j1', 'import', ?, 'h', 't', 'a', 'b')",
    );
    insert.run(1234);
    expect(() => insert.run(5678)).toThrow(/UNIQUE/);
    expect(() => insert.run('not a pid')).toThrow(/INTEGER/i);
    expect(db.sqlite.prepare('SELECT state FROM import_jobs').pluck().get()).toBe('running');
  });
});
