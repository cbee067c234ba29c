import { describe, expect, it } from 'vitest';
import { atVersionBefore, seedStudy, tables, version } from './migrationTestKit.js';

describe('0070 create-import-jobs', () => {
  it('adds import jobs whose items cascade', () => {
    const { db, migrateTo } = atVersionBefore(70);
    seedStudy(db);
    migrateTo();
    expect(version(db)).toBe(70);
    expect(tables(db)).toEqual(expect.arrayContaining(['import_jobs', 'import_job_items']));
    db.sqlite.prepare("INSERT INTO import_jobs (job_id, state, started_at, roots) VALUES ('j', 'running', 'x', '[]')").run();
    db.sqlite.prepare("INSERT INTO import_job_items (job_id, path, outcome, seq) VALUES ('j', '/a', 'imported', 1)").run();
    expect(() => db.sqlite.prepare("INSERT INTO import_job_items (job_id, path, outcome, seq) VALUES ('j', '/b', 'lost', 2)").run()).toThrow(/CHECK/);
    db.sqlite.prepare('DELETE FROM import_jobs').run();
    expect(db.sqlite.prepare('SELECT count(*) FROM import_job_items').pluck().get()).toBe(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM studies').pluck().get()).toBe(1);
  });
});
