import { describe, expect, it } from 'vitest';
import { CohortRepository } from '../cohortRepository.js';
import { seedAnalysis } from '../searchTestSeed.js';
import { atVersionBefore, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0300 create-cohort-findings', () => {
  it('adds cohort_findings, whose rows go with their analysis', () => {
    const { db, migrateTo } = atVersionBefore(300);
    const instanceId = seedInstance(db, seedStudy(db), 'k1');
    const analysisId = seedAnalysis(db, instanceId, [0.1, 0.2, 0.9], [1, 0]);
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(300);
    const repo = new CohortRepository(db);
    expect(repo.syncFindings()).toBe(1);
    expect(db.sqlite.prepare('SELECT label, probability FROM cohort_findings ORDER BY label').all()).toEqual([
      { label: 'Atelectasis', probability: expect.closeTo(0.1, 6) },
      { label: 'Cardiomegaly', probability: expect.closeTo(0.2, 6) },
      { label: 'Effusion', probability: expect.closeTo(0.9, 6) },
    ]);
    db.sqlite.prepare('DELETE FROM analyses WHERE id = ?').run(analysisId);
    expect(db.sqlite.prepare('SELECT count(*) FROM cohort_findings').pluck().get()).toBe(0);
    expect(db.sqlite.prepare('SELECT count(*) FROM cohort_findings_sync').pluck().get()).toBe(0);
  });
});
