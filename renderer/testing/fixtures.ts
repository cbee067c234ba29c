import type { Job, StudySummary } from '../../main/api/index.js';

/** A worklist row with plausible values; override what a test is about. */
export function study(over: Partial<StudySummary> & { id: number }): StudySummary {
  return {
    studyInstanceUid: `1.2.3.${over.id}`,
    patientRowId: over.id,
    patientId: `P${over.id}`,
    patientName: `Patient ${over.id}`,
    sex: 'F',
    ageYears: 50,
    date: '2024-01-0' + ((over.id % 9) + 1),
    description: 'Chest PA',
    accessionNumber: '',
    modalities: ['CR'],
    institution: '',
    status: 'unread',
    aiStatus: 'none',
    maxProbability: null,
    topFinding: null,
    calledCount: 0,
    triageScore: null,
    imageCount: 1,
    thumbnail: null,
    importedAt: '2024-01-01T00:00:00Z',
    ...over,
  };
}

export function job(over: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    kind: 'import',
    state: 'running',
    done: 0,
    total: 0,
    failed: 0,
    rate: 0,
    etaSeconds: null,
    startedAt: '2024-01-01T00:00:00Z',
    finishedAt: null,
    message: null,
    ...over,
  };
}
