import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePixels } from '../../main/api/pixelFormat.js';
import { ImportJobRepository } from '../../main/db/importJobRepository.js';
import { hasShared, sharedPath } from '../helpers/shared.js';
import { tempCore, type TempCore } from '../helpers/tempCore.js';
import { makeZip } from '../helpers/zip.js';
import { gradientPixels, imageElements, writeDicom } from '../helpers/dicomWriter.js';

const NIH = sharedPath('data', 'nih-cxr14');
const CXR = sharedPath('data', 'dicom', 'cxr');
const nihNames = hasShared ? readdirSync(join(NIH, 'images')).sort() : [];

/** A folder laid out like a site's share: NIH PNGs with their label files, chest DICOMs, a zip, and bad files. */
function buildInbox(): { root: string; pngs: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'cxr-inbox-'));
  mkdirSync(join(root, 'nih', 'images'), { recursive: true });
  copyFileSync(join(NIH, 'labels.csv'), join(root, 'nih', 'labels.csv'));
  copyFileSync(join(NIH, 'bboxes.csv'), join(root, 'nih', 'bboxes.csv'));
  copyFileSync(join(NIH, 'Data_Entry_2017_v2020.csv.gz'), join(root, 'nih', 'Data_Entry_2017_v2020.csv.gz'));
  const pngs = ['00001369_000.png', ...nihNames.filter((n) => n !== '00001369_000.png').slice(0, 5)];
  for (const n of pngs) copyFileSync(join(NIH, 'images', n), join(root, 'nih', 'images', n));
  mkdirSync(join(root, 'dicom'));
  for (const n of readdirSync(CXR).filter((n) => n.endsWith('.dcm'))) copyFileSync(join(CXR, n), join(root, 'dicom', n));
  const j2k = readFileSync(join(CXR, 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm'));
  writeFileSync(join(root, 'dicom', 'truncated.dcm'), j2k.subarray(0, 3000));
  writeFileSync(join(root, 'dicom', 'empty.dcm'), Buffer.alloc(0));
  writeFileSync(join(root, 'dicom', 'notes.dcm'), 'this is a text file with a DICOM extension\n');
  writeFileSync(join(root, 'dicom', 'README.txt'), 'not an image');
  const conformance = sharedPath('data', 'dicom', 'conformance', 'dicomParser', 'CT1_UNC.explicit_little_endian.dcm');
  writeFileSync(join(root, 'batch.zip'), makeZip([{ name: 'inner/ct1.dcm', data: readFileSync(conformance) }, { name: 'inner/readme.md', data: Buffer.from('x') }]));
  return { root, pngs };
}

describe.skipIf(!hasShared)('import into the index (real files)', () => {
  let t: TempCore;
  let inbox: { root: string; pngs: string[] };
  let changed: number[] = [];

  beforeAll(() => {
    t = tempCore();
    inbox = buildInbox();
    t.core.subscribe('studies:onDidChange', (e) => changed.push(...e.studyIds));
  });
  afterAll(() => t?.close());

  const runImport = async (paths: string[], analyse?: boolean) => {
    const job = await t.call('import:start', { paths, ...(analyse === undefined ? {} : { analyse }) });
    const end = await t.wait(job.id);
    return { end, report: await t.call('import:report', { jobId: job.id }) };
  };

  it('imports PNGs with their sidecar labels, DICOMs, zip members, and names every bad file with a reason', async () => {
    const { end, report } = await runImport([inbox.root]);
    expect(end.state).toBe('done');
    expect(end.total).toBeGreaterThanOrEqual(13);
    expect(report.imported).toBe(inbox.pngs.length + 4 + 1);
    const failed = Object.fromEntries(report.failed.map((f) => [f.path.slice(inbox.root.length + 1), f.reason]));
    expect(Object.keys(failed).sort()).toEqual(['dicom/empty.dcm', 'dicom/notes.dcm', 'dicom/truncated.dcm']);
    expect(failed['dicom/empty.dcm']).toMatch(/empty/);
    expect(failed['dicom/notes.dcm']).toMatch(/not an image/);
    expect(failed['dicom/truncated.dcm']).toMatch(/truncat|corrupt|overrun|short|incomplete/i);
    expect(report.failedCount).toBe(3);
    // The job's own count says what the report says (the UI shows both).
    expect(end.failed).toBe(report.failedCount);
    const skipped = report.skippedReasons.map((s) => s.path.slice(inbox.root.length + 1));
    expect(skipped).toEqual(expect.arrayContaining(['dicom/README.txt', 'nih/labels.csv', 'batch.zip!/inner/readme.md']));
    expect(changed.length).toBeGreaterThan(0);
  });

  it('lists the studies in the worklist with demographics, and filters by reference finding', async () => {
    const page = await t.call('studies:list', { limit: 100 });
    expect(page.total).toBe(inbox.pngs.length + 5);
    const cardio = await t.call('studies:list', { finding: 'Cardiomegaly' });
    expect(cardio.items.map((s) => s.patientId)).toContain('00001369');
    expect((await t.call('studies:list', { text: 'CompressedSamples' })).total).toBe(2); // RG1 and the zipped CT1
    const j2k = (await t.call('studies:list', { text: 'RG1' })).items;
    expect(j2k).toHaveLength(1);
    expect(j2k[0]).toMatchObject({ patientName: 'CompressedSamples, RG1', sex: 'F', date: '2004-08-26', modalities: ['CR'] });
  });

  it('stores NIH reference findings, expert boxes and the derived pixel spacing', async () => {
    const study = (await t.call('studies:list', { text: '00001369' })).items[0]!;
    const detail = await t.call('studies:get', { studyId: study.id });
    const inst = detail.series[0]!.instances[0]!;
    expect(inst.referenceFindings.find((r) => r.label === 'Cardiomegaly')?.box?.w).toBeCloseTo(553.72, 1);
    expect(inst.pixelSpacingMm![0]).toBeGreaterThan(0.2);
    expect(inst.pixelSpacingMm![0]).toBeLessThan(0.5);
    expect(inst.spacingSource).toBe('ImagerPixelSpacing');
    expect(detail.patientId).toBe('00001369');
    const audit = await t.call('audit:list', { studyId: study.id, action: 'view' });
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items[0]).toMatchObject({ action: 'view', entityType: 'study' });
  });

  it('serves a thumbnail and viewer pixels by URL, inverting MONOCHROME1 in the header', async () => {
    const study = (await t.call('studies:list', { text: 'RG1' })).items[0]!;
    const inst = (await t.call('studies:get', { studyId: study.id })).series[0]!.instances[0]!;
    const thumb = await t.core.resource(inst.thumbnail);
    expect(thumb?.contentType).toBe('image/png');
    const meta = await sharp(thumb!.body).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(256);
    const pixels = await t.core.resource(inst.pixels);
    const { header, stored } = decodePixels(pixels!.body);
    expect(header).toMatchObject({ width: 1841, height: 1955, invert: true });
    expect(stored.length).toBe(1841 * 1955);
    expect(header.max).toBeGreaterThan(header.min);
    expect(await t.core.resource('/files/instances/999999/pixels')).toBeNull();
    expect(await t.core.resource('/files/instances/../../etc/passwd')).toBeNull();
  });

  it('a mistyped path ends the job at once, counted as failed, with the reason in the report', async () => {
    const typo = join(inbox.root, 'no-such-folder');
    const { end, report } = await runImport([typo, join(inbox.root, 'dicom', 'README.txt')]);
    expect(end).toMatchObject({ state: 'done', total: 0, failed: 1 });
    expect(report.failedCount).toBe(1);
    expect(report.failed).toEqual([{ path: typo, reason: 'no such file or folder' }]);
    expect(end.message).toBe('0 imported, 0 updated, 1 skipped, 1 failed');
  });

  it('re-importing the same files does nothing', async () => {
    const before = (await t.call('studies:list', {})).total;
    const { report } = await runImport([inbox.root]);
    expect(report.imported).toBe(0);
    expect(report.updated).toBe(0);
    expect(report.skipped).toBeGreaterThanOrEqual(inbox.pngs.length + 5);
    expect((await t.call('studies:list', {})).total).toBe(before);
  });

  it('detects a changed file, re-indexes it in place and forgets the AI results of its old pixels', async () => {
    const path = join(inbox.root, 'nih', 'images', inbox.pngs[1]!);
    const study = (await t.call('studies:list', { text: inbox.pngs[1]!.slice(0, 8) })).items[0]!;
    const instanceId = (await t.call('studies:get', { studyId: study.id })).series[0]!.instances[0]!.id;
    const analysis = await t.call('analysis:start', { instanceIds: [instanceId], packId: 'cxr14-tiny-test' });
    expect((await t.wait(analysis.id)).state).toBe('done');
    expect((await t.call('studies:get', { studyId: study.id })).aiStatus).toBe('done');

    const rewritten = await sharp(readFileSync(path)).png({ compressionLevel: 1 }).toBuffer();
    writeFileSync(path, rewritten);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    // Without analysis in the same pass (test/integration/analysisOnImport.test.ts re-analyses a changed file).
    const { report } = await runImport([path], false);
    expect(report).toMatchObject({ imported: 0, updated: 1 });
    expect(await t.call('analysis:get', { instanceId })).toBeNull();
    expect((await t.call('studies:get', { studyId: study.id })).aiStatus).toBe('none');
  });
});

describe.skipIf(!hasShared)('long imports: cancel and resume', () => {
  it('a cancelled import keeps what it stored; running it again completes without duplicates', async () => {
    const t = tempCore();
    try {
      const images = join(NIH, 'images');
      const job = await t.call('import:start', { paths: [images] });
      const unsubscribe = t.core.subscribe('jobs:onDidProgress', (j) => {
        if (j.id === job.id && j.done >= 5) void t.call('jobs:cancel', { jobId: job.id });
      });
      const end = await t.wait(job.id);
      unsubscribe();
      expect(end.state).toBe('cancelled');
      const partial = (await t.call('studies:list', {})).total;
      expect(partial).toBeGreaterThanOrEqual(5);
      expect(partial).toBeLessThan(nihNames.length);
      expect((await t.call('import:report', { jobId: job.id })).state).toBe('cancelled');

      const again = await t.call('import:start', { paths: [images] });
      await t.wait(again.id);
      const report = await t.call('import:report', { jobId: again.id });
      expect(report.imported + report.skipped).toBe(nihNames.length);
      expect((await t.call('studies:list', {})).total).toBe(nihNames.length);
    } finally {
      await t.close();
    }
  });

  it('a job a crash left running is resumed under its id, redoing nothing already recorded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cxr-crash-'));
    const folder = mkdtempSync(join(tmpdir(), 'cxr-crash-in-'));
    for (const n of nihNames.slice(0, 8)) copyFileSync(join(NIH, 'images', n), join(folder, n));

    // First launch: import 3 of the files, then "crash" — the job row stays 'running'.
    let t = tempCore({ dataDir });
    const first = await t.call('import:start', { paths: nihNames.slice(0, 3).map((n) => join(folder, n)) });
    await t.wait(first.id);
    const jobs = new ImportJobRepository(t.db());
    jobs.create('crashed-job', [folder]);
    for (const n of nihNames.slice(0, 3)) jobs.recordItem('crashed-job', join(folder, n), 'imported');
    await t.close();

    // Next launch: resume finds the job and finishes the other 5 files.
    t = tempCore({ dataDir });
    try {
      const resumed = await t.call('import:resume', {});
      expect(resumed.map((j) => j.id)).toEqual(['crashed-job']);
      await t.wait('crashed-job');
      const report = await t.call('import:report', { jobId: 'crashed-job' });
      expect(report).toMatchObject({ state: 'done', imported: 8, failedCount: 0 });
      expect((await t.call('studies:list', {})).total).toBe(8);
      expect(await t.call('import:resume', {})).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('patient identity through the import pipeline', () => {
  it('keeps studies without a Patient ID apart: none is another one\'s prior', async () => {
    const t = tempCore();
    try {
      const folder = join(t.dataDir, 'anonymised');
      mkdirSync(folder);
      const anonymised = (suffix: string) =>
        writeDicom(
          imageElements({
            rows: 32,
            columns: 32,
            pixels: gradientPixels(32, 32),
            uidSuffix: suffix,
            extra: [
              { tag: '0010,0010', vr: 'PN', value: '' },
              { tag: '0010,0020', vr: 'LO', value: '' },
            ],
          }),
        );
      writeFileSync(join(folder, 'chest.dcm'), anonymised('71'));
      writeFileSync(join(folder, 'echo.dcm'), anonymised('72'));
      const job = await t.call('import:start', { paths: [folder] });
      expect((await t.wait(job.id)).state).toBe('done');
      const page = await t.call('studies:list', { sort: { field: 'date', dir: 'desc' }, offset: 0, limit: 10 });
      expect(page.items).toHaveLength(2);
      expect(new Set(page.items.map((s) => s.patientRowId)).size).toBe(2);
      for (const s of page.items) {
        expect(s.patientId).toBe('');
        const priors = await t.call('priors:get', { studyId: s.id });
        expect(priors.studies.map((p) => p.studyId)).toEqual([s.id]);
      }
    } finally {
      await t.close();
    }
  });
});
