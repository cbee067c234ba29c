import { beforeEach, describe, expect, it } from 'vitest';
import { ImportReportSchema } from '../api/imports.js';
import { openDatabase, type DbHandle } from './connection.js';
import { ImportJobRepository, REPORT_LIST_LIMIT } from './importJobRepository.js';
import { UNCHANGED_REASON } from './records.js';

let db: DbHandle;
let jobs: ImportJobRepository;
let now = 0;
beforeEach(() => {
  db = openDatabase(':memory:');
  now = Date.UTC(2025, 0, 1);
  jobs = new ImportJobRepository(db, () => new Date((now += 1000)));
});

describe('ImportJobRepository', () => {
  it('records outcomes and reports counts and reasons in order', () => {
    jobs.create('j1', ['/data', '/more.zip']);
    jobs.recordItem('j1', '/data/a.dcm', 'imported');
    jobs.recordItem('j1', '/data/b.dcm', 'skipped', UNCHANGED_REASON);
    jobs.recordItem('j1', '/data/DICOMDIR', 'skipped', 'a DICOMDIR, not an image');
    jobs.recordItem('j1', '/data/c.dcm', 'failed', 'truncated pixel data');
    jobs.recordItem('j1', '/data/d.dcm', 'updated');
    const running = ImportReportSchema.parse(jobs.report('j1'));
    expect(running).toMatchObject({ state: 'running', finishedAt: null, roots: ['/data', '/more.zip'], imported: 1, updated: 1, skipped: 2 });
    expect(running.skippedReasons).toEqual([{ path: '/data/DICOMDIR', reason: 'a DICOMDIR, not an image' }]);
    expect(running.failed).toEqual([{ path: '/data/c.dcm', reason: 'truncated pixel data' }]);
    jobs.finish('j1', 'done');
    expect(jobs.report('j1')).toMatchObject({ state: 'done', finishedAt: '2025-01-01T00:00:02.000Z' });
  });

  it('keeps the latest outcome when a path is recorded again (a resumed job)', () => {
    jobs.create('j', ['/d']);
    jobs.recordItem('j', '/d/a', 'failed', 'locked');
    jobs.recordItem('j', '/d/a', 'imported');
    expect(jobs.report('j')).toMatchObject({ imported: 1, failed: [] });
    expect([...jobs.recordedPaths('j')]).toEqual(['/d/a']);
  });

  it('lists reports newest first and finds unfinished jobs for resuming', () => {
    jobs.create('old', ['/a']);
    jobs.create('crashed', ['/b']);
    jobs.create('new', ['/c']);
    jobs.finish('old', 'done');
    jobs.finish('new', 'cancelled');
    expect(jobs.list(10).map((r) => r.jobId)).toEqual(['new', 'crashed', 'old']);
    expect(jobs.list(1).map((r) => r.jobId)).toEqual(['new']);
    expect(jobs.unfinished()).toEqual([{ jobId: 'crashed', roots: ['/b'] }]);
    jobs.create('crashed', ['/b']);
    jobs.finish('crashed', 'done');
    expect(jobs.unfinished()).toEqual([]);
  });

  it('caps the listed reasons but keeps exact counts', () => {
    jobs.create('big', ['/x']);
    db.transaction(() => {
      for (let i = 0; i < REPORT_LIST_LIMIT + 5; i++) jobs.recordItem('big', `/x/${i}`, 'failed', 'bad');
    });
    const report = jobs.report('big');
    expect(report.failed).toHaveLength(REPORT_LIST_LIMIT);
    expect(report.failed[0]!.path).toBe('/x/0');
    expect(db.sqlite.prepare("SELECT count(*) FROM import_job_items WHERE outcome = 'failed'").pluck().get()).toBe(REPORT_LIST_LIMIT + 5);
  });

  it('throws not_found for an unknown job', () => {
    expect(() => jobs.report('nope')).toThrow(/no import job with id nope/);
    expect(() => jobs.finish('nope', 'done')).toThrow(/no import job/);
  });

  it('lists imported files recorded with a note as warnings, apart from the failures', () => {
    jobs.create('w', ['/d']);
    jobs.recordItem('w', '/d/a.dcm', 'imported', 'Instance Number (0020,0013) 99999999999999999999 is out of range: stored as absent');
    jobs.recordItem('w', '/d/b.dcm', 'imported');
    jobs.recordItem('w', '/d/c.dcm', 'failed', 'truncated');
    const report = ImportReportSchema.parse(jobs.report('w'));
    expect(report).toMatchObject({ imported: 2, failedCount: 1 });
    expect(report.warnings).toEqual([{ path: '/d/a.dcm', reason: expect.stringMatching(/out of range/) }]);
  });

  it('notes an attempt before a file is read and clears it with the outcome; what is left names the interrupted files', () => {
    jobs.create('a', ['/d']);
    expect(jobs.beginAttempt('a', '/d/x.dcm')).toBe(1);
    expect(jobs.beginAttempt('a', '/d/y.dcm')).toBe(1);
    jobs.recordItem('a', '/d/x.dcm', 'imported');
    expect([...jobs.interruptedAttempts('a')]).toEqual([['/d/y.dcm', 1]]);
    // The process died while reading y; the resumed job tries it again and dies again.
    expect(jobs.beginAttempt('a', '/d/y.dcm')).toBe(2);
    expect([...jobs.interruptedAttempts('a')]).toEqual([['/d/y.dcm', 2]]);
    jobs.recordItem('a', '/d/y.dcm', 'failed', 'stopped twice');
    expect(jobs.interruptedAttempts('a').size).toBe(0);
  });
});
