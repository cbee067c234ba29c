import { describe, expect, it } from 'vitest';
import { cFindKeys, dateRange, displayName, fromCFindMatch, fromQidoMatch, qidoParams } from './findQuery.js';
import { isMatchablePatientId, samePatientOnly } from './priors.js';
import type { RemoteStudy } from '../api/network.js';

describe('study queries', () => {
  it('encodes dates as DICOM ranges and names as prefix matches unless wildcards are given', () => {
    expect(dateRange('2024-01-02', '2024-02-03')).toBe('20240102-20240203');
    expect(dateRange('2024-01-02')).toBe('20240102-');
    expect(dateRange(undefined, '2024-02-03')).toBe('-20240203');
    expect(dateRange()).toBe('');
    const q = { node: 'pacs', patientName: 'Smith, J', modality: 'cr', limit: 10 };
    expect(cFindKeys(q)).toEqual({ PatientName: 'Smith^J*', ModalitiesInStudy: 'CR' });
    expect(cFindKeys({ ...q, patientName: 'SM?TH*' })).toMatchObject({ PatientName: 'SM?TH*' });
    expect(qidoParams({ node: 'p', patientId: '42', limit: 10 })).toEqual({ PatientID: '42', limit: '11', includefield: 'StudyDescription' });
  });

  it('reads C-FIND and QIDO-RS matches into one shape', () => {
    const c = fromCFindMatch({ StudyInstanceUID: '1.2', PatientID: 'P', PatientName: [{ Alphabetic: 'Doe^Jane' }], StudyDate: '20240102', StudyTime: '101112.5', ModalitiesInStudy: ['CR', 'SR'], NumberOfStudyRelatedInstances: 3 });
    expect(c).toMatchObject({ studyInstanceUid: '1.2', patientName: 'Doe, Jane', studyDate: '2024-01-02', studyTime: '10:11:12', modalities: ['CR', 'SR'], instanceCount: 3, seriesCount: null });
    const q = fromQidoMatch({ '0020000D': { Value: ['1.2'] }, '00100010': { Value: [{ Alphabetic: 'Doe^Jane' }] }, '00080020': { Value: ['20240102'] }, '00080061': { Value: ['CR', 'SR'] }, '00201206': { Value: [1] } });
    expect(q).toMatchObject({ studyInstanceUid: '1.2', patientName: 'Doe, Jane', studyDate: '2024-01-02', modalities: ['CR', 'SR'], seriesCount: 1 });
    expect(displayName('Doe^Jane^M^^')).toBe('Doe, Jane M');
    expect(displayName('ANON')).toBe('ANON');
  });
});

describe('priors', () => {
  const remote = (patientId: string, uid: string): RemoteStudy => ({ studyInstanceUid: uid, patientId, patientName: '', patientBirthDate: null, patientSex: '', studyDate: null, studyTime: null, accessionNumber: '', description: '', modalities: [], seriesCount: null, instanceCount: null, localStudyId: null });

  it('keeps only studies of exactly the same Patient ID (a PACS may match wildcards or ignore case)', () => {
    const found = [remote('P1', '1'), remote('p1', '2'), remote('P10', '3'), remote('P1 ', '4'), remote('P1', '5')];
    expect(samePatientOnly(found, 'P1').map((s) => s.studyInstanceUid)).toEqual(['1', '5']);
  });

  it('never matches priors on a missing Patient ID', () => {
    expect(isMatchablePatientId('')).toBe(false);
    expect(isMatchablePatientId('  ')).toBe(false);
    expect(isMatchablePatientId('(no ID)')).toBe(false);
    expect(isMatchablePatientId('9RG1')).toBe(true);
  });
});
