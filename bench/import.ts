/**
 * Import benchmark: `npx tsx bench/import.ts [--files 10000] [--keep]`.
 * Imports ≥10,000 files (the 200 NIH PNGs and the real chest DICOMs, repeated with new identities) through the
 * core's import job, and compares with a baseline that only reads and decodes the same files with the same number of
 * worker threads. Goals: ≥150 files/s and ≤1.5× the baseline's time.
 */
import { waitForJob } from '../main/api/waitForJob.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../main/platform/workerPool.js';
import { createCore } from '../main/createCore.js';
import { sharedDir, hasShared } from '../test/helpers/shared.js';
import { buildCorpus } from './corpus.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--files', 10_000);

if (!hasShared) {
  console.log(`import: skipped (${sharedDir} not found)`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'cxr-bench-import-'));
try {
  let t = performance.now();
  const corpus = buildCorpus(sharedDir, join(work, 'corpus'), count);
  console.log(`corpus: ${corpus.files.length} files (${corpus.pngs} PNG, ${corpus.dicoms} DICOM) written in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Baseline: read + decode each file, same worker count and in-flight depth as the importer.
  const pool = new WorkerPool<string, number>(new URL(`./decodeWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  await Promise.all(corpus.files.slice(0, pool.capacity).map((f) => pool.run(f))); // warm up the workers
  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: pool.capacity + 1 }, async () => {
      while (next < corpus.files.length) await pool.run(corpus.files[next++]!);
    }),
  );
  const baseline = (performance.now() - t) / 1000;
  await pool.close();

  const core = createCore({ dataDir: join(work, 'data'), modelsDirs: [] }, { allowMissing: true });
  const warm = await core.api['import:start']({ paths: corpus.files.slice(0, 4) });
  await waitForJob(core, warm.id); // start the import workers outside the timing, as the baseline's were
  t = performance.now();
  const job = await core.api['import:start']({ paths: [join(work, 'corpus')] });
  const end = await waitForJob(core, job.id);
  const ours = (performance.now() - t) / 1000;
  const report = await core.api['import:report']({ jobId: job.id });
  await core.close();

  const rate = corpus.files.length / ours;
  console.log(`workers: ${pool.size} (cores: ${availableParallelism()})`);
  console.log(`baseline read+decode: ${baseline.toFixed(1)} s, ${(corpus.files.length / baseline).toFixed(1)} files/s`);
  console.log(`import (hash, parse, decode, thumbnail, index): ${ours.toFixed(1)} s, ${rate.toFixed(1)} files/s — ${end.state}: ` +
    `${report.imported} imported, ${report.skipped} skipped, ${report.failedCount} failed`);
  console.log(`import: ${rate.toFixed(1)} files/s (goal >= 150), ratio to read+decode ${(ours / baseline).toFixed(2)}x (goal <= 1.5x)`);
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
