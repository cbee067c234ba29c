/**
 * Hostile import benchmark: `npx tsx bench/hostileImport.ts [--keep]` (after `npm run build`; `npm run bench --
 * hostileImport` builds first). Generates the corpus of bench/hostileCorpus.ts in a temporary folder (bombs, huge
 * declared sizes, corrupt and lying zips, truncations, escapes, byte flips of the real files, beside good files),
 * imports it in a process of its own, and compares with a baseline: the same import of the good files alone.
 *
 * Prints files, imported, rejected (each with its reason, grouped), crashes, hangs and the peak RSS of the whole
 * import process (main thread + worker threads). Goals: peak RSS under 1.5 GB, every good file imported, every bad
 * file named with a reason, no crash, no file over its time limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportReport } from '../main/api/imports.js';
import { hasShared, sharedDir } from '../test/helpers/shared.js';
import { buildHostileCorpus } from './hostileCorpus.js';

const RSS_GOAL_MB = 1536;

if (!hasShared) {
  console.log(`hostileImport: skipped (${sharedDir} not found)`);
  process.exit(0);
}

interface ChildResult {
  state: string;
  message: string | null;
  report: ImportReport;
  imported: string[];
  seconds: number;
  peakRssKb: number;
}

/** Runs one import in a fresh process; a process that dies (killed for memory, say) is reported as such. */
function importInChild(dataDir: string, roots: string[]): ChildResult | { died: string } {
  const child = fileURLToPath(new URL('./hostileImportChild.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, dataDir, ...roots], { encoding: 'utf8', timeout: 20 * 60 * 1000, maxBuffer: 64 * 1024 * 1024 });
  const line = r.stdout?.trim().split('\n').pop();
  if (r.status !== 0 || !line) return { died: `exit ${r.status ?? r.signal}${r.stderr ? `: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` };
  return JSON.parse(line) as ChildResult;
}

const mb = (kb: number) => kb / 1024;
const work = mkdtempSync(join(tmpdir(), 'cxr-bench-hostile-'));
try {
  let t = performance.now();
  const corpus = await buildHostileCorpus(sharedDir, join(work, 'corpus'));
  console.log(
    `corpus: ${corpus.good.length} good, ${corpus.bad.length} bad, ${corpus.flipped.length} byte-flipped, ` +
      `generated in ${((performance.now() - t) / 1000).toFixed(1)} s under ${corpus.root}`,
  );

  t = performance.now();
  const clean = importInChild(join(work, 'data-clean'), [corpus.clean]);
  if ('died' in clean) throw new Error(`the baseline import died: ${clean.died}`);
  console.log(
    `baseline (good files alone): ${clean.report.imported} imported, ${clean.report.failedCount} failed, ` +
      `${clean.seconds.toFixed(1)} s, peak RSS ${mb(clean.peakRssKb).toFixed(0)} MB`,
  );

  const hostile = importInChild(join(work, 'data-hostile'), [corpus.clean, corpus.hostile]);
  if ('died' in hostile) {
    console.log(`hostile import: the import process died (${hostile.died})`);
    console.log(`hostileImport: FAILED — the process died; goal: peak RSS < ${RSS_GOAL_MB} MB with every good file imported`);
    process.exit(1);
  }
  const { report } = hostile;
  const named = new Map([...report.failed, ...report.skippedReasons].map((f) => [f.path, f.reason]));
  const imported = new Set(hostile.imported);
  const files = report.imported + report.updated + report.skipped + report.failedCount;
  const crashes = [...named.values()].filter((r) => /crashed|ran out of memory|stopped unexpectedly|process stopped/.test(r)).length;
  const hangs = [...named.values()].filter((r) => /maxFileSeconds/.test(r)).length;
  const goodMissing = corpus.good.filter((p) => !imported.has(p));
  const badUnnamed = corpus.bad.filter((b) => !named.has(b.path) || imported.has(b.path));
  const flippedImported = corpus.flipped.filter((p) => imported.has(p)).length;
  const flippedNamed = corpus.flipped.filter((p) => named.has(p)).length;
  const flippedLost = corpus.flipped.length - flippedImported - flippedNamed;
  const escaped = corpus.outside.filter((p) => imported.has(p));

  console.log(`hostile import: ${hostile.state}, ${hostile.seconds.toFixed(1)} s`);
  console.log(`  files ${files}: imported ${report.imported}, rejected ${report.failedCount} failed + ${report.skippedReasons.length} skipped with a reason`);
  // Reasons grouped by their wording up to the first number or path, so the list stays readable.
  const groups = new Map<string, number>();
  for (const reason of named.values()) {
    const key = reason.replace(/\/[^\s)]*/g, '…').replace(/\d[\d.,x×]*/g, 'N').slice(0, 110);
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(3)} × ${key}`);
  for (const b of corpus.bad) console.log(`  bad: ${b.what}: ${named.get(b.path) ?? (imported.has(b.path) ? 'IMPORTED' : 'NOT NAMED')}`);
  console.log(`  good files imported: ${corpus.good.length - goodMissing.length}/${corpus.good.length}${goodMissing.length ? ` (missing: ${goodMissing.join(', ')})` : ''}`);
  console.log(`  bad files named with a reason: ${corpus.bad.length - badUnnamed.length}/${corpus.bad.length}`);
  console.log(`  byte-flipped: ${flippedImported} imported, ${flippedNamed} rejected with a reason, ${flippedLost} unaccounted`);
  console.log(`  files outside the imported folders imported: ${escaped.length}`);
  console.log(`  crashes: ${crashes}, hangs (over maxFileSeconds): ${hangs}`);
  console.log(`  peak RSS (main + workers): ${mb(hostile.peakRssKb).toFixed(0)} MB`);

  const ok =
    hostile.state === 'done' && mb(hostile.peakRssKb) < RSS_GOAL_MB && !goodMissing.length && !badUnnamed.length && !flippedLost && !escaped.length && !crashes && !hangs;
  console.log(
    `hostileImport: ${ok ? 'ok' : 'GOAL MISSED'} — peak RSS ${mb(hostile.peakRssKb).toFixed(0)} MB (goal < ${RSS_GOAL_MB}), ` +
      `good ${corpus.good.length - goodMissing.length}/${corpus.good.length}, bad named ${corpus.bad.length - badUnnamed.length}/${corpus.bad.length}, ` +
      `crashes ${crashes}, hangs ${hangs}; ratio to the clean run: RSS ${(hostile.peakRssKb / clean.peakRssKb).toFixed(2)}x, time ${(hostile.seconds / clean.seconds).toFixed(2)}x`,
  );
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
