/**
 * Retrieval quality of similar-case search on the 200 NIH ChestX-ray14 images: precision@5 of label overlap
 * (a neighbour counts when it shares a positive label with the query, or both are normal) against the random
 * baseline, with embeddings of a model pack computed here by onnxruntime-node (the pack's preprocessing: displayed
 * grayscale [0,1] → 224×224 bilinear → 3 channels → mean/std from the manifest).
 *
 *   npx tsx bench/searchQuality.ts [--pack cxr14-densenet121-demo] [--k 5]
 *
 * Embeddings are cached in the OS temp folder by the model's sha256, so a second run takes seconds.
 * Note: the demo pack was trained on 420 NIH images that may include some of these 200; the number says how well
 * the embedding groups findings, not how it generalises.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readManifest } from '../main/inference/manifest.js';
import { preprocess } from '../main/inference/preprocess.js';
import { readGrayFile } from '../main/inference/readGrayFile.js';
import { ExactIndex } from '../main/search/exactIndex.js';
import { precisionAtK } from '../main/search/retrievalQuality.js';
import { sharedDir } from '../test/helpers/shared.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const packName = opt('--pack', 'cxr14-densenet121-demo');
const K = Number(opt('--k', '5'));
const packDir = resolve(sharedDir, 'models', packName);
const dataDir = resolve(sharedDir, 'data', 'nih-cxr14');
if (!existsSync(join(packDir, 'manifest.json')) || !existsSync(join(dataDir, 'labels.csv'))) {
  console.log(`skipped: ${packDir} or ${dataDir}/labels.csv not found (../shared is needed)`);
  process.exit(0);
}

const manifest = await readManifest(packDir);
const lines = readFileSync(join(dataDir, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
const header = lines[0]!.split(',');
const col = (name: string) => header.indexOf(name);
const rows = lines.slice(1).map((l) => l.split(','));
const images = rows.map((r) => r[col('image')]!);
const patients = rows.map((r) => r[col('patient_id')]!);
const labelSets = rows.map((r) => new Set(r[col('finding_labels')]!.split('|').filter((l) => l && l !== 'No Finding')));

const cache = join(tmpdir(), `cxr-quality-${manifest.sha256.slice(0, 16)}-${images.length}.f32`);
let dim = 0;
let matrix: Float32Array;
if (existsSync(cache)) {
  const buf = readFileSync(cache);
  matrix = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice();
  dim = matrix.length / images.length;
  console.log(`embeddings from cache ${cache}`);
} else {
  const session = await ort.InferenceSession.create(join(packDir, manifest.file));
  const started = performance.now();
  const parts: Float32Array[] = [];
  const batch = 8;
  for (let start = 0; start < images.length; start += batch) {
    const names = images.slice(start, start + batch);
    const plane = 3 * manifest.input.width * manifest.input.height;
    const input = new Float32Array(names.length * plane);
    for (let i = 0; i < names.length; i++) {
      const { tensor } = await preprocess(await readGrayFile(join(dataDir, 'images', names[i]!)), manifest);
      input.set(tensor, i * plane);
    }
    const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', input, [names.length, 3, manifest.input.height, manifest.input.width]) });
    const emb = out.embedding!;
    dim = Number(emb.dims[1]);
    parts.push(emb.data as Float32Array);
    process.stdout.write(`\r  embedded ${Math.min(images.length, start + batch)}/${images.length}`);
  }
  await session.release();
  matrix = new Float32Array(images.length * dim);
  let o = 0;
  for (const p of parts) {
    matrix.set(p, o);
    o += p.length;
  }
  writeFileSync(cache, Buffer.from(matrix.buffer));
  console.log(`\n  ${images.length} embeddings of ${dim} in ${((performance.now() - started) / 1000).toFixed(0)} s (cached in ${cache})`);
}

if (args.includes('--center')) {
  // Experiment: subtract the mean embedding (GAP features of ReLU maps share a large common component).
  const mean = new Float64Array(dim);
  for (let i = 0; i < matrix.length; i++) mean[i % dim] = mean[i % dim]! + matrix[i]! / images.length;
  for (let i = 0; i < matrix.length; i++) matrix[i] = matrix[i]! - mean[i % dim]!;
  console.log('  embeddings centred on their mean');
}
const ids = images.map((_, i) => i + 1);
const index = new ExactIndex(dim, ids, matrix);
const neighbours = images.map((_, q) => {
  // Leave out the query and any image of the same patient (a follow-up would be an unfair neighbour).
  const excluded = new Set(ids.filter((_, j) => patients[j] === patients[q]));
  return index.search(matrix.subarray(q * dim, (q + 1) * dim), K, { excluded }).map((n) => n.id - 1);
});
const report = precisionAtK(labelSets, neighbours, K);
const normal = labelSets.filter((s) => s.size === 0).length;
console.log(`${packName} ${manifest.version}: ${images.length} NIH images (${normal} normal), embedding ${dim}-d, cosine, same patient excluded`);
console.log(`  precision@${K} of label overlap: ${report.precision.toFixed(3)}`);
console.log(`  random baseline:                 ${report.randomBaseline.toFixed(3)}`);
console.log(`  ratio:                           ${(report.precision / report.randomBaseline).toFixed(2)}x`);
// Split abnormal vs normal queries: normal images are common, so the overall figure leans on them.
for (const [name, keep] of [
  ['abnormal queries', (s: Set<string>) => s.size > 0],
  ['normal queries', (s: Set<string>) => s.size === 0],
] as const) {
  const idx = labelSets.map((s, i) => (keep(s) ? i : -1)).filter((i) => i >= 0);
  const p = idx.reduce((sum, q) => sum + neighbours[q]!.filter((j) => {
    const a = labelSets[q]!;
    const b = labelSets[j]!;
    return a.size === 0 || b.size === 0 ? a.size === 0 && b.size === 0 : [...a].some((l) => b.has(l));
  }).length / K, 0) / idx.length;
  const base = idx.reduce((sum, q) => {
    let rel = 0;
    for (let j = 0; j < images.length; j++) {
      if (j === q) continue;
      const a = labelSets[q]!;
      const b = labelSets[j]!;
      if (a.size === 0 || b.size === 0 ? a.size === 0 && b.size === 0 : [...a].some((l) => b.has(l))) rel++;
    }
    return sum + rel / (images.length - 1);
  }, 0) / idx.length;
  console.log(`  ${name.padEnd(17)} (${idx.length}): precision@${K} ${p.toFixed(3)} vs random ${base.toFixed(3)}`);
}
