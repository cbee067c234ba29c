import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { dispatch } from '../api/dispatch.js';
import type { AnalysisResult, Calibration, OperatingPoints } from '../api/analysis.js';
import type { OperationName } from '../api/contract.js';
import { waitForJob } from '../api/waitForJob.js';
import { createCore, type Core } from '../createCore.js';
import { openDatabase, type DbHandle } from '../db/connection.js';

const NIH = ['00018784_000.png', '00014995_000.png', '00008299_000.png', '00007219_000.png'];

describe.skipIf(!hasShared)('analysis service through the contract (tiny pack, CPU)', () => {
  let dataDir: string;
  let core: Core;
  const call = async <T = unknown>(name: OperationName, input: unknown): Promise<T> => {
    const r = await dispatch(core.api, name, input, { validateOutput: true });
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  let db: DbHandle;
  const instanceIds = () => db.sqlite.prepare('SELECT id FROM instances ORDER BY id').pluck().all() as number[];
  // Instance ids follow the order the import workers finished in: a chest film the gate passed, not a position.
  const chestId = () => db.sqlite.prepare('SELECT instance_id FROM analyses WHERE quality_ok = 1 ORDER BY instance_id LIMIT 1').pluck().get() as number;
  /** The labels the worklist's finding filter finds by the AI (study_labels with source ai), all studies. */
  const aiCalledLabels = () => db.sqlite.prepare("SELECT DISTINCT label FROM study_labels WHERE source = 'ai' ORDER BY label").pluck().all() as string[];
  const waitJob = async (job: { id: string }) => waitForJob(core, job.id);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxr-analysis-'));
    const images = join(dataDir, 'incoming');
    mkdirSync(images);
    for (const f of NIH) copyFileSync(sharedPath('data', 'nih-cxr14', 'images', f), join(images, f));
    copyFileSync(sharedPath('data', 'dicom', 'cxr', 'rsna_CR_jpegbaseline_1024.dcm'), join(images, 'cxr.dcm'));
    copyFileSync(sharedPath('data', 'dicom', 'conformance', 'pydicom-2.3.1-debian', 'test_files', 'CT_small.dcm'), join(images, 'ct.dcm'));
    core = createCore({ dataDir, modelsDirs: [sharedPath('models'), join(dataDir, 'models')] }, { allowMissing: true });
    db = openDatabase(join(dataDir, 'index.sqlite'));
    // Analysed by analysis:start below, not in the import's pass (test/integration/analysisOnImport.test.ts).
    const job = await call<{ id: string }>('import:start', { paths: [images], analyse: false });
    const done = await waitJob(job);
    expect(done.state).toBe('done');
    expect(instanceIds().length).toBe(6);
  });
  afterAll(async () => {
    db?.close();
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists both packs and switches the active pack and provider', async () => {
    const list = await call<{ packs: { id: string; embeddingDim: number }[]; activePackId: string }>('models:list', {});
    expect(list.packs.map((p) => [p.id, p.embeddingDim]).sort()).toEqual([
      ['cxr14-densenet121-demo', 1024],
      ['cxr14-tiny-test', 64],
    ]);
    await expect(call('models:setSettings', { activePackId: 'no-such-pack' })).rejects.toThrow(/not_found/);
    expect(await call('models:setSettings', { activePackId: 'cxr14-tiny-test', provider: 'cpu' })).toEqual({ activePackId: 'cxr14-tiny-test', provider: 'cpu', analyseOnImport: true });
    const v = await call<{ ok: boolean }[]>('models:verify', { id: 'cxr14-tiny-test' });
    expect(v.map((x) => x.ok)).toEqual([true]);
    // Nothing loaded yet: no provider is claimed.
    expect((await call<{ providers: unknown }>('models:list', {})).providers).toEqual({ inUse: null, loaded: [], failed: [] });
  });

  const shown = (r: AnalysisResult | null) => {
    if (!r || r.status !== 'shown') throw new Error(`expected a shown analysis, got ${r ? r.status : 'none'}`);
    return r;
  };

  it('analyses every image in batches; the gate withholds the CT entirely; without calibration nothing is called', async () => {
    const job = await waitJob(await call('analysis:start', { all: true }));
    expect(job.state).toBe('done');
    expect(job.message).toMatch(/6 analysed, 0 already done, 0 failed/);
    const ids = instanceIds();
    const results = await Promise.all(ids.map((instanceId) => call<AnalysisResult | null>('analysis:get', { instanceId })));
    for (const r of results) {
      expect(r).not.toBeNull();
      expect(r!).toMatchObject({ packId: 'cxr14-tiny-test', provider: 'cpu', aiGenerated: true });
      expect(r!.disclaimer).toMatch(/not a diagnosis/);
      expect(r!.text.sentences.length).toBeGreaterThan(0);
    }
    const ct = results.filter((r) => r!.quality.flags.some((f) => f.code === 'not_radiograph'));
    expect(ct).toHaveLength(1);
    // Withheld: no probabilities, findings, heatmaps or sentences at all, only why.
    expect(ct[0]!.status).toBe('withheld');
    expect(Object.keys(ct[0]!)).not.toContain('findings');
    expect(JSON.stringify(ct[0])).not.toMatch(/probability|heatmap/);
    expect(ct[0]!.text.sentences).toEqual([{ label: null, text: expect.stringMatching(/^AI findings withheld: not a projection radiograph/) }]);
    expect(await core.resource(`/files/analyses/${ct[0]!.analysisId}/heatmap/Effusion.png`)).toBeNull();
    const chests = results.filter((r) => r!.status === 'shown').map(shown);
    expect(chests).toHaveLength(5);
    for (const r of chests) {
      expect(r.findings).toHaveLength(14);
      expect(r.operatingPoints).toEqual({ calibrationId: null, version: expect.stringMatching(/^no validated operating point/) });
      for (const f of r.findings) {
        expect(f).toMatchObject({ positive: false, threshold: null, sentence: null, certainty: null, locationText: null, operatingPoint: { status: 'not_calibrated' } });
        expect((f.operatingPoint as { reason: string }).reason).toBe('no site calibration; the pack ships no threshold');
      }
      expect(r.text.sentences).toEqual([{ label: null, text: 'No AI finding is stated: no finding of this model has a validated operating point.' }]);
      expect(r.text.details.lines).toEqual([]);
    }
    // Different images, different outputs.
    expect(new Set(chests.map((r) => r.findings[0]!.probability.toFixed(6))).size).toBe(5);

    // The provider that actually ran the model is what Settings lists (not every one onnxruntime knows).
    const { providers } = await call<{ providers: { inUse: string | null; loaded: string[] } }>('models:list', {});
    expect(providers).toMatchObject({ inUse: 'cpu', loaded: ['cpu'] });

    const page = await call<{ items: { aiStatus: string; maxProbability: number | null }[] }>('studies:list', {});
    const analysed = page.items.filter((s) => s.aiStatus === 'done');
    expect(analysed.length).toBeGreaterThanOrEqual(5);
    expect(analysed.some((s) => s.maxProbability !== null)).toBe(true);
    // The worklist's "called" labels (its finding filter): none, since no label is calibrated.
    expect(aiCalledLabels()).toEqual([]);
    // The audit entry of each analysed image names every label's operating point (here: none).
    const entry = (await call<{ items: Array<{ thresholdVersion: string; detail: { operatingPoints: Record<string, string> } }> }>('audit:list', { action: 'analyse', entityId: String(ids[0]) })).items[0]!;
    expect(entry.thresholdVersion).toMatch(/^no validated operating point/);
    expect(Object.values(entry.detail.operatingPoints)).toEqual(new Array(14).fill('not calibrated'));
  });

  it('serves a heatmap PNG per finding with the image aspect, and French text on request', async () => {
    const id = chestId();
    const r = shown(await call<AnalysisResult>('analysis:get', { instanceId: id, language: 'fr' }));
    expect(r.text.language).toBe('fr');
    expect(r.text.header).toMatch(/généré par IA/);
    const f = r.findings[2]!;
    expect(f.heatmap).toBe(`/files/analyses/${r.analysisId}/heatmap/${f.label}.png`);
    const res = await core.resource(f.heatmap!);
    expect(res?.contentType).toBe('image/png');
    const meta = await sharp(res!.body).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(256);
    expect(meta.width! / meta.height!).toBeCloseTo(r.imageSize.width / r.imageSize.height, 1);
    expect(await core.resource(`/files/analyses/${r.analysisId}/heatmap/NotALabel.png`)).toBeNull();
    for (const x of r.findings) {
      // A place is either stated (with a side) or not (with the reason the details appendix gives).
      if (x.location.stated) expect(['right', 'left', 'both']).toContain(x.location.side);
      else expect(x.location.reason).not.toBeNull();
      expect(x.contours.length).toBeGreaterThan(0);
      for (const line of x.contours) for (let i = 0; i < line.length; i += 2) expect(line[i]).toBeLessThanOrEqual(r.imageSize.width);
      for (const b of x.boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.w).toBeLessThanOrEqual(r.imageSize.width + 1e-6);
      }
    }
  });

  it('does not recompute unless forced; a forced run keeps the analysis ids', async () => {
    const chest = chestId();
    const before = shown(await call<AnalysisResult>('analysis:get', { instanceId: chest }));
    const again = await waitJob(await call('analysis:start', { all: true }));
    expect(again.message).toMatch(/0 analysed, 6 already done/);
    const forced = await waitJob(await call('analysis:start', { instanceIds: [chest], force: true }));
    expect(forced.message).toMatch(/1 analysed/);
    const after = shown(await call<AnalysisResult>('analysis:get', { instanceId: chest }));
    expect(after.analysisId).toBe(before.analysisId);
    expect(after.findings[0]!.probability).toBeCloseTo(before.findings[0]!.probability, 6);
    await expect(call('analysis:start', {})).rejects.toThrow(/exactly one of/);
  });

  it('a reader may override the gate explicitly (audited); the override shows the findings, marked, for this analysis only', async () => {
    const all = await Promise.all(instanceIds().map((instanceId) => call<AnalysisResult>('analysis:get', { instanceId })));
    const ct = all.find((r) => r.status === 'withheld')!;
    await expect(call('analysis:review', { analysisId: ct.analysisId, label: 'Effusion', decision: 'accepted' })).rejects.toThrow(/conflict: .*withheld/);
    await expect(call('analysis:overrideGate', { analysisId: ct.analysisId, reason: '' })).rejects.toThrow(/invalid_input/);
    const passed = all.find((r) => r.status === 'shown')!;
    await expect(call('analysis:overrideGate', { analysisId: passed.analysisId, reason: 'why not' })).rejects.toThrow(/nothing to override/);
    await call('analysis:overrideGate', { analysisId: ct.analysisId, reason: 'test of the override path' });
    const after = shown(await call<AnalysisResult>('analysis:get', { instanceId: ct.instanceId }));
    expect(after.override).toMatchObject({ reason: 'test of the override path', by: expect.any(String), flags: expect.arrayContaining([expect.objectContaining({ code: 'not_radiograph' })]) });
    expect(after.findings).toHaveLength(14);
    expect(await core.resource(after.findings[0]!.heatmap!)).not.toBeNull();
    const audit = await call<{ items: Array<{ entityId: string; detail: { reason: string; flags: string[] } }> }>('audit:list', { action: 'override_gate' });
    expect(audit.items[0]).toMatchObject({ entityId: String(ct.instanceId), detail: { reason: 'test of the override path', flags: expect.arrayContaining([expect.stringMatching(/^not_radiograph: /)]) } });
    // A forced re-analysis is gated again.
    await waitJob(await call('analysis:start', { instanceIds: [ct.instanceId], force: true }));
    expect((await call<AnalysisResult>('analysis:get', { instanceId: ct.instanceId })).status).toBe('withheld');
  });

  it('a label that is not calibrated cannot be reviewed (it is never a finding)', async () => {
    const r = shown(await call<AnalysisResult>('analysis:get', { instanceId: chestId() }));
    await expect(call('analysis:review', { analysisId: r.analysisId, label: 'Effusion', decision: 'accepted' })).rejects.toThrow(/Effusion is not calibrated/);
    await expect(call('analysis:review', { analysisId: r.analysisId, label: 'Unicorn', decision: 'accepted' })).rejects.toThrow(/no finding "Unicorn"/);
  });

  it('calibration on the 80-image calibration split validates only labels with ≥ 10 positives and an AUC interval above 0.5', async () => {
    expect(await call('calibration:get', {})).toBeNull();
    const job = await waitJob(await call('calibration:run', { labelsCsv: sharedPath('data', 'nih-cxr14', 'labels.csv') }));
    expect(job.state, job.message ?? '').toBe('done');
    const cal = await call<Calibration>('calibration:get', {});
    expect(cal.imageCount).toBe(80);
    expect(cal.method).toBe('youden');
    expect(cal.labels).toHaveLength(14);
    for (const l of cal.labels) {
      const ok = l.positives >= 10 && l.negatives >= 10 && l.aucCi !== null && l.aucCi.low > 0.5;
      expect(l.validated, `${l.label}: ${l.refusal}`).toBe(ok);
      expect(l.threshold === null).toBe(!ok);
      expect(l.refusal === null).toBe(ok);
    }
    expect(cal.labels.find((l) => l.label === 'Pneumonia')!.refusal).toBe('3 positive cases in the set (needs at least 10)');
    expect(job.message).toMatch(/labels validated \(youden\); refused: .*Pneumonia/);
    const r = shown(await call<AnalysisResult>('analysis:get', { instanceId: chestId() }));
    for (const f of r.findings) {
      const c = cal.labels.find((l) => l.label === f.label)!;
      if (c.validated) expect(f).toMatchObject({ threshold: c.threshold, operatingPoint: { status: 'validated', source: 'calibration' }, positive: f.probability >= c.threshold! });
      else expect(f).toMatchObject({ threshold: null, positive: false, operatingPoint: { status: 'not_calibrated', reason: `site calibration #${cal.id} refused it: ${c.refusal}; the pack ships no threshold` } });
    }
    const audit = await call<{ items: Array<{ detail: { refused: Record<string, string> } }> }>('audit:list', { action: 'calibrate' });
    expect(audit.items[0]!.detail.refused.Pneumonia).toMatch(/3 positive cases/);
  });

  it('a recalibration that validates labels changes what is called, the worklist, reviews and the audit, at once', async () => {
    // All 200 rows (the file without its split column). The 120 `training` rows were in the pack's training set, so
    // these AUCs are optimistic: used here only to exercise validated operating points end to end.
    const csv = readFileSync(sharedPath('data', 'nih-cxr14', 'labels.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const splitCol = csv[0]!.indexOf('split');
    const file = join(dataDir, 'all-200.csv');
    writeFileSync(file, csv.map((cells) => cells.filter((_, i) => i !== splitCol).join(',')).join('\n'));
    const job = await waitJob(await call('calibration:run', { labelsCsv: file, imagesDir: sharedPath('data', 'nih-cxr14', 'images') }));
    expect(job.state, job.message ?? '').toBe('done');
    const points = await call<OperatingPoints>('operatingPoints:get', {});
    const validated = points.labels.filter((l) => l.operatingPoint.status === 'validated');
    expect(validated.length, points.version).toBeGreaterThan(0);
    expect(points.version).toMatch(new RegExp(`^site calibration #${points.calibrationId}: ${validated.length} of 14 labels validated`));
    const r = shown(await call<AnalysisResult>('analysis:get', { instanceId: chestId() }));
    expect(r.operatingPoints.calibrationId).toBe(points.calibrationId);
    const label = validated[0]!.label;
    const f = r.findings.find((x) => x.label === label)!;
    expect(f.operatingPoint).toMatchObject({ status: 'validated', source: 'calibration', provenance: expect.stringMatching(/positives, AUC 0\.\d\d \(95% CI/) });
    await call('analysis:review', { analysisId: r.analysisId, label, decision: 'accepted' });
    const edits = await call<{ items: Array<{ thresholdVersion: string; detail: { operatingPoint: string } }> }>('audit:list', { action: 'edit', entityType: 'finding' });
    expect(edits.items[0]!.detail.operatingPoint).toMatch(new RegExp(`^\\d\\.\\d{3} \\(site calibration #${points.calibrationId}\\)$`));
    // The worklist's called labels follow the operating points in force: only validated labels, only shown images.
    const called = aiCalledLabels();
    for (const l of called) expect(validated.map((v) => v.label)).toContain(l);
    const ctStudy = db.sqlite.prepare("SELECT st.id FROM studies st JOIN series se ON se.study_id = st.id WHERE se.modality = 'CT'").pluck().get();
    expect(db.sqlite.prepare("SELECT count(*) FROM study_labels WHERE source = 'ai' AND study_id = ?").pluck().get(ctStudy)).toBe(0);
  });
});
