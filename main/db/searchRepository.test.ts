import { describe, expect, it } from 'vitest';
import { buildCohortSql } from '../cohorts/cohortSql.js';
import { parseCohortQuery } from '../cohorts/queryLanguage.js';
import { CohortRepository } from './cohortRepository.js';
import { openDatabase } from './connection.js';
import { SearchRepository } from './searchRepository.js';
import { seedAnalysis, seedImage, TEST_LABELS, TEST_PACK } from './searchTestSeed.js';

describe('SearchRepository', () => {
  function seeded() {
    const db = openDatabase(':memory:');
    const a = seedImage(db, 'a', { patient: { patientId: 'P1', sex: 'F' }, study: { date: '2020-01-01', ageYears: 61 } });
    const a2 = seedImage(db, 'a2', { patient: { patientId: 'P1', sex: 'F' }, study: { studyInstanceUid: '9.9', date: '2021-06-01', ageYears: 62 } });
    const b = seedImage(db, 'b', {
      patient: { patientId: 'P2', sex: 'M' },
      study: { date: '2019-05-05', ageYears: 40 },
      referenceFindings: [{ label: 'Effusion', source: 'labels.csv', box: { x: 1, y: 2, w: 3, h: 4 } }],
    });
    const c = seedImage(db, 'c', { patient: { patientId: 'P3', sex: 'F' }, study: { date: '2022-01-01', ageYears: 75 } });
    seedAnalysis(db, a.instanceId, [0.1, 0.2, 0.8], [1, 0, 0]);
    seedAnalysis(db, a2.instanceId, [0.1, 0.3, 0.2], [0.9, 0.1, 0]);
    seedAnalysis(db, b.instanceId, [0.7, 0.1, 0.3], [0, 1, 0]);
    seedAnalysis(db, c.instanceId, [0.1, 0.9, 0.1], null);
    return { db, a, a2, b, c };
  }

  it('loads the embeddings of a pack version as one matrix, and its fingerprint moves when one is redone', () => {
    const { db, a, a2, b } = seeded();
    const repo = new SearchRepository(db);
    const m = repo.loadEmbeddings(TEST_PACK);
    expect(m.dim).toBe(3);
    expect([...m.ids]).toEqual([a.instanceId, a2.instanceId, b.instanceId]);
    expect([...m.matrix.subarray(3, 6)].map((v) => +v.toFixed(3))).toEqual([0.9, 0.1, 0]);
    expect(repo.loadEmbeddings({ packId: 'other', packVersion: '1' }).ids.length).toBe(0);
    const before = repo.fingerprint(TEST_PACK);
    seedAnalysis(db, b.instanceId, [0.7, 0.1, 0.3], [0, 0, 1], { createdAt: '2025-06-01T00:00:00.000Z' });
    expect(repo.fingerprint(TEST_PACK)).not.toBe(before);
    expect([...repo.embeddingOf(b.instanceId, TEST_PACK)!]).toEqual([0, 0, 1]);
    expect(repo.newestPack()).toEqual(TEST_PACK);
    expect(repo.storedLabels(TEST_PACK)).toEqual(TEST_LABELS);
  });

  it('turns filters into allowed image sets, and finds the same patient’s images', () => {
    const { db, a, a2, b, c } = seeded();
    const repo = new SearchRepository(db);
    new CohortRepository(db).syncFindings();
    expect(repo.candidateIds({})).toBeNull();
    expect(repo.candidateIds({ sex: 'F' })).toEqual(new Set([a.instanceId, a2.instanceId, c.instanceId]));
    expect(repo.candidateIds({ dateFrom: '2020-01-01', dateTo: '2021-12-31' })).toEqual(new Set([a.instanceId, a2.instanceId]));
    expect(repo.candidateIds({ ageMin: 60, ageMax: 62 })).toEqual(new Set([a.instanceId]));
    // Effusion: positive by the AI for a (0.8 ≥ 0.5), by reference for b (AI 0.3 is below).
    const finding = { label: 'Effusion', thresholds: { Effusion: 0.5 }, pack: TEST_PACK };
    expect(repo.candidateIds({ finding })).toEqual(new Set([a.instanceId, b.instanceId]));
    expect(repo.candidateIds({ finding: { ...finding, thresholds: { Effusion: 0.9 } } })).toEqual(new Set([b.instanceId]));
    expect(repo.samePatientIds(a.instanceId)).toEqual(new Set([a.instanceId, a2.instanceId]));
    expect(repo.patientStudies(a.studyId)!.studies.map((s) => s.date)).toEqual(['2020-01-01', '2021-06-01']);
  });

  it('gives the details a neighbour shows: study, demographics, references, analysis, report', () => {
    const { db, b, c } = seeded();
    const repo = new SearchRepository(db);
    const d = repo.details([b.instanceId, c.instanceId, 9999], TEST_PACK);
    expect(d.size).toBe(2);
    const db_ = d.get(b.instanceId)!;
    expect(db_).toMatchObject({ studyId: b.studyId, patientId: 'P2', sex: 'M', ageYears: 40, studyDate: '2019-05-05', viewPosition: 'PA' });
    expect(db_.referenceFindings).toEqual([{ label: 'Effusion', box: { x: 1, y: 2, w: 3, h: 4 } }]);
    expect(db_.analysis!.labels).toEqual(TEST_LABELS);
    expect(db_.analysis!.probabilities[0]).toBeCloseTo(0.7, 6);
    {
      expect(db_.reportText).toBeNull();
      db.sqlite
        .prepare(
          `INSERT INTO reports (study_id, study_instance_uid, template_id, language, title, state, sections_json, fields_json,
             ai_findings_json, key_images_json, body_text, author, created_at, updated_at)
           VALUES (?, 'u', 't', 'en', 'CXR', 'draft', '[]', '{}', '[]', '[]', 'Small left effusion.', 'dr', 'x', 'x')`,
        )
        .run(b.studyId);
      expect(repo.details([b.instanceId], TEST_PACK).get(b.instanceId)!.reportText).toBe('Small left effusion.');
    }
  });
});

describe('CohortRepository with the query language', () => {
  it('answers parsed queries with bound parameters, and re-syncs analyses redone in place', () => {
    const db = openDatabase(':memory:');
    const a = seedImage(db, 'a', { patient: { sex: 'F' }, study: { date: '2021-01-01', ageYears: 70 }, referenceFindings: [{ label: 'Cardiomegaly', source: 's', box: null }] });
    const b = seedImage(db, 'b', { patient: { sex: 'F' }, study: { date: '2019-01-01', ageYears: 65 } });
    const c = seedImage(db, 'c', { patient: { sex: 'M' }, study: { date: '2022-01-01', ageYears: 30 } });
    seedAnalysis(db, a.instanceId, [0.1, 0.7, 0.9], null);
    seedAnalysis(db, b.instanceId, [0.1, 0.2, 0.65], null);
    seedAnalysis(db, c.instanceId, [0.1, 0.2, 0.95], null);
    const repo = new CohortRepository(db);
    expect(repo.syncFindings()).toBe(3);
    expect(repo.syncFindings()).toBe(0);
    const run = (q: string, thresholds: Record<string, number> = {}) => {
      const built = buildCohortSql(parseCohortQuery(q, { labels: TEST_LABELS }), {
        findings: repo.findingsSource(TEST_PACK, thresholds),
      });
      return repo.query(built, { offset: 0, limit: 50 });
    };
    expect(run('Effusion>0.6 AND sex=F AND age>=60 AND ref:Cardiomegaly AND date>=2020-01-01')).toEqual({ total: 1, ids: [a.instanceId] });
    expect(run('Effusion>0.6')).toEqual({ total: 3, ids: [c.instanceId, a.instanceId, b.instanceId] });
    expect(run('ai:Cardiomegaly', { Cardiomegaly: 0.75 }).total).toBe(0);
    expect(run('ai:Cardiomegaly', { Cardiomegaly: 0.5 }).ids).toEqual([a.instanceId]);
    // No validated operating point for the label: never called (no 0.5 default).
    expect(run('ai:Cardiomegaly').total).toBe(0);
    expect(run('ref:normal AND NOT sex=M').ids).toEqual([b.instanceId]);
    expect(run("sex=F OR patient=\"x' OR 1=1 --\"").total).toBe(2);
    seedAnalysis(db, b.instanceId, [0.1, 0.2, 0.1], null, { createdAt: '2026-01-01T00:00:00.000Z' });
    expect(repo.syncFindings()).toBe(1);
    expect(run('Effusion>0.6').total).toBe(2);
    expect(() => buildCohortSql(parseCohortQuery('Effusion', { labels: TEST_LABELS }), { findings: null })).toThrow(
      /need analyses by the active model pack/,
    );
  });
});
