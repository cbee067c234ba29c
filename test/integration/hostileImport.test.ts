import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../main/api/imports.js';
import { AnalysisRepository } from '../../main/db/analysisRepository.js';
import { ImportJobRepository } from '../../main/db/importJobRepository.js';
import { IndexRepository } from '../../main/db/indexRepository.js';
import type { Description } from '../../main/importer/describeImage.js';
import { runImport } from '../../main/importer/importJob.js';
import { DEFAULT_IMPORT_LIMITS } from '../../main/importer/importLimits.js';
import type { DescribeTask } from '../../main/importer/importWorker.js';
import { EventBus } from '../../main/platform/eventBus.js';
import { JobRunner } from '../../main/platform/jobRunner.js';
import { WorkerPool } from '../../main/platform/workerPool.js';
import { DEFLATED_LE, dicomdirReferencing, gradientPixels, imageElements, outOfRangeNumbersDicom, writeDicom } from '../helpers/dicomWriter.js';
import { hasShared, sharedPath } from '../helpers/shared.js';
import { tempCore, type TempCore } from '../helpers/tempCore.js';
import { makeZip } from '../helpers/zip.js';

/** A small good DICOM with its own identity. */
const goodDicom = (suffix: string) => writeDicom(imageElements({ rows: 32, columns: 32, pixels: gradientPixels(32, 32), uidSuffix: suffix }));

/** A DICOM of noise: large once compressed, so reading it from a zip takes many reads. */
function noisyDicom(suffix: string): Buffer {
  const pixels = new Uint8Array(600 * 600);
  let x = 2463534242;
  for (let i = 0; i < pixels.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pixels[i] = x & 0xff;
  }
  return writeDicom(imageElements({ rows: 600, columns: 600, pixels, uidSuffix: suffix }));
}

/** makeZip, then the central directory's declared uncompressed size of member `index` replaced (a lying archive). */
function withDeclaredSize(zip: Buffer, index: number, size: number): Buffer {
  const out = Buffer.from(zip);
  let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  for (let i = 0; i < index; i++) at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4);
  out.writeUInt32LE(size, at + 24);
  const nameLength = out.readUInt16LE(at + 28);
  const local = out.readUInt32LE(at + 42);
  out.writeUInt32LE(size, local + 22);
  void nameLength;
  return out;
}

describe('one bad file never stops an import', () => {
  let t: TempCore;
  let inbox: string;
  beforeAll(() => {
    t = tempCore();
    inbox = mkdtempSync(join(tmpdir(), 'cxr-hostile-'));
  });
  afterAll(() => t?.close());

  const run = async (paths: string[], limits?: Record<string, number>): Promise<{ state: string; report: ImportReport }> => {
    const job = await t.call('import:start', { paths, ...(limits ? { limits } : {}) });
    const end = await t.wait(job.id);
    return { state: end.state, report: await t.call('import:report', { jobId: job.id }) };
  };
  const reasons = (report: ImportReport) => Object.fromEntries([...report.failed, ...report.skippedReasons].map((f) => [f.path, f.reason]));

  it('stores out-of-range InstanceNumber, SeriesNumber and NumberOfFrames as absent, with a warning, and imports the file', async () => {
    const dir = join(inbox, 'numbers');
    mkdirSync(dir);
    writeFileSync(join(dir, 'numbers.dcm'), outOfRangeNumbersDicom('numbers'));
    writeFileSync(join(dir, 'good.dcm'), goodDicom('numbers-good'));
    const { state, report } = await run([dir]);
    expect(state).toBe('done');
    expect(report).toMatchObject({ imported: 2, failedCount: 0 });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]!.path).toBe(join(dir, 'numbers.dcm'));
    expect(report.warnings[0]!.reason).toMatch(/Instance Number \(0020,0013\) 99999999999999999999 is out of range.*stored as absent/);
    const study = (await t.call('studies:list', { text: 'HOSTILE-numbers' })).items.find((s) => s.patientId === 'HOSTILE-numbers')!;
    const instance = (await t.call('studies:get', { studyId: study.id })).series[0]!.instances[0]!;
    expect(instance).toMatchObject({ instanceNumber: null, frames: 1 });
  });

  it('a zip with a corrupt member and members whose sizes lie: the good members arrive, each bad one is named in words', async () => {
    const members = [
      // Large members, read concurrently: a member that fails mid-stream must not disturb the others' reads.
      { name: 'good-1.dcm', data: noisyDicom('zip-1') },
      { name: 'corrupt.dcm', data: noisyDicom('zip-corrupt') },
      { name: 'longer-than-declared.dcm', data: noisyDicom('zip-long') },
      { name: 'shorter-than-declared.dcm', data: noisyDicom('zip-short') },
      { name: 'good-2.dcm', data: noisyDicom('zip-2') },
    ];
    let zip = makeZip(members);
    // Member 1: its deflate stream starts with an invalid block type.
    const corruptAt = zip.indexOf(Buffer.from('corrupt.dcm')) + 'corrupt.dcm'.length;
    zip[corruptAt] = 0x07;
    zip = withDeclaredSize(zip, 2, 100);
    zip = withDeclaredSize(zip, 3, members[3]!.data.length + 1000);
    const path = join(inbox, 'lying.zip');
    writeFileSync(path, zip);
    const { state, report } = await run([path]);
    expect(state).toBe('done');
    expect(report.imported).toBe(2);
    const why = reasons(report);
    expect(why[`${path}!/corrupt.dcm`]).toMatch(/^the zip member's compressed data is damaged \(zlib: invalid block type\)$/);
    expect(why[`${path}!/longer-than-declared.dcm`]).toMatch(/holds more data than the 100 bytes its header declares/);
    expect(why[`${path}!/shorter-than-declared.dcm`]).toMatch(/holds less data than the \d+ bytes its header declares/);
    // Nothing is left to redo: a resume finds nothing.
    expect(await t.call('import:resume', {})).toEqual([]);
  });

  it('refuses, naming the limit, a declared size, a deflated bitmap bomb, a zip bomb and an oversized file, and imports the rest', async () => {
    const dir = join(inbox, 'limits');
    mkdirSync(dir);
    writeFileSync(join(dir, 'declares-huge.dcm'), writeDicom(imageElements({ rows: 60000, columns: 60000, pixels: new Uint8Array(16), uidSuffix: 'huge' })));
    const bits = 8192; // 8 MiB of 1-bit zeros once inflated
    writeFileSync(
      join(dir, 'bitmap-bomb.dcm'),
      writeDicom(imageElements({ rows: bits, columns: bits, bitsAllocated: 1, pixels: new Uint8Array((bits * bits) / 8), uidSuffix: 'bomb' }), DEFLATED_LE),
    );
    writeFileSync(join(dir, 'large.dcm'), writeDicom(imageElements({ rows: 1500, columns: 1500, pixels: gradientPixels(1500, 1500), uidSuffix: 'large' })));
    writeFileSync(join(dir, 'bomb.zip'), makeZip([{ name: 'zeros.dcm', data: new Uint8Array(1.5 * 1024 * 1024) }, { name: 'ok.dcm', data: goodDicom('limits-zip') }]));
    writeFileSync(join(dir, 'good.dcm'), goodDicom('limits-good'));
    const limits = { maxFileBytes: 2 * 1024 * 1024, maxDecodedBytes: 4 * 1024 * 1024 };
    const { state, report } = await run([dir], limits);
    expect(state).toBe('done');
    expect(report.imported).toBe(2);
    const why = reasons(report);
    expect(why[join(dir, 'declares-huge.dcm')]).toMatch(/^the header declares 60000 × 60000 pixels \(3600000000 pixels\): over the limit maxDeclaredPixels = 268435456$/);
    expect(why[join(dir, 'bitmap-bomb.dcm')]).toMatch(/^the deflated data set expands further than allowed: over the limit maxDecodedBytes = 4 MiB$/);
    expect(why[join(dir, 'large.dcm')]).toMatch(/^the file is 2\.1 MiB: over the limit maxFileBytes = 2 MiB$/);
    expect(why[`${join(dir, 'bomb.zip')}!/zeros.dcm`]).toMatch(/^the zip member expands \d+:1 \(\d+ bytes to 1\.5 MiB\): over the limit maxZipRatio = 100$/);
  });

  it("keeps the site's limits in the settings; an import without overrides uses them", async () => {
    const defaults = await t.call('import:limits', {});
    expect(defaults).toMatchObject({ maxFileBytes: 256 * 1024 * 1024, maxZipRatio: 100, maxFileSeconds: 60 });
    const changed = await t.call('import:setLimits', { maxDecodedBytes: 1024 * 1024 });
    expect(changed).toMatchObject({ ...defaults, maxDecodedBytes: 1024 * 1024 });
    const dir = join(inbox, 'site');
    mkdirSync(dir);
    writeFileSync(join(dir, 'medium.dcm'), writeDicom(imageElements({ rows: 512, columns: 512, pixels: gradientPixels(512, 512), uidSuffix: 'site' })));
    const { report } = await run([dir]);
    expect(report.failed[0]?.reason).toMatch(/over the limit maxDecodedBytes = 1 MiB/);
    await t.call('import:setLimits', { maxDecodedBytes: defaults.maxDecodedBytes });
  });

  it('never leaves the folder: DICOMDIR references that climb out are refused, symbolic links named and skipped', async () => {
    const root = join(inbox, 'escape');
    const media = join(root, 'media');
    mkdirSync(join(media, 'IMAGES'), { recursive: true });
    writeFileSync(join(root, 'outside.dcm'), goodDicom('outside'));
    writeFileSync(join(media, 'IMAGES', 'IM1'), goodDicom('media-1'));
    writeFileSync(join(media, 'DICOMDIR'), dicomdirReferencing(['IMAGES\\IM1', '../outside.dcm', 'IMAGES\\..\\..\\outside.dcm']));
    symlinkSync(join(root, 'outside.dcm'), join(media, 'IMAGES', 'link.dcm'));
    symlinkSync(root, join(media, 'loop'));
    const { state, report } = await run([media]);
    expect(state).toBe('done');
    expect(report.imported).toBe(1);
    expect((await t.call('studies:list', { text: 'HOSTILE-outside' })).total).toBe(0);
    const why = reasons(report);
    expect(why[`${join(media, 'DICOMDIR')} → ../outside.dcm`]).toMatch(/DICOMDIR reference not followed: the component "\.\.\/outside\.dcm" is a path/);
    expect(why[`${join(media, 'DICOMDIR')} → IMAGES\\..\\..\\outside.dcm`]).toMatch(/climbs out of the media folder/);
    expect(why[join(media, 'IMAGES', 'link.dcm')]).toMatch(/^a symbolic link \(to .*outside\.dcm\): not followed/);
    expect(why[join(media, 'loop')]).toMatch(/^a symbolic link \(to .*escape\): not followed/);
  });

  it.skipIf(!hasShared)('a file over the per-file time limit fails naming maxFileSeconds; its worker is replaced and the next file imports', async () => {
    const dir = join(inbox, 'slow');
    mkdirSync(dir);
    // Warm the workers (the limit measures files, not worker start-up).
    await run([join(inbox, 'numbers', 'good.dcm')]);
    copyFileSync(sharedPath('data', 'dicom', 'cxr', 'nema_wg04_RG1_J2KI_CR_chest_MONO1_1841x1955.dcm'), join(dir, 'slow-j2k.dcm'));
    // A 1841x1955 JPEG 2000 radiograph takes well over 0.3 s to decode and thumbnail.
    const slow = await run([join(dir, 'slow-j2k.dcm')], { maxFileSeconds: 0.3 });
    expect(slow.state).toBe('done');
    expect(reasons(slow.report)[join(dir, 'slow-j2k.dcm')]).toMatch(
      /^reading it took longer than allowed: over the limit maxFileSeconds = 0\.3 s \(its reader was stopped and replaced\)$/,
    );
    // The pool has its workers again: the next import goes through.
    writeFileSync(join(dir, 'quick.dcm'), goodDicom('quick'));
    expect((await run([join(dir, 'quick.dcm')])).report.imported).toBe(1);
  });
});

/** A data set of `count` empty private elements: a small file that makes a parser build `count` objects. */
function elementBomb(count: number): Buffer {
  const head = writeDicom(imageElements({ rows: 8, columns: 8, pixels: new Uint8Array(64), uidSuffix: 'element-bomb' }));
  const elements = Buffer.alloc(count * 8);
  for (let i = 0; i < count; i++) {
    const group = 0x0009 + 2 * Math.floor(i / 0xff00);
    elements.writeUInt16LE(group, i * 8);
    elements.writeUInt16LE(0x0100 + (i % 0xff00), i * 8 + 2);
    elements.write('LO', i * 8 + 4, 'latin1');
  }
  // Private groups sort between the meta group and (0008,…): put them right after the meta group.
  const metaEnd = 132 + 12 + head.readUInt32LE(140);
  return Buffer.concat([head.subarray(0, metaEnd), elements, head.subarray(metaEnd)]);
}

describe('a worker that dies is replaced, and the file that killed it is failed', () => {
  it('a file that exhausts a reader\'s heap fails with "ran out of memory"; the other files import', async () => {
    const t = tempCore();
    const dir = mkdtempSync(join(tmpdir(), 'cxr-oom-'));
    writeFileSync(join(dir, 'a-good.dcm'), goodDicom('oom-a'));
    writeFileSync(join(dir, 'b-element-bomb.dcm'), elementBomb(1_500_000));
    writeFileSync(join(dir, 'c-good.dcm'), goodDicom('oom-c'));
    // The real reader module, with a small heap so the bomb exhausts it quickly.
    const workerUrl = new URL('../../main/importer/importWorker.ts', import.meta.url);
    const pool = new WorkerPool<DescribeTask, Description>(workerUrl, 1, 2, { resourceLimits: { maxOldGenerationSizeMb: 64 }, announcesReady: true });
    try {
      // The import job itself, wired as createCore wires it, with this pool (over a second connection to the database).
      const db = t.db();
      const deps = {
        importJobs: new ImportJobRepository(db),
        index: new IndexRepository(db),
        analyses: new AnalysisRepository(db),
        dataDir: t.dataDir,
        events: new EventBus(),
        pool,
        limits: DEFAULT_IMPORT_LIMITS,
      };
      const runner = new JobRunner(deps.events);
      const job = runner.start('import', (control) => runImport(deps, { roots: [dir] }, control));
      expect((await runner.wait(job.id)).state).toBe('done');
      const report = await t.call('import:report', { jobId: job.id });
      expect(report.imported).toBe(2);
      expect(report.failed).toEqual([
        { path: join(dir, 'b-element-bomb.dcm'), reason: 'the reader ran out of memory while reading this file (the reader was replaced; the import went on)' },
      ]);
    } finally {
      await pool.close();
      await t.close();
    }
  });
});

describe('a file that stopped the whole process is not retried forever', () => {
  it('on resume, a file in flight at one crash is retried alone; a file in flight at two crashes is failed and skipped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cxr-killer-'));
    const folder = mkdtempSync(join(tmpdir(), 'cxr-killer-in-'));
    for (const name of ['done', 'once', 'twice', 'never']) writeFileSync(join(folder, `${name}.dcm`), goodDicom(`killer-${name}`));

    // A launch that "died" while reading: done.dcm was recorded; once.dcm was in flight at one crash, twice.dcm at two.
    let t = tempCore({ dataDir });
    const jobs = new ImportJobRepository(t.db());
    jobs.create('killed-job', [folder]);
    jobs.beginAttempt('killed-job', join(folder, 'done.dcm'));
    jobs.recordItem('killed-job', join(folder, 'done.dcm'), 'skipped', 'recorded before the crash');
    jobs.beginAttempt('killed-job', join(folder, 'once.dcm'));
    jobs.beginAttempt('killed-job', join(folder, 'twice.dcm'));
    jobs.beginAttempt('killed-job', join(folder, 'twice.dcm'));
    expect([...jobs.interruptedAttempts('killed-job')]).toEqual(
      expect.arrayContaining([
        [join(folder, 'once.dcm'), 1],
        [join(folder, 'twice.dcm'), 2],
      ]),
    );
    await t.close();

    t = tempCore({ dataDir });
    try {
      expect((await t.call('import:resume', {})).map((j) => j.id)).toEqual(['killed-job']);
      await t.wait('killed-job');
      const report = await t.call('import:report', { jobId: 'killed-job' });
      expect(report).toMatchObject({ state: 'done', imported: 2, failedCount: 1 });
      expect(report.failed[0]).toEqual({
        path: join(folder, 'twice.dcm'),
        reason: 'the import process stopped 2 times while reading this file (it may exhaust memory or crash the reader): not tried again',
      });
      expect(new ImportJobRepository(t.db()).interruptedAttempts('killed-job').size).toBe(0);
      expect(await t.call('import:resume', {})).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
