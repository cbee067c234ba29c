import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { WorklistQuerySchema } from '../api/studies.js';
import { openDatabase } from './connection.js';
import { ImportJobRepository } from './importJobRepository.js';
import { IndexRepository } from './indexRepository.js';
import { SettingsRepository } from './settingsRepository.js';
import { StudyRepository } from './studyRepository.js';
import { makeImageRecord } from './testFixtures.js';
import { WorklistRepository } from './worklistRepository.js';

/**
 * Every value reaches SQLite as a bound parameter: the repositories are driven with values that are also SQL
 * (quotes, comments, a DROP), every SQL text they prepare or execute is recorded, and none may contain a value.
 */
describe('repositories bind every value', () => {
  it('never puts a value into SQL text, and hostile values are stored verbatim', () => {
    const db = openDatabase(':memory:');
    const seen: string[] = [];
    const prepare = db.sqlite.prepare.bind(db.sqlite);
    const exec = db.sqlite.exec.bind(db.sqlite);
    db.sqlite.prepare = ((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    }) as typeof db.sqlite.prepare;
    db.sqlite.exec = ((sql: string) => {
      seen.push(sql);
      return exec(sql);
    }) as typeof db.sqlite.exec;

    const evil = (tag: string) => `EVIL${tag}'); DROP TABLE studies; --"`;
    const index = new IndexRepository(db);
    const studies = new StudyRepository(db);
    const rec = makeImageRecord('k', {
      patient: { patientId: evil('pid'), issuer: evil('issuer'), name: evil('name') },
      study: { studyInstanceUid: evil('suid'), description: evil('desc'), accessionNumber: evil('acc'), institution: evil('inst'), referringPhysician: evil('ref') },
      series: { seriesInstanceUid: evil('seuid'), modality: 'CR', description: evil('sedesc'), bodyPart: evil('bp') },
      instance: { sopInstanceUid: evil('sop'), filePath: evil('path'), contentHash: evil('hash'), thumbnailPath: evil('thumb'), photometric: evil('photo') },
      referenceFindings: [{ label: evil('label'), source: evil('source'), box: null }],
    });
    const { studyId, instanceId } = index.upsertImage(rec);
    index.upsertImage(rec);
    index.upsertImage({ ...rec, instance: { ...rec.instance, contentHash: evil('hash2') } });
    index.upsertImage({ ...rec, instance: { ...rec.instance, filePath: evil('path2') } });
    index.findByPath(evil('path'));
    index.setStudyAiSummary(studyId, { aiStatus: 'done', maxProbability: 0.5, positiveLabels: [evil('ailabel')] });
    index.instanceFile(instanceId);
    index.listInstanceIds({ studyId });
    index.studyOfInstance(instanceId);
    studies.get(studyId);
    studies.getInstance(instanceId);
    studies.setStatus(studyId, 'reported');
    const worklist = new WorklistRepository(db);
    const page = worklist.query(
      WorklistQuerySchema.parse({
        text: evil('text'),
        dateFrom: '2000-01-01',
        dateTo: '2100-01-01',
        modality: evil('mod').slice(0, 16),
        finding: evil('finding'),
        hasAi: true,
        status: 'reported',
      }),
    );
    expect(page.total).toBe(0);
    expect(worklist.query(WorklistQuerySchema.parse({ text: 'EVILname', finding: evil('ailabel') })).total).toBe(1);
    const jobs = new ImportJobRepository(db);
    jobs.create(evil('job'), [evil('root')]);
    jobs.recordItem(evil('job'), evil('item'), 'failed', evil('reason'));
    jobs.finish(evil('job'), 'done');
    jobs.report(evil('job'));
    jobs.list(5);
    const settings = new SettingsRepository(db);
    settings.set(evil('key'), { v: evil('value') });
    expect(settings.get(evil('key'), z.object({ v: z.string() }), { v: '' })).toEqual({ v: evil('value') });

    expect(seen.length).toBeGreaterThan(10);
    for (const sql of seen) expect(sql).not.toMatch(/EVIL/);
    expect(studies.get(studyId)).toMatchObject({ patientName: evil('name'), accessionNumber: evil('acc') });
    expect(jobs.report(evil('job')).failed).toEqual([{ path: evil('item'), reason: evil('reason') }]);
  });
});
