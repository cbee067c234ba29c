import { beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../api/envelope.js';
import { InstanceSchema, StudyDetailSchema } from '../api/studies.js';
import { openDatabase, type DbHandle } from './connection.js';
import { IndexRepository } from './indexRepository.js';
import { StudyRepository } from './studyRepository.js';
import { makeImageRecord } from './testFixtures.js';

let db: DbHandle;
let index: IndexRepository;
let studies: StudyRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  index = new IndexRepository(db);
  studies = new StudyRepository(db);
});

describe('StudyRepository', () => {
  it('returns a study with series and instances in number order, satisfying the contract', () => {
    const study = { studyInstanceUid: '7.7', referringPhysician: 'Dr Who' };
    const lateral = index.upsertImage(
      makeImageRecord('lat', { study, series: { seriesInstanceUid: '7.7.2', seriesNumber: 2, description: 'LAT' }, instance: { pixelSpacing: null, windowCenter: null, windowWidth: null } }),
    );
    const pa2 = index.upsertImage(makeImageRecord('pa2', { study, series: { seriesInstanceUid: '7.7.1', seriesNumber: 1 }, instance: { instanceNumber: 2 } }));
    const pa1 = index.upsertImage(
      makeImageRecord('pa1', {
        study,
        series: { seriesInstanceUid: '7.7.1', seriesNumber: 1 },
        instance: { instanceNumber: 1 },
        referenceFindings: [{ label: 'Nodule', source: 'bboxes.csv', box: { x: 1, y: 2, w: 3, h: 4 } }],
      }),
    );
    const detail = StudyDetailSchema.parse(studies.get(lateral.studyId));
    expect(detail.referringPhysician).toBe('Dr Who');
    expect(detail.birthDate).toBe('1970-01-01');
    expect(detail.series.map((s) => s.description)).toEqual(['PA', 'LAT']);
    expect(detail.series[0]!.instances.map((i) => i.id)).toEqual([pa1.instanceId, pa2.instanceId]);
    // The study's thumbnail is its first image's.
    expect(detail.thumbnail).toBe(`/files/instances/${pa1.instanceId}/thumbnail.png`);
    expect(detail.imageCount).toBe(3);

    const first = detail.series[0]!.instances[0]!;
    expect(first).toMatchObject({
      pixelSpacingMm: [0.139, 0.139],
      spacingSource: 'ImagerPixelSpacing',
      pixels: `/files/instances/${pa1.instanceId}/pixels`,
      referenceFindings: [{ label: 'Nodule', source: 'bboxes.csv', box: { x: 1, y: 2, w: 3, h: 4 } }],
    });
    const lat = InstanceSchema.parse(studies.getInstance(lateral.instanceId));
    expect(lat).toMatchObject({ pixelSpacingMm: null, spacingSource: null, windowCenter: null, referenceFindings: [] });
  });

  it('sets the read status', () => {
    const { studyId } = index.upsertImage(makeImageRecord(1));
    studies.setStatus(studyId, 'reported');
    expect(studies.get(studyId).status).toBe('reported');
  });

  it('throws not_found for unknown ids', () => {
    for (const call of [() => studies.get(42), () => studies.getInstance(42), () => studies.setStatus(42, 'final')]) {
      try {
        call();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(CoreError);
        expect((err as CoreError).code).toBe('not_found');
        expect((err as CoreError).message).toContain('42');
      }
    }
  });
});
