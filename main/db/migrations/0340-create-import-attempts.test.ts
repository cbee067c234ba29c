import { describe, expect, it } from 'vitest';
import { atVersionBefore, tables, version } from './migrationTestKit.js';

describe('0340 create-import-attempts', () => {
  it('keeps existing jobs and their items, and adds per-file attempts that cascade with their job', () => {
    const { db, migrateTo } = atVersionBefore(340);
    db.sqlite.prepare("INSERT INTO import_jobs (job_id, state, started_at, roots) VALUES ('j', 'running', 'x', '[\"/in\"]')").run();
    db.sqlite.prepare("INSERT INTO import_job_items (job_id, path, outcome, seq) VALUES ('j', '/in/a.dcm', 'imported', 1)").run();
    migrateTo();
    expect(version(db)).toBe(340);
    expect(tables(db)).toContain('import_job_attempts');
    expect(db.sqlite.prepare('SELECT count(*) FROM import_job_items').pluck().get()).toBe(1);
    db.sqlite.prepare("INSERT INTO import_job_attempts (job_id, path, attempts) VALUES ('j', '/in/b.dcm', 1)").run();
    expect(() => db.sqlite.prepare("INSERT INTO import_job_attempts (job_id, path, attempts) VALUES ('j', '/in/c.dcm', 0)").run()).toThrow(/CHECK/);
    expect(() => db.sqlite.prepare("INSERT INTO import_job_attempts (job_id, path, attempts) VALUES ('nope', '/x', 1)").run()).toThrow(/FOREIGN KEY/);
    db.sqlite.prepare("DELETE FROM import_jobs WHERE job_id = 'j'").run();
    expect(db.sqlite.prepare('SELECT count(*) FROM import_job_attempts').pluck().get()).toBe(0);
  });
});
