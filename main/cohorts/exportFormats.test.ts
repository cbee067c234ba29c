import { describe, expect, it } from 'vitest';
import { parseCsv } from '../platform/csv.js';
import { boxesFromLocalisations, cohortCoco, cohortCsv, type CohortExportRow } from './exportFormats.js';

describe('cohortCoco', () => {
  const row = (over: Partial<CohortExportRow>): CohortExportRow => ({
    instanceId: 1,
    studyId: 1,
    patientId: 'P',
    studyDate: null,
    sex: null,
    ageYears: null,
    viewPosition: 'PA',
    filePath: '/x.png',
    thumbnail: '/files/instances/1/thumbnail.png',
    width: 1024,
    height: 1024,
    referenceFindings: [],
    probabilities: {},
    thresholds: {},
    aiBoxes: {},
    readerBoxes: [],
    ...over,
  });

  it('writes AI boxes only for positive findings, and gives reference labels outside the pack their own category', () => {
    const doc = cohortCoco(
      [
        row({
          probabilities: { Mass: 0.9, Nodule: 0.2 },
          thresholds: { Mass: 0.5, Nodule: 0.5 },
          aiBoxes: { Mass: [{ x: 1, y: 2, w: 3, h: 4 }], Nodule: [{ x: 5, y: 5, w: 5, h: 5 }] },
          referenceFindings: [{ label: 'Fracture', box: { x: 0, y: 0, w: 10, h: 10 } }, { label: 'Mass', box: null }],
          readerBoxes: [{ label: 'Mass', box: { x: 7, y: 7, w: 2, h: 2 } }],
        }),
      ],
      ['Mass', 'Nodule'],
      { query: 'ai:Mass', pack: 'p@1', createdAt: '2025-01-01T00:00:00Z' },
    );
    expect(doc.categories.map((c) => c.name)).toEqual(['Mass', 'Nodule', 'Fracture']);
    expect(doc.annotations.map((a) => [a.source, a.category_id, a.bbox])).toEqual([
      ['ai-cam', 1, [1, 2, 3, 4]],
      ['reference', 3, [0, 0, 10, 10]],
      ['reader', 1, [7, 7, 2, 2]],
    ]);
    expect(doc.annotations[0]!.area).toBe(12);
    expect(doc.info.query).toBe('ai:Mass');
  });

  it('reads boxes per label from stored localisations (malformed rows are refused when read: db/jsonColumn.ts)', () => {
    expect(boxesFromLocalisations({ Mass: { boxes: [{ x: 1, y: 2, w: 3, h: 4 }] }, Edema: { boxes: [] } })).toEqual({
      Mass: [{ x: 1, y: 2, w: 3, h: 4 }],
      Edema: [],
    });
  });
});

describe('cohortCsv', () => {
  it('writes through the one CSV writer: quoting, and formulas neutralised even behind a leading carriage return', () => {
    const row: CohortExportRow = {
      instanceId: 1,
      studyId: 2,
      patientId: '\r=cmd|calc',
      studyDate: '2024-01-01',
      sex: 'F',
      ageYears: 61,
      viewPosition: 'PA',
      filePath: '/data/a, b.png',
      thumbnail: '/files/instances/1/thumbnail.png',
      width: 1024,
      height: 1024,
      referenceFindings: [{ label: 'Effusion', box: null }],
      probabilities: { Effusion: 0.8 },
      thresholds: { Effusion: 0.5 },
      aiBoxes: {},
      readerBoxes: [],
    };
    const [header, line] = parseCsv(cohortCsv([row], ['Effusion']));
    expect(header).toEqual(['instance_id', 'study_id', 'patient_id', 'study_date', 'sex', 'age', 'view', 'file_path', 'thumbnail', 'reference_labels', 'p_Effusion', 'ai_Effusion', 'ref_Effusion']);
    expect(line).toEqual(['1', '2', "'\r=cmd|calc", '2024-01-01', 'F', '61', 'PA', '/data/a, b.png', '/files/instances/1/thumbnail.png', 'Effusion', '0.8', '1', '1']);
  });
});
