import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreApi } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import { openDatabase, type DbHandle } from '../db/connection.js';
import { seedAnalysis, seedImage, TEST_LABELS, TEST_PACK } from '../db/searchTestSeed.js';
import { createRepositories } from '../db/repositories.js';
import { OperatingPoints } from '../findings/operatingPoints.js';
import { AuditTrail } from '../audit/auditTrail.js';
import { AiSettings } from '../inference/aiSettings.js';
import { PackRegistry } from '../inference/packRegistry.js';
import { PackContextResolver } from '../search/packContext.js';
import type { Service } from './service.js';
import { resourcePaths } from '../api/resources.js';
import { createResourceRouter } from '../platform/resources.js';
import { EventBus } from '../platform/eventBus.js';
import { createSearchService } from './searchService.js';

/** A manifest like the shipped packs' (no feature map), for the test pack. */
function writeManifest(modelsDir: string, extraOutputs: Record<string, unknown> = {}) {
  const dir = join(modelsDir, 'test-pack');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      id: TEST_PACK.packId,
      version: TEST_PACK.packVersion,
      title: 'Test pack',
      task: 'cxr-multilabel-classification',
      file: 'model.onnx',
      sha256: '0'.repeat(64),
      labels: TEST_LABELS,
      input: { name: 'image', layout: 'NCHW', channels: 3, height: 224, width: 224, normalize: { mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2] } },
      outputs: {
        probabilities: { shape: ['batch', 3] },
        embedding: { shape: ['batch', 3] },
        cam: { shape: ['batch', 3, 7, 7] },
        ...extraOutputs,
      },
      // Shipped with its provenance: a validated operating point for Cardiomegaly; the other labels are not calibrated.
      thresholds: { Cardiomegaly: 0.6 },
      provenance: { thresholds: { dataset: 'test validation set', method: "Youden's J", images: 100 } },
    }),
  );
}

describe('search service (similar:*, priors:get, cohorts:*)', () => {
  let dataDir: string;
  let db: DbHandle;
  let events: EventBus;
  let service: Service;
  let call: (name: string, input: unknown) => Promise<any>;
  let repos: ReturnType<typeof createRepositories>;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxr-search-'));
    writeManifest(join(dataDir, 'models'));
    db = openDatabase(join(dataDir, 'index.sqlite'));
    events = new EventBus();
    repos = createRepositories(db);
    repos.settings.set('reader.name', 'Dr Cohort');
    const packs = new PackRegistry([join(dataDir, 'models')], new AiSettings(repos.settings));
    const contexts = new PackContextResolver(repos.search, packs, new OperatingPoints(repos.analyses, packs));
    service = createSearchService({
      repo: repos.search,
      cohorts: repos.cohorts,
      annotations: repos.annotations,
      packs: contexts,
      events,
      audit: new AuditTrail(repos.audit, repos.settings),
      dataDir,
    });
    call = async (name, input) => {
      const r = await dispatch(service as unknown as CoreApi, name, input, { validateOutput: true });
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.value;
    };
  });
  afterEach(async () => {
    await service.dispose?.();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Five images: q and its patient's prior q2, and three others at known angles from q. */
  function seedNeighbourhood() {
    const q = seedImage(db, 'q', { patient: { patientId: 'PQ', sex: 'F' }, study: { date: '2021-01-01', ageYears: 60 } });
    const q2 = seedImage(db, 'q2', { patient: { patientId: 'PQ', sex: 'F' }, study: { studyInstanceUid: 'q2', date: '2020-01-01', ageYears: 59 } });
    const near = seedImage(db, 'near', {
      patient: { patientId: 'P1', sex: 'M' },
      study: { date: '2019-01-01', ageYears: 40 },
      referenceFindings: [{ label: 'Effusion', source: 'labels.csv', box: { x: 10, y: 20, w: 30, h: 40 } }],
    });
    const mid = seedImage(db, 'mid', { patient: { patientId: 'P2', sex: 'F' }, study: { date: '2022-01-01', ageYears: 70 } });
    const far = seedImage(db, 'far', { patient: { patientId: 'P3', sex: 'F' }, study: { date: '2023-01-01', ageYears: 80 } });
    seedAnalysis(db, q.instanceId, [0.1, 0.2, 0.9], [1, 0, 0]);
    seedAnalysis(db, q2.instanceId, [0.1, 0.2, 0.3], [1, 0.01, 0]);
    seedAnalysis(db, near.instanceId, [0.1, 0.7, 0.2], [1, 0.2, 0], {
      localisations: { Cardiomegaly: { boxes: [{ x: 100, y: 200, w: 300, h: 250 }], peak: { x: 250, y: 300 }, extent: 0.1 } },
    });
    seedAnalysis(db, mid.instanceId, [0.1, 0.2, 0.8], [1, 1, 0]);
    seedAnalysis(db, far.instanceId, [0.1, 0.2, 0.1], [0, 0, 1]);
    return { q, q2, near, mid, far };
  }

  it('finds the most similar images with similarity, thumbnail and findings, leaving out the same patient', async () => {
    const { q, q2, near, mid, far } = seedNeighbourhood();
    const r = await call('similar:find', { instanceId: q.instanceId, k: 10 });
    expect(r.pack).toEqual(TEST_PACK);
    expect(r.method).toBe('exact');
    expect(r.indexed).toBe(5);
    expect(r.neighbours.map((n: any) => n.instanceId)).toEqual([near.instanceId, mid.instanceId, far.instanceId]);
    const first = r.neighbours[0];
    expect(first.similarity).toBeCloseTo(1 / Math.sqrt(1.04), 5);
    expect(first.thumbnail).toBe(`/files/instances/${near.instanceId}/thumbnail.png`);
    expect(first.referenceLabels).toEqual(['Effusion']);
    // The pack's own threshold (0.6) makes 0.7 positive for Cardiomegaly.
    expect(first.findings.find((f: any) => f.label === 'Cardiomegaly')).toMatchObject({ positive: true, threshold: 0.6 });
    expect(r.neighbours[2].similarity).toBeCloseTo(0, 6);

    const withPatient = await call('similar:find', { instanceId: q.instanceId, k: 2, filters: { excludeSamePatient: false } });
    expect(withPatient.neighbours.map((n: any) => n.instanceId)).toEqual([q2.instanceId, near.instanceId]);
  });

  it('applies finding, sex, age and date filters', async () => {
    const { q, near, mid, far } = seedNeighbourhood();
    const ids = async (filters: object) => (await call('similar:find', { instanceId: q.instanceId, filters })).neighbours.map((n: any) => n.instanceId);
    // Effusion is not calibrated (the pack ships a validated threshold for Cardiomegaly only): the AI's 0.8 on mid is
    // never a call, so only near's reference label matches. Cardiomegaly: the AI calls near (0.7 >= 0.6).
    expect(await ids({ finding: 'effusion' })).toEqual([near.instanceId]);
    expect(await ids({ finding: 'cardiomegaly' })).toEqual([near.instanceId]);
    expect(await ids({ sex: 'F' })).toEqual([mid.instanceId, far.instanceId]);
    expect(await ids({ ageMin: 65, ageMax: 90 })).toEqual([mid.instanceId, far.instanceId]);
    expect(await ids({ dateFrom: '2022-06-01' })).toEqual([far.instanceId]);
    await expect(call('similar:find', { instanceId: q.instanceId, filters: { finding: 'Fracture' } })).rejects.toThrow(/unknown finding "Fracture"/);
    await expect(call('similar:find', { instanceId: q.instanceId, filters: { ageMin: 70, ageMax: 60 } })).rejects.toThrow(/age band/);
  });

  it('answers region search with unsupported and the reason, and says so in similar:status', async () => {
    const { q } = seedNeighbourhood();
    const err = await call('similar:find', { instanceId: q.instanceId, region: { x: 0, y: 0, w: 100, h: 100 } }).catch((e) => e);
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/search by region is not available: test-pack does not output a spatial feature map \(outputs: probabilities, embedding, cam\)/);
    const status = await call('similar:status', {});
    expect(status).toMatchObject({ pack: TEST_PACK, indexed: 5, dimensions: 3, approximate: false, regionSearch: { supported: false } });
  });

  it('keeps the matrix in step with new analyses (event or fingerprint)', async () => {
    const { q } = seedNeighbourhood();
    expect((await call('similar:find', { instanceId: q.instanceId })).indexed).toBe(5);
    const late = seedImage(db, 'late', { patient: { patientId: 'P9' } });
    seedAnalysis(db, late.instanceId, [0.1, 0.1, 0.1], [1, 0.05, 0], { createdAt: '2026-01-01T00:00:00.000Z' });
    events.emit('studies:onDidChange', { studyIds: [late.studyId] });
    const r = await call('similar:find', { instanceId: q.instanceId, k: 1 });
    expect(r.indexed).toBe(6);
    expect(r.neighbours[0].instanceId).toBe(late.instanceId);
  });

  it('rejects images not analysed or not indexed with clear messages', async () => {
    const plain = seedImage(db, 'plain');
    await expect(call('similar:find', { instanceId: plain.instanceId })).rejects.toThrow(/has not been analysed; analyse it first/);
    await expect(call('similar:find', { instanceId: 424242 })).rejects.toThrow(/no image with id 424242/);
  });

  it('priors:get gives each finding across the patient’s studies with the change from the previous one', async () => {
    const s1 = seedImage(db, 'p1', { patient: { patientId: 'PP' }, study: { studyInstanceUid: 's1', date: '2019-01-01' } });
    const s2 = seedImage(db, 'p2', { patient: { patientId: 'PP' }, study: { studyInstanceUid: 's2', date: '2020-01-01' } });
    const s3 = seedImage(db, 'p3', { patient: { patientId: 'PP' }, study: { studyInstanceUid: 's3', date: '2021-01-01' } });
    const other = seedImage(db, 'x', { patient: { patientId: 'OTHER' } });
    seedAnalysis(db, s1.instanceId, [0.1, 0.7, 0.2], [1, 0, 0]);
    seedAnalysis(db, s2.instanceId, [0.1, 0.5, 0.6], [1, 0, 0]);
    seedAnalysis(db, s3.instanceId, [0.12, 0.3, 0.9], [1, 0, 0]);
    seedAnalysis(db, other.instanceId, [0.9, 0.9, 0.9], [1, 0, 0]);
    const r = await call('priors:get', { instanceId: s3.instanceId });
    expect(r.patientId).toBe('PP');
    expect(r.currentStudyId).toBe(s3.studyId);
    expect(r.studies.map((s: any) => s.date)).toEqual(['2019-01-01', '2020-01-01', '2021-01-01']);
    const byLabel = Object.fromEntries(r.series.map((s: any) => [s.label, s]));
    expect(byLabel.Cardiomegaly.threshold).toBe(0.6);
    expect(byLabel.Cardiomegaly.points.map((p: any) => p.change)).toEqual([null, 'resolved', 'decreased']);
    // Effusion has no validated operating point: a rise is "increased", never "new", and nothing is positive.
    expect(byLabel.Effusion.threshold).toBeNull();
    expect(byLabel.Effusion.points.map((p: any) => p.change)).toEqual([null, 'increased', 'increased']);
    expect(byLabel.Atelectasis.points.map((p: any) => p.change)).toEqual([null, 'stable', 'stable']);
    expect(byLabel.Effusion.points[2]).toMatchObject({ previousStudyId: s2.studyId, instanceId: s3.instanceId, positive: null });
    expect(byLabel.Cardiomegaly.points[0]).toMatchObject({ positive: true });
    await expect(call('priors:get', {})).rejects.toThrow(/exactly one of studyId or instanceId/);
    expect((await call('priors:get', { studyId: s1.studyId })).studies).toHaveLength(3);
  });

  it('priors:get orders undated NIH follow-ups (PATIENT_FOLLOWUP.png) by follow-up number', async () => {
    const seed = (followUp: string, effusion: number) => {
      const img = seedImage(db, `nih-${followUp}`, {
        patient: { patientId: '42' },
        study: { studyInstanceUid: `nih.${followUp}`, date: null },
        instance: { filePath: `/nih/images/00000042_${followUp}.png`, format: 'png' },
      });
      seedAnalysis(db, img.instanceId, [0.1, 0.1, effusion], [1, 0, 0]);
      return img;
    };
    // Imported out of order, as a folder walk may do.
    const f2 = seed('002', 0.9);
    const f0 = seed('000', 0.1);
    const f1 = seed('001', 0.6);
    const r = await call('priors:get', { instanceId: f2.instanceId });
    expect(r.studies.map((s: any) => s.studyId)).toEqual([f0.studyId, f1.studyId, f2.studyId]);
    const effusion = r.series.find((s: any) => s.label === 'Effusion');
    expect(effusion.points.map((p: any) => p.change)).toEqual([null, 'increased', 'increased']);
  });

  it('an image withheld by the quality gate has no findings in similar cases, priors or cohorts until a reader overrides', async () => {
    const { q, near } = seedNeighbourhood();
    db.sqlite.prepare('UPDATE analyses SET quality_ok = 0 WHERE instance_id = ?').run(near.instanceId);
    const neighbour = async () => (await call('similar:find', { instanceId: q.instanceId })).neighbours.find((n: any) => n.instanceId === near.instanceId);
    expect((await neighbour()).findings).toEqual([]);
    // near's AI Cardiomegaly call (0.7) no longer counts; its reference Effusion still does.
    expect((await call('cohorts:query', { query: 'ai:Cardiomegaly' })).total).toBe(0);
    expect((await call('cohorts:query', { query: 'Cardiomegaly>0.5' })).total).toBe(0);
    expect((await call('cohorts:query', { query: 'ref:Effusion' })).total).toBe(1);
    const ids = (await call('similar:find', { instanceId: q.instanceId, filters: { finding: 'cardiomegaly' } })).neighbours.map((n: any) => n.instanceId);
    expect(ids).toEqual([]);
    const priors = await call('priors:get', { instanceId: near.instanceId });
    expect(priors.series.every((s: any) => s.points.every((p: any) => p.probability === null))).toBe(true);

    const analysisId = db.sqlite.prepare('SELECT id FROM analyses WHERE instance_id = ?').pluck().get(near.instanceId) as number;
    createRepositories(db).qualityOverrides.record(analysisId, 'Dr Test', 'PA film, tag wrong');
    expect((await neighbour()).findings.find((f: any) => f.label === 'Cardiomegaly')).toMatchObject({ positive: true, threshold: 0.6 });
    expect((await call('cohorts:query', { query: 'ai:Cardiomegaly' })).total).toBe(1);
  });

  it('cohorts: query, CSV and COCO exports served by resource path, clear errors', async () => {
    const { near, mid } = seedNeighbourhood();
    const page = await call('cohorts:query', { query: 'effusion>0.5 OR ref:effusion' });
    expect(page.query).toBe('Effusion>0.5 OR ref:Effusion');
    expect(page.total).toBe(3);
    expect(page.items.map((i: any) => i.instanceId)).toContain(near.instanceId);
    expect((await call('cohorts:query', { query: 'Effusion>0.5 AND sex=F AND age>=65' })).items.map((i: any) => i.instanceId)).toEqual([mid.instanceId]);

    const csv = await call('cohorts:export', { query: 'ai:Cardiomegaly OR ref:Effusion', format: 'csv' });
    expect(csv).toMatchObject({ format: 'csv', rows: 1, boxes: 0 });
    // A reader's measurement (0390-create-annotations) goes into the COCO export as a reader box; the CSV says so.
    repos.annotations.create({ instanceId: near.instanceId, kind: 'ellipse', points: [[500, 600], [700, 650]], author: 'Dr Ruler' });
    expect((await call('cohorts:export', { query: 'ai:Cardiomegaly OR ref:Effusion', format: 'csv' })).notes.join(' ')).toMatch(/1 reader measurements are not in the CSV/);
    const resource = await createResourceRouter(service.resources!)(csv.path);
    const text = resource!.body.toString('utf8');
    expect(resource!.contentType).toMatch(/text\/csv/);
    const [header, row] = text.trim().split('\r\n');
    expect(header).toBe(
      'instance_id,study_id,patient_id,study_date,sex,age,view,file_path,thumbnail,reference_labels,' +
        'p_Atelectasis,p_Cardiomegaly,p_Effusion,ai_Atelectasis,ai_Cardiomegaly,ai_Effusion,ref_Atelectasis,ref_Cardiomegaly,ref_Effusion',
    );
    expect(row).toBe(`${near.instanceId},${near.studyId},P1,2019-01-01,M,40,PA,/data/images/near.dcm,/files/instances/${near.instanceId}/thumbnail.png,Effusion,0.1,0.7,0.2,,1,,0,0,1`);

    const coco = await call('cohorts:export', { query: 'ai:Cardiomegaly OR ref:Effusion', format: 'coco' });
    expect(coco.boxes).toBe(3);
    const doc = JSON.parse(readFileSync(join(dataDir, 'exports', 'cohorts', coco.path.split('/').pop()), 'utf8'));
    expect(doc.images).toEqual([expect.objectContaining({ id: near.instanceId, width: 2048, height: 2048 })]);
    expect(doc.annotations).toEqual([
      expect.objectContaining({ source: 'ai-cam', bbox: [100, 200, 300, 250], category_id: 2, score: expect.closeTo(0.7, 5) }),
      expect.objectContaining({ source: 'reference', bbox: [10, 20, 30, 40], category_id: 3 }),
      expect.objectContaining({ source: 'reader', bbox: [500, 600, 200, 50], reader: 'Dr Ruler', measured_at: expect.any(String) }),
    ]);
    expect(doc.categories).toContainEqual(expect.objectContaining({ name: 'reader ellipse ROI', supercategory: 'measurement' }));
    // Every cohort export is audited: the query, format, row count and file, by the core's reader.
    const audited = repos.audit.list({ action: 'export' });
    expect(audited.items.map((e: any) => [e.actor, e.entityType, e.detail.format, e.detail.rows])).toEqual([
      ['Dr Cohort', 'cohort', 'coco', 1],
      ['Dr Cohort', 'cohort', 'csv', 1],
      ['Dr Cohort', 'cohort', 'csv', 1],
    ]);
    expect(await createResourceRouter(service.resources!)(resourcePaths.cohortExport(coco.exportId, 'other.json'))).toBeNull();

    const bad = await call('cohorts:query', { query: 'Effusion>>0.5' }).catch((e) => e);
    expect(bad.code).toBe('invalid_input');
    expect(bad.message).toMatch(/cohort query: .*column/);
  });
});
