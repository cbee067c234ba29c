import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../main/api/dispatch.js';
import type { OperationInput, OperationName, OperationOutput } from '../../main/api/contract.js';
import { resourcePaths } from '../../main/api/resources.js';
import { waitForJob } from '../../main/api/waitForJob.js';
import { createCore, type Core } from '../../main/createCore.js';
import { openDatabase, type DbHandle } from '../../main/db/connection.js';
import { DecodedImages } from '../../main/images/decodedImages.js';
import { ImageReader } from '../../main/images/imageReader.js';
import { DEFAULT_IMPORT_LIMITS } from '../../main/importer/importLimits.js';
import { hasShared, sharedPath } from '../helpers/shared.js';

const NIH = ['00018784_000.png', '00014995_000.png', '00008299_000.png', '00007219_000.png'];

/** A core over a fresh data folder whose decoded-image cache the test holds, so it can count decodes. */
function startCore(modelsDirs: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cxr-import-analysis-'));
  const reader = new ImageReader(() => DEFAULT_IMPORT_LIMITS);
  const images = new DecodedImages(reader);
  const core: Core = createCore({ dataDir, modelsDirs }, { allowMissing: true, images });
  let db: DbHandle | null = null;
  return {
    core,
    dataDir,
    images,
    db: () => (db ??= openDatabase(join(dataDir, 'index.sqlite'))),
    async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      const r = await dispatch(core.api, name, input, { validateOutput: true });
      if (!r.ok) throw new Error(`${name} failed (${r.error.code}): ${r.error.message}`);
      return r.value as OperationOutput<N>;
    },
    async importFolder(paths: string[], analyse?: boolean) {
      const job = await this.call('import:start', { paths, ...(analyse !== undefined ? { analyse } : {}) });
      return waitForJob(core, job.id);
    },
    async close() {
      db?.close();
      await core.close();
      await reader.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The four NIH images, a chest DICOM and a CT slice (which the quality gate must withhold). */
function inbox(root: string, names = NIH, dicom = true): string {
  mkdirSync(root, { recursive: true });
  for (const f of names) copyFileSync(sharedPath('data', 'nih-cxr14', 'images', f), join(root, f));
  if (!dicom) return root;
  copyFileSync(sharedPath('data', 'dicom', 'cxr', 'rsna_CR_jpegbaseline_1024.dcm'), join(root, 'cxr.dcm'));
  copyFileSync(sharedPath('data', 'dicom', 'conformance', 'pydicom-2.3.1-debian', 'test_files', 'CT_small.dcm'), join(root, 'ct.dcm'));
  return root;
}

describe.skipIf(!hasShared)('analysis on import (tiny pack, CPU)', () => {
  let c: ReturnType<typeof startCore>;
  const ids = () => c.db().sqlite.prepare('SELECT id FROM instances ORDER BY id').pluck().all() as number[];
  const studies = () => c.call('studies:list', { sort: { field: 'date', dir: 'desc' }, offset: 0, limit: 100 });

  beforeAll(async () => {
    process.env.CXR_PROVIDER = 'cpu';
    c = startCore([sharedPath('models')]);
    await c.call('models:setSettings', { activePackId: 'cxr14-tiny-test' });
  });
  afterAll(async () => {
    await c?.close();
    delete process.env.CXR_PROVIDER;
  });

  it('is on by default once a pack is installed', async () => {
    expect((await c.call('models:list', {})).analyseOnImport).toBe(true);
  });

  it('analyses every new image in the same pass, from the pixels the import decoded, by the rules of analysis:start', async () => {
    const end = await c.importFolder([inbox(join(c.dataDir, 'in1'))]);
    expect(end.state).toBe('done');
    expect(end.message).toMatch(/^6 imported, 0 updated, 0 skipped, 0 failed; 6 analysed with cxr14-tiny-test \S+ on cpu$/);
    // Nothing was decoded again for analysis: the import's workers decoded each file once, for thumbnail and AI.
    expect(c.images.stats.decoded).toBe(0);

    const results = await Promise.all(ids().map((instanceId) => c.call('analysis:get', { instanceId })));
    expect(results.every((r) => r !== null && r.packId === 'cxr14-tiny-test')).toBe(true);
    // The quality gate: the CT slice is withheld (no findings at all, only the reason); the radiographs are shown.
    const ct = results.filter((r) => r!.quality.flags.some((f) => f.code === 'not_radiograph'));
    expect(ct).toHaveLength(1);
    expect(ct[0]!.status).toBe('withheld');
    expect(ct[0]).not.toHaveProperty('findings');
    expect(results.filter((r) => r!.status === 'shown').length).toBeGreaterThan(0);
    // One audit entry per image analysed, naming the pack; the worklist's AI summary of every study is filled.
    const audit = await c.call('audit:list', { action: 'analyse', limit: 100 });
    expect(audit.items.map((a) => Number(a.entityId)).sort((a, b) => a - b)).toEqual(ids());
    expect(audit.items.every((a) => a.modelPack === 'cxr14-tiny-test')).toBe(true);
    expect((await studies()).items.every((s) => s.aiStatus === 'done')).toBe(true);

    // The viewer finds the import's decoded pixels in the shared cache.
    const px = await c.core.resource(resourcePaths.pixels(ids()[0]!));
    expect(px?.body.length).toBeGreaterThan(1024 * 1024);
    expect(c.images.stats.decoded).toBe(0);

    // analysis:start on the same images gives the same results (one pipeline), again without decoding.
    const probabilities = (r: (typeof results)[number]) => (r!.status === 'shown' ? r!.findings.map((f) => f.probability) : r!.status);
    const before = results.map(probabilities);
    const job = await c.call('analysis:start', { all: true, force: true });
    expect((await waitForJob(c.core, job.id)).message).toMatch(/6 analysed, 0 already done, 0 failed/);
    const again = await Promise.all(ids().map((instanceId) => c.call('analysis:get', { instanceId })));
    again.forEach((r, i) => {
      const now = probabilities(r);
      const was = before[i]!;
      if (typeof now === 'string' || typeof was === 'string') expect(now).toEqual(was);
      else now.forEach((p, k) => expect(p).toBeCloseTo(was[k]!, 6));
    });
    expect(c.images.stats.decoded).toBe(0);
  }, 120_000);

  it('loads no model for files already indexed, and analyses a changed file again from its new pixels', async () => {
    const again = await c.importFolder([join(c.dataDir, 'in1')]);
    expect(again.message).toBe('0 imported, 0 updated, 6 skipped, 0 failed');

    const path = join(c.dataDir, 'in1', NIH[0]!);
    const instanceId = c.db().sqlite.prepare('SELECT id FROM instances WHERE file_path LIKE ?').pluck().get(`%/in1/${NIH[0]}`) as number;
    const old = await c.call('analysis:get', { instanceId });
    writeFileSync(path, await sharp(readFileSync(path)).png({ compressionLevel: 1 }).toBuffer());
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const changed = await c.importFolder([path]);
    expect(changed.message).toMatch(/^0 imported, 1 updated, 0 skipped, 0 failed; 1 analysed with cxr14-tiny-test/);
    const now = await c.call('analysis:get', { instanceId });
    expect(now).not.toBeNull();
    expect(now!.analysisId).not.toBe(old!.analysisId);
  }, 120_000);

  it('follows the site setting, which a request overrides', async () => {
    expect((await c.call('models:setSettings', { analyseOnImport: false })).analyseOnImport).toBe(false);
    const off = await c.importFolder([inbox(join(c.dataDir, 'in2'), ['00000075_000.png'], false)]);
    expect(off.message).toMatch(/^1 imported, 0 updated, 0 skipped, 0 failed$/);
    const newest = Math.max(...ids());
    expect(await c.call('analysis:get', { instanceId: newest })).toBeNull();

    const asked = await c.importFolder([inbox(join(c.dataDir, 'in3'), ['00000100_000.png'], false)], true);
    expect(asked.message).toMatch(/; 1 analysed with cxr14-tiny-test/);
    expect(await c.call('analysis:get', { instanceId: Math.max(...ids()) })).not.toBeNull();
    await c.call('models:setSettings', { analyseOnImport: true });
  }, 120_000);
});

describe.skipIf(!hasShared)('analysis on import without a pack', () => {
  it('imports without analysing, silently by default and saying why when asked', async () => {
    const c = startCore([]);
    try {
      expect((await c.call('models:list', {})).analyseOnImport).toBe(false);
      const quiet = await c.importFolder([inbox(join(c.dataDir, 'in1'), NIH.slice(0, 1))]);
      expect(quiet.state).toBe('done');
      expect(quiet.message).toMatch(/^3 imported, 0 updated, 0 skipped, 0 failed$/);
      const asked = await c.importFolder([inbox(join(c.dataDir, 'in2'), NIH.slice(1, 2), false)], true);
      expect(asked.state).toBe('done');
      expect(asked.message).toMatch(/; not analysed: no model pack/);
    } finally {
      await c.close();
    }
  }, 120_000);
});
