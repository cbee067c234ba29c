import { describe, expect, it } from 'vitest';
import { QualityOverrideRepository, shownAnalysisSql } from '../qualityOverrideRepository.js';
import { atVersionBefore, insertAnalysis, seedInstance, seedStudy } from './migrationTestKit.js';

describe('0360 create-quality-overrides', () => {
  it('adds quality_overrides: one per analysis version, with a reason, gone with its analysis; earlier data kept', () => {
    const { db, migrateTo } = atVersionBefore(360);
    const study = seedStudy(db);
    const instance = seedInstance(db, study, 'a');
    const analysis = insertAnalysis(db, instance);
    db.sqlite.prepare('UPDATE analyses SET quality_ok = 0 WHERE id = ?').run(analysis);
    migrateTo();
    expect(db.sqlite.pragma('user_version', { simple: true })).toBe(360);
    expect(db.sqlite.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(1);
    const shown = () => db.sqlite.prepare(`SELECT count(*) FROM analyses a WHERE ${shownAnalysisSql('a')}`).pluck().get();
    expect(shown()).toBe(0);

    const overrides = new QualityOverrideRepository(db, () => new Date('2025-03-04T05:06:07Z'));
    expect(overrides.record(analysis, 'dr.a', 'lateral tag is wrong: this is a PA film')).toBe(true);
    expect(overrides.record(999, 'dr.a', 'x')).toBe(false);
    expect(overrides.get(analysis)).toEqual({ analysisId: analysis, actor: 'dr.a', reason: 'lateral tag is wrong: this is a PA film', at: '2025-03-04T05:06:07.000Z' });
    expect(shown()).toBe(1);
    expect(() => db.sqlite.prepare("INSERT OR REPLACE INTO quality_overrides VALUES (?, 'x', 'a', '  ', 'x')").run(analysis)).toThrow(/CHECK/);

    // Redone in place (a forced re-analysis): gated again until overridden again.
    db.sqlite.prepare("UPDATE analyses SET created_at = '2030-01-01T00:00:00Z' WHERE id = ?").run(analysis);
    expect(overrides.get(analysis)).toBeNull();
    expect(shown()).toBe(0);

    db.sqlite.prepare('DELETE FROM analyses WHERE id = ?').run(analysis);
    expect(db.sqlite.prepare('SELECT count(*) FROM quality_overrides').pluck().get()).toBe(0);
  });
});
