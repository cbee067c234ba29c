import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, sharedPath } from '../../test/helpers/shared.js';
import { dispatch } from '../api/dispatch.js';
import type { AnalysisResult } from '../api/analysis.js';
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
    const job = await call<{ id: string }>('import:start', { paths: [images] });
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
    expect(await call('models:setSettings', { activePackId: 'cxr14-tiny-test', provider: 'cpu' })).toEqual({ activePackId: 'cxr14-tiny-test', provider: 'cpu' });
    const v = await call<{ ok: boolean }[]>('models:verify', { id: 'cxr14-tiny-test' });
    expect(v.map((x) => x.ok)).toEqual([true]);
    // Nothing loaded yet: no provider is claimed.
    expect((await call<{ providers: unknown }>('models:list', {})).providers).toEqual({ inUse: null, loaded: [], failed: [] });
  });

  it('analyses every image in batches, stores results, gates quality and updates the worklist summary', async () => {
    const job = await waitJob(await call('analysis:start', { all: true }));
    expect(job.state).toBe('done');
    expect(job.message).toMatch(/6 analysed, 0 already done, 0 failed/);
    const ids = instanceIds();
    const results = await Promise.all(ids.map((instanceId) => call<AnalysisResult | null>('analysis:get', { instanceId })));
    for (const r of results) {
      expect(r).not.toBeNull();
      expect(r!).toMatchObject({ packId: 'cxr14-tiny-test', provider: 'cpu', aiGenerated: true });
      expect(r!.findings).toHaveLength(14);
      expect(r!.disclaimer).toMatch(/not a diagnosis/);
      expect(r!.text.sentences.length).toBeGreaterThan(0);
    }
    const ct = results.filter((r) => r!.quality.flags.some((f) => f.code === 'not_radiograph'));
    expect(ct).toHaveLength(1);
    expect(ct[0]!.findingsWithheld).toBe(true);
    expect(ct[0]!.findings.every((f) => !f.positive)).toBe(true);
    const chests = results.filter((r) => r!.quality.ok);
    expect(chests).toHaveLength(5);
    // Different images, different outputs.
    expect(new Set(chests.map((r) => r!.findings[0]!.probability.toFixed(6))).size).toBe(5);

    // The provider that actually ran the model is what Settings lists (not every one onnxruntime knows).
    const { providers } = await call<{ providers: { inUse: string | null; loaded: string[] } }>('models:list', {});
    expect(providers).toMatchObject({ inUse: 'cpu', loaded: ['cpu'] });

    const page = await call<{ items: { aiStatus: string; maxProbability: number | null }[] }>('studies:list', {});
    const analysed = page.items.filter((s) => s.aiStatus === 'done');
    expect(analysed.length).toBeGreaterThanOrEqual(5);
    expect(analysed.some((s) => s.maxProbability !== null)).toBe(true);
  });

  it('serves a heatmap PNG per finding with the image aspect, and French text on request', async () => {
    const id = instanceIds()[0]!;
    const r = (await call<AnalysisResult>('analysis:get', { instanceId: id, language: 'fr' }))!;
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
    const before = await call<AnalysisResult>('analysis:get', { instanceId: instanceIds()[1]! });
    const again = await waitJob(await call('analysis:start', { all: true }));
    expect(again.message).toMatch(/0 analysed, 6 already done/);
    const forced = await waitJob(await call('analysis:start', { instanceIds: [instanceIds()[1]!], force: true }));
    expect(forced.message).toMatch(/1 analysed/);
    const after = await call<AnalysisResult>('analysis:get', { instanceId: instanceIds()[1]! });
    expect(after.analysisId).toBe(before.analysisId);
    expect(after.findings[0]!.probability).toBeCloseTo(before.findings[0]!.probability, 6);
    await expect(call('analysis:start', {})).rejects.toThrow(/exactly one of/);
  });

  it("records the reader's decision per finding", async () => {
    const r = await call<AnalysisResult>('analysis:get', { instanceId: instanceIds()[0]! });
    await call('analysis:review', { analysisId: r.analysisId, label: 'Effusion', decision: 'accepted' });
    await call('analysis:review', { analysisId: r.analysisId, label: 'Nodule', decision: 'edited', text: 'Tiny calcified granuloma, left upper zone.' });
    await expect(call('analysis:review', { analysisId: r.analysisId, label: 'Nodule', decision: 'edited' })).rejects.toThrow(/needs the reader/);
    await expect(call('analysis:review', { analysisId: r.analysisId, label: 'Unicorn', decision: 'accepted' })).rejects.toThrow(/no finding "Unicorn"/);
    const after = await call<AnalysisResult>('analysis:get', { instanceId: instanceIds()[0]! });
    expect(after.findings.find((f) => f.label === 'Effusion')!.review).toMatchObject({ decision: 'accepted', text: null });
    expect(after.findings.find((f) => f.label === 'Nodule')!.review).toMatchObject({ decision: 'edited', text: 'Tiny calcified granuloma, left upper zone.' });
    // Both the analysis and the reader's decisions are in the audit log, with the model pack.
    const analysed = await call<{ items: Array<Record<string, unknown>> }>('audit:list', { action: 'analyse', entityId: String(instanceIds()[0]) });
    expect(analysed.items[0]).toMatchObject({ entityType: 'instance', modelPack: r.packId, thresholdVersion: expect.any(String) });
    const edits = await call<{ items: Array<Record<string, unknown>> }>('audit:list', { action: 'edit', entityType: 'finding' });
    expect(edits.items.map((e) => e.entityId)).toEqual(expect.arrayContaining([`${r.analysisId}:Effusion`, `${r.analysisId}:Nodule`]));
  });

  it('calibrates thresholds on the calibration split and uses them for findings', async () => {
    expect(await call('calibration:get', {})).toBeNull();
    const job = await waitJob(await call('calibration:run', { labelsCsv: sharedPath('data', 'nih-cxr14', 'labels.csv') }));
    expect(job.state, job.message ?? '').toBe('done');
    const cal = await call<{ imageCount: number; method: string; labels: { label: string; threshold: number | null; positives: number }[] }>('calibration:get', {});
    expect(cal.imageCount).toBe(80);
    expect(cal.method).toBe('youden');
    expect(cal.labels).toHaveLength(14);
    for (const l of cal.labels) expect(l.threshold === null).toBe(l.positives === 0);
    const r = await call<AnalysisResult>('analysis:get', { instanceId: instanceIds()[0]! });
    for (const f of r.findings) {
      const c = cal.labels.find((l) => l.label === f.label)!;
      if (c.threshold !== null) expect(f).toMatchObject({ threshold: c.threshold, thresholdSource: 'calibration', positive: f.probability >= c.threshold });
      else expect(f.thresholdSource).toBe('default');
    }
  });
});
