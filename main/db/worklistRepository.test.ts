import { beforeAll, describe, expect, it } from 'vitest';
import { WorklistPageSchema, WorklistQuerySchema, type WorklistQuery } from '../api/studies.js';
import { openDatabase, type DbHandle } from './connection.js';
import { IndexRepository } from './indexRepository.js';
import { StudyRepository } from './studyRepository.js';
import { makeImageRecord } from './testFixtures.js';
import { WorklistRepository, type WorklistPlan } from './worklistRepository.js';

let db: DbHandle;
let worklist: WorklistRepository;
const plans: WorklistPlan[] = ['auto', 'walk', 'walkProbingText', 'collect'];
const ids: Record<string, number> = {};

/** Five studies with distinct names, dates, modalities, statuses and AI results; `ids` maps a short key to each. */
beforeAll(() => {
  db = openDatabase(':memory:');
  let tick = 0;
  const index = new IndexRepository(db, () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)));
  const add = (key: string, o: Parameters<typeof makeImageRecord>[1]) => {
    ids[key] = index.upsertImage(makeImageRecord(key, o)).studyId;
  };
  add('muller', {
    patient: { name: 'Müller, Jörg', patientId: 'PID-1001', sex: 'M' },
    study: { date: '2024-01-15', accessionNumber: 'ACC-2024-0001', institution: 'Klinikum Nord' },
    referenceFindings: [{ label: 'Effusion', source: 'labels.csv', box: null }],
  });
  add('smith', {
    patient: { name: 'Smith, Anna', patientId: 'PID-2002' },
    study: { date: '2024-03-10', description: 'CHEST 2 VIEWS', institution: 'General Hospital' },
    series: { modality: 'DX', description: 'Lateral' },
  });
  add('smithers', {
    patient: { name: 'Smithers, Waylon', patientId: 'PID-3003', sex: 'M' },
    study: { date: '2023-11-30' },
    // Also called by the AI below: a study with a label from both sources is counted once.
    referenceFindings: [{ label: 'Effusion', source: 'labels.csv', box: null }],
  });
  add('zoe', { patient: { name: 'zoë Ångström', patientId: 'PID-4004' }, study: { date: null } });
  add('brown', { patient: { name: 'Brown, Bob', patientId: 'PID-0500' }, study: { date: '2024-06-01' }, series: { modality: 'DX' } });
  index.setStudyAiSummary(ids.smith!, {
    aiStatus: 'done',
    maxProbability: 0.91,
    positiveLabels: ['Cardiomegaly'],
    triage: { topFinding: 'Cardiomegaly', calledCount: 1, triageScore: 1.6 },
  });
  index.setStudyAiSummary(ids.brown!, { aiStatus: 'done', maxProbability: 0.12, positiveLabels: [], triage: { topFinding: null, calledCount: 0, triageScore: 0.2 } });
  index.setStudyAiSummary(ids.muller!, { aiStatus: 'failed', maxProbability: null, positiveLabels: [] });
  // Lower probability than Smith's but called further above its operating point would rank first; here it is below.
  index.setStudyAiSummary(ids.smithers!, {
    aiStatus: 'done',
    maxProbability: 0.55,
    positiveLabels: ['effusion'],
    triage: { topFinding: 'effusion', calledCount: 1, triageScore: 1.1 },
  });
  const studies = new StudyRepository(db);
  studies.setStatus(ids.zoe!, 'final');
  studies.setStatus(ids.smithers!, 'in_progress');
});

/** Runs a query as the contract would (defaults applied), checks the output against the schema, returns keys. */
function keys(q: WorklistQuery): string[] {
  const page = WorklistPageSchema.parse(worklist.query(WorklistQuerySchema.parse(q)));
  const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  return page.items.map((s) => byId.get(s.id)!);
}
const total = (q: WorklistQuery) => worklist.query(WorklistQuerySchema.parse(q)).total;

describe.each(plans)('WorklistRepository with plan %s', (plan) => {
  beforeAll(() => {
    worklist = new WorklistRepository(db, plan);
  });

  describe('text search', () => {
    it('matches word prefixes of names, case-insensitively', () => {
      expect(keys({ text: 'smi' })).toEqual(['smith', 'smithers']);
      expect(keys({ text: 'SMITHE' })).toEqual(['smithers']);
      expect(keys({ text: 'anna smith' })).toEqual(['smith']);
    });

    it('ignores diacritics on either side', () => {
      expect(keys({ text: 'muller' })).toEqual(['muller']);
      expect(keys({ text: 'Müll' })).toEqual(['muller']);
      expect(keys({ text: 'jorg' })).toEqual(['muller']);
      expect(keys({ text: 'angstrom' })).toEqual(['zoe']);
      expect(keys({ text: 'zoe' })).toEqual(['zoe']);
      // The same name typed in decomposed form (u + combining diaeresis).
      expect(keys({ text: 'Mu\u0308ller' })).toEqual(['muller']);
    });

    it('searches patient ID, accession, study and series description, institution', () => {
      expect(keys({ text: 'PID-2002' })).toEqual(['smith']);
      expect(keys({ text: 'ACC-2024' })).toEqual(['muller']);
      expect(keys({ text: '2 views' })).toEqual(['smith']);
      expect(keys({ text: 'lateral' })).toEqual(['smith']);
      expect(keys({ text: 'klinikum' })).toEqual(['muller']);
    });

    it('finds a study by any part of its patient ID or accession of three characters or more', () => {
      expect(keys({ text: '002' })).toEqual(['smith']);
      expect(keys({ text: '24-00' })).toEqual(['muller']);
      expect(keys({ text: 'id-30' })).toEqual(['smithers']);
      expect(total({ text: '02' })).toBe(0);
      expect(keys({ text: 'pid-20' })).toEqual(['smith', 'muller']); // words: PID 2002, and ACC-2024
      expect(keys({ text: '500', sort: { field: 'name', dir: 'asc' } })).toEqual(['brown']);
    });

    it('treats FTS syntax typed by the user as plain words', () => {
      expect(keys({ text: 'smith OR brown' })).toEqual([]);
      expect(keys({ text: '"smith' })).toEqual(['smith', 'smithers']);
      expect(keys({ text: 'NEAR(smith*' })).toEqual([]);
      expect(total({ text: ' -*: ' })).toBe(5);
    });
  });

  describe('filters', () => {
    it('filters by date range (inclusive), undated studies excluded', () => {
      expect(keys({ dateFrom: '2024-01-15', dateTo: '2024-03-10' })).toEqual(['smith', 'muller']);
      expect(keys({ dateFrom: '2024-03-11' })).toEqual(['brown']);
      expect(keys({ dateTo: '2023-12-31' })).toEqual(['smithers']);
    });

    it('filters by modality, case-insensitively', () => {
      expect(keys({ modality: 'DX' })).toEqual(['brown', 'smith']);
      expect(keys({ modality: 'cr', dateFrom: '2024-01-01' })).toEqual(['muller']);
    });

    it('filters by AI presence', () => {
      expect(keys({ hasAi: true })).toEqual(['brown', 'smith', 'smithers']);
      expect(keys({ hasAi: false })).toEqual(['muller', 'zoe']);
    });

    it('filters by finding from AI or reference labels, case-insensitively', () => {
      expect(keys({ finding: 'Effusion' })).toEqual(['muller', 'smithers']);
      expect(total({ finding: 'effusion' })).toBe(2);
      expect(keys({ finding: 'cardiomegaly' })).toEqual(['smith']);
      expect(keys({ finding: 'Pneumothorax' })).toEqual([]);
    });

    it('filters by read status', () => {
      expect(keys({ status: 'final' })).toEqual(['zoe']);
      expect(keys({ status: 'unread' })).toEqual(['brown', 'smith', 'muller']);
    });

    it('combines filters with AND', () => {
      expect(keys({ text: 'smi', hasAi: true, finding: 'effusion' })).toEqual(['smithers']);
      expect(keys({ modality: 'DX', hasAi: true, dateFrom: '2024-04-01' })).toEqual(['brown']);
    });
  });

  describe('sorting and pagination', () => {
    it('sorts by date, newest first by default, undated last', () => {
      expect(keys({})).toEqual(['brown', 'smith', 'muller', 'smithers', 'zoe']);
      expect(keys({ sort: { field: 'date', dir: 'asc' } })).toEqual(['zoe', 'smithers', 'muller', 'smith', 'brown']);
    });

    it('sorts by triage (called findings above their operating points first), unanalysed last either way', () => {
      expect(keys({ sort: { field: 'triage', dir: 'desc' } })).toEqual(['smith', 'smithers', 'brown', 'zoe', 'muller']);
      expect(keys({ sort: { field: 'triage', dir: 'asc' } })).toEqual(['brown', 'smithers', 'smith', 'muller', 'zoe']);
      expect(keys({ sort: { field: 'triage', dir: 'desc' }, status: 'unread' })).toEqual(['smith', 'brown', 'muller']);
      const smith = worklist.query(WorklistQuerySchema.parse({ text: 'smith anna' })).items[0]!;
      expect(smith).toMatchObject({ topFinding: 'Cardiomegaly', calledCount: 1, triageScore: 1.6 });
    });

    it('sorts by name case-insensitively', () => {
      expect(keys({ sort: { field: 'name', dir: 'asc' } })).toEqual(['brown', 'muller', 'smith', 'smithers', 'zoe']);
      expect(keys({ sort: { field: 'name', dir: 'desc' } })).toEqual(['zoe', 'smithers', 'smith', 'muller', 'brown']);
    });

    it('sorts by patient ID', () => {
      expect(keys({ sort: { field: 'patientId', dir: 'asc' } })).toEqual(['brown', 'muller', 'smith', 'smithers', 'zoe']);
      expect(keys({ sort: { field: 'patientId', dir: 'desc' } })).toEqual(['zoe', 'smithers', 'smith', 'muller', 'brown']);
    });

    it('sorts by import time', () => {
      expect(keys({ sort: { field: 'imported', dir: 'asc' } })).toEqual(['muller', 'smith', 'smithers', 'zoe', 'brown']);
      expect(keys({ sort: { field: 'imported', dir: 'desc' } })).toEqual(['brown', 'zoe', 'smithers', 'smith', 'muller']);
    });

    it('sorts by abnormality with unanalysed studies last in both directions', () => {
      expect(keys({ sort: { field: 'abnormality', dir: 'desc' } })).toEqual(['smith', 'smithers', 'brown', 'zoe', 'muller']);
      expect(keys({ sort: { field: 'abnormality', dir: 'asc' } })).toEqual(['brown', 'smithers', 'smith', 'muller', 'zoe']);
    });

    it('pages with offset and limit, reporting the full total', () => {
      const all = keys({ sort: { field: 'name', dir: 'asc' } });
      const pages = [0, 2, 4].flatMap((offset) => keys({ sort: { field: 'name', dir: 'asc' }, offset, limit: 2 }));
      expect(pages).toEqual(all);
      const page = worklist.query(WorklistQuerySchema.parse({ offset: 2, limit: 2 }));
      expect(page).toMatchObject({ total: 5, offset: 2 });
      expect(page.items).toHaveLength(2);
      expect(worklist.query(WorklistQuerySchema.parse({ offset: 10 }))).toEqual({ total: 5, offset: 10, items: [] });
    });

    it('answers study summaries with thumbnail, modalities and AI fields', () => {
      const page = WorklistPageSchema.parse(worklist.query(WorklistQuerySchema.parse({ text: 'anna' })));
      const s = page.items[0]!;
      const instanceId = db.sqlite
        .prepare('SELECT i.id FROM instances i JOIN series se ON se.id = i.series_id WHERE se.study_id = ?')
        .pluck()
        .get(s.id);
      expect(s).toMatchObject({
        patientName: 'Smith, Anna',
        patientId: 'PID-2002',
        sex: 'F',
        modalities: ['DX'],
        aiStatus: 'done',
        maxProbability: 0.91,
        imageCount: 1,
        status: 'unread',
        thumbnail: `/files/instances/${instanceId}/thumbnail.png`,
      });
    });
  });
});
