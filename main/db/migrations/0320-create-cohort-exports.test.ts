import { describe, expect, it } from 'vitest';
import { CohortRepository } from '../cohortRepository.js';
import { TEST_PACK } from '../searchTestSeed.js';
import { atVersionBefore, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0320 create-cohort-exports', () => {
  it('adds cohort_exports with a format check, keeping earlier data', () => {
    const { db, migrateTo } = atVersionBefore(320);
    seedInstance(db, seedStudy(db), 'k1');
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(320);
    expect(db.sqlite.prepare('SELECT count(*) FROM instances').pluck().get()).toBe(1);
    const cohorts = new CohortRepository(db, () => new Date('2025-02-03T04:05:06Z'));
    const id = cohorts.recordExport({ query: 'Effusion', pack: TEST_PACK, format: 'csv', path: 'exports/cohorts/a.csv', rowCount: 2 });
    expect(cohorts.exportPath(id)).toBe('exports/cohorts/a.csv');
    expect(() =>
      db.sqlite.prepare("INSERT INTO cohort_exports (query, format, path, row_count, created_at) VALUES ('q', 'xml', 'p', 0, 'x')").run(),
    ).toThrow(/CHECK/);
  });
});
