import { beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../api/envelope.js';
import { openDatabase, type DbHandle } from './connection.js';
import { IndexRepository } from './indexRepository.js';
import { UNCHANGED_REASON } from './records.js';
import { SearchRepository } from './searchRepository.js';
import { StudyRepository } from './studyRepository.js';
import { makeImageRecord } from './testFixtures.js';

let db: DbHandle;
let index: IndexRepository;
let studies: StudyRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  index = new IndexRepository(db, () => new Date('2025-01-02T03:04:05.000Z'));
  studies = new StudyRepository(db);
});

const count = (table: string) => db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

describe('IndexRepository.upsertImage', () => {
  it('imports a new image with its patient, study, series and reference findings', () => {
    const rec = makeImageRecord(1, {
      referenceFindings: [
        { label: 'Nodule', source: 'bboxes.csv', box: { x: 10, y: 20, w: 30, h: 40 } },
        { label: 'Effusion', source: 'labels.csv', box: null },
      ],
    });
    const out = index.upsertImage(rec);
    expect(out.outcome).toBe('imported');
    const study = studies.get(out.studyId);
    expect(study).toMatchObject({
      studyInstanceUid: rec.study.studyInstanceUid,
      patientName: 'Doe, Jane 1',
      imageCount: 1,
      modalities: ['CR'],
      importedAt: '2025-01-02T03:04:05.000Z',
    });
    expect(study.series[0]!.instances[0]!.referenceFindings).toEqual([
      { label: 'Nodule', source: 'bboxes.csv', box: { x: 10, y: 20, w: 30, h: 40 } },
      { label: 'Effusion', source: 'labels.csv', box: null },
    ]);
    expect(db.sqlite.prepare('SELECT label FROM study_labels ORDER BY label').pluck().all()).toEqual(['Effusion', 'Nodule']);
  });

  it('skips a file already indexed with the same content, writing nothing', () => {
    const first = index.upsertImage(makeImageRecord(1));
    const changesBefore = db.sqlite.prepare('SELECT total_changes()').pluck().get();
    const again = index.upsertImage(makeImageRecord(1));
    expect(again).toEqual({ outcome: 'skipped', reason: UNCHANGED_REASON, instanceId: first.instanceId, studyId: first.studyId });
    expect(db.sqlite.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
  });

  it('updates a changed file in place: same row id, fields and reference findings replaced', () => {
    const first = index.upsertImage(makeImageRecord(1, { referenceFindings: [{ label: 'Nodule', source: 'labels.csv', box: null }] }));
    const changed = makeImageRecord(1, {
      instance: { contentHash: 'hash-new', rows: 1024, windowCenter: 40 },
      study: { description: 'CHEST AP' },
      referenceFindings: [{ label: 'Mass', source: 'labels.csv', box: null }],
    });
    const out = index.upsertImage(changed);
    expect(out).toEqual({ outcome: 'updated', instanceId: first.instanceId, studyId: first.studyId });
    const instance = studies.getInstance(first.instanceId);
    expect(instance).toMatchObject({ contentHash: 'hash-new', rows: 1024, windowCenter: 40 });
    expect(instance.referenceFindings.map((f) => f.label)).toEqual(['Mass']);
    expect(studies.get(first.studyId).description).toBe('CHEST AP');
    expect(db.sqlite.prepare('SELECT label FROM study_labels').pluck().all()).toEqual(['Mass']);
    expect(count('instances')).toBe(1);
  });

  it('moves a changed file whose UIDs changed, removing the emptied study', () => {
    const first = index.upsertImage(makeImageRecord(1));
    const moved = makeImageRecord(2, { instance: { filePath: '/data/images/1.dcm', contentHash: 'other' } });
    const out = index.upsertImage(moved);
    expect(out.outcome).toBe('updated');
    expect(out.instanceId).toBe(first.instanceId);
    expect(out.studyId).not.toBe(first.studyId);
    expect(() => studies.get(first.studyId)).toThrow(CoreError);
    expect(count('studies')).toBe(1);
    expect(count('series')).toBe(1);
    expect(studies.get(out.studyId).imageCount).toBe(1);
  });

  it('skips a second file carrying a SOP Instance UID already indexed, naming the first path', () => {
    const first = index.upsertImage(makeImageRecord(1));
    const copy = makeImageRecord(1, { instance: { filePath: '/backup/copy.dcm', contentHash: 'x' } });
    const out = index.upsertImage(copy);
    expect(out.outcome).toBe('skipped');
    expect(out.instanceId).toBe(first.instanceId);
    expect(out.outcome === 'skipped' && out.reason).toContain('/data/images/1.dcm');
    expect(index.findByPath('/backup/copy.dcm')).toBeNull();
  });

  it('groups images into one study and keeps image count and modalities current', () => {
    const shared = { patient: { patientId: 'P' }, study: { studyInstanceUid: '9.9' } };
    index.upsertImage(makeImageRecord(1, shared));
    index.upsertImage(makeImageRecord(2, { ...shared, series: { seriesInstanceUid: '9.9.2', modality: 'DX', seriesNumber: 2 } }));
    const out = index.upsertImage(makeImageRecord(3, { ...shared, series: { seriesInstanceUid: '1.2.826.0.1.1.1' } }));
    expect(out.outcome).toBe('imported');
    const detail = studies.get(out.studyId);
    expect(detail.imageCount).toBe(3);
    expect(detail.modalities).toEqual(['CR', 'DX']);
    expect(detail.series.map((s) => s.instances.length)).toEqual([2, 1]);
    expect(count('patients')).toBe(1);
    expect(count('studies')).toBe(1);
  });

  it('does not let an image without patient details erase those another image gave', () => {
    index.upsertImage(makeImageRecord(1, { patient: { patientId: 'P', name: 'Smith, Ann', birthDate: '1950-05-05' } }));
    const out = index.upsertImage(makeImageRecord(2, { patient: { patientId: 'P', name: '', sex: null, birthDate: null }, study: { studyInstanceUid: '1.2.826.0.1.1', description: '' } }));
    const detail = studies.get(out.studyId);
    expect(detail).toMatchObject({ patientName: 'Smith, Ann', birthDate: '1950-05-05', sex: 'F', description: 'CHEST PA' });
  });

  it('never joins studies without a Patient ID: each is a patient of its own, with no other study as its prior', () => {
    const anon = (key: number, study: string) => makeImageRecord(key, { patient: { patientId: '', name: '' }, study: { studyInstanceUid: study } });
    const a = index.upsertImage(anon(1, '5.1'));
    const b = index.upsertImage(anon(2, '5.2'));
    index.upsertImage(anon(3, '5.1')); // a second image of the first study stays with it
    expect(count('patients')).toBe(2);
    expect(studies.get(a.studyId).patientRowId).not.toBe(studies.get(b.studyId).patientRowId);
    expect(studies.get(a.studyId)).toMatchObject({ patientId: '', imageCount: 2 });
    const search = new SearchRepository(db);
    expect(search.patientStudies(a.studyId)!.studies.map((s) => s.studyId)).toEqual([a.studyId]);
    expect(search.patientStudies(b.studyId)!.studies.map((s) => s.studyId)).toEqual([b.studyId]);
    expect(search.samePatientIds(a.instanceId)).not.toContain(b.instanceId);
  });

  it('keeps what an ID first said of its patient and shows a differing name, sex or birth date as a conflict, not a merge', () => {
    const first = index.upsertImage(makeImageRecord(1, { patient: { patientId: 'P', name: 'Smith, Ann', sex: 'F', birthDate: '1950-05-05' } }));
    // The same person written another way is not a conflict.
    index.upsertImage(makeImageRecord(2, { patient: { patientId: 'P', name: 'SMITH^ANN', sex: 'F', birthDate: '1950-05-05' }, study: { studyInstanceUid: '7.2' } }));
    const other = index.upsertImage(
      makeImageRecord(3, { patient: { patientId: 'P', name: 'Jones, Bob', sex: 'M', birthDate: '1961-01-01' }, study: { studyInstanceUid: '7.3' } }),
    );
    expect(studies.get(other.studyId)).toMatchObject({ patientName: 'Smith, Ann', sex: 'F', birthDate: '1950-05-05' });
    const conflicts = studies.get(first.studyId).identityConflicts;
    expect(conflicts).toEqual([
      { field: 'name', stored: 'Smith, Ann', incoming: 'Jones, Bob', studyId: other.studyId, sourcePath: expect.stringContaining('3') },
      { field: 'sex', stored: 'F', incoming: 'M', studyId: other.studyId, sourcePath: expect.any(String) },
      { field: 'birthDate', stored: '1950-05-05', incoming: '1961-01-01', studyId: other.studyId, sourcePath: expect.any(String) },
    ]);
    expect(studies.get(other.studyId).identityConflicts).toEqual(conflicts);
    // The same disagreement imported again is recorded once; a study under another issuer is another patient.
    index.upsertImage(makeImageRecord(4, { patient: { patientId: 'P', name: 'Jones, Bob', sex: 'M', birthDate: '1961-01-01' }, study: { studyInstanceUid: '7.3' } }));
    expect(studies.get(first.studyId).identityConflicts).toHaveLength(3);
    const elsewhere = index.upsertImage(makeImageRecord(5, { patient: { patientId: 'P', issuer: 'HOSP2', name: 'Jones, Bob' }, study: { studyInstanceUid: '7.5' } }));
    expect(studies.get(elsewhere.studyId)).toMatchObject({ patientName: 'Jones, Bob', identityConflicts: [] });
  });

  it('keeps one transaction per image: a failing write leaves nothing half-stored', () => {
    const bad = makeImageRecord(1, { instance: { format: 'tiff' as 'png' } });
    expect(() => index.upsertImage(bad)).toThrow(/CHECK/);
    expect(count('patients')).toBe(0);
    expect(count('studies')).toBe(0);
    expect(count('study_fts')).toBe(0);
  });
});

describe('IndexRepository lookups', () => {
  it('finds files by path and instances by study', () => {
    const a = index.upsertImage(makeImageRecord(1, { instance: { fileSize: 123, fileMtimeMs: 456.5 } }));
    const b = index.upsertImage(makeImageRecord(2, { study: { studyInstanceUid: '1.2.826.0.1.1' }, instance: { format: 'png' } }));
    const c = index.upsertImage(makeImageRecord(3));
    expect(index.findByPath('/data/images/1.dcm')).toEqual({ instanceId: a.instanceId, contentHash: 'hash-1', fileSize: 123, fileMtimeMs: 456.5 });
    expect(index.findByPath('/nowhere')).toBeNull();
    expect(index.listInstanceIds()).toEqual([a.instanceId, b.instanceId, c.instanceId]);
    expect(index.listInstanceIds({ studyId: a.studyId })).toEqual([a.instanceId, b.instanceId]);
    expect(index.studyOfInstance(c.instanceId)).toBe(c.studyId);
    expect(index.studyOfInstance(999)).toBeNull();
    expect(index.instanceFile(b.instanceId)).toEqual({ filePath: '/data/images/2.dcm', format: 'png', thumbnailPath: 'thumbnails/2.png', contentHash: 'hash-2' });
    expect(index.instanceFile(999)).toBeNull();
  });

  it('sets the AI summary of a study and replaces its AI labels only', () => {
    const out = index.upsertImage(makeImageRecord(1, { referenceFindings: [{ label: 'Nodule', source: 'labels.csv', box: null }] }));
    index.setStudyAiSummary(out.studyId, { aiStatus: 'done', maxProbability: 0.8, positiveLabels: ['Cardiomegaly', 'Effusion'] });
    index.setStudyAiSummary(out.studyId, { aiStatus: 'done', maxProbability: 0.7, positiveLabels: ['Effusion'] });
    const labels = db.sqlite.prepare('SELECT label, source FROM study_labels ORDER BY label').all();
    expect(labels).toEqual([
      { label: 'Effusion', source: 'ai' },
      { label: 'Nodule', source: 'reference' },
    ]);
    expect(studies.get(out.studyId)).toMatchObject({ aiStatus: 'done', maxProbability: 0.7 });
    expect(() => index.setStudyAiSummary(999, { aiStatus: 'done', maxProbability: null, positiveLabels: [] })).toThrow(/no study with id 999/);
  });
});

describe('IndexRepository.optimize', () => {
  it('merges the full-text index and keeps search results', () => {
    for (let i = 0; i < 30; i++) index.upsertImage(makeImageRecord(i, { patient: { name: `Ünal, Kerem ${i}` } }));
    const segments = () => db.sqlite.prepare('SELECT count(*) FROM study_fts_data').pluck().get() as number;
    const before = segments();
    index.optimize();
    expect(segments()).toBeLessThan(before);
    expect(db.sqlite.prepare(`SELECT count(*) FROM study_fts WHERE study_fts MATCH '"unal"*'`).pluck().get()).toBe(30);
  });
});
