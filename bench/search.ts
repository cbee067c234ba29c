/**
 * Similar-case search benchmark: top-10 latency over synthetic 1024-d embeddings at 100,000 and 1,000,000 rows,
 * exact (float32 and int8 matrices, usearch SIMD kernel; the plain TypeScript loop as baseline) and approximate
 * (usearch HNSW, int8 storage, candidates re-scored exactly), recall@10 of each against exact float32, memory.
 *
 *   npx tsx bench/search.ts [--sizes 100000,1000000] [--queries 100] [--graph-budget-s 150] [--graph-max N]
 *
 * Synthetic data: a low-dimensional manifold (500 cluster centres + an 8-d latent basis + small noise) in 1024-d,
 * which is how CNN embeddings behave; isotropic noise would make every method look equally bad.
 * Building an HNSW graph costs O(n log n) distance computations; on a shared 2-core machine a 1,000,000-row graph
 * does not fit a 10-minute run, so the graph is built on the largest prefix that fits --graph-budget-s (measured
 * rate on the first 20,000 rows, extrapolated) and the size used is printed.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApproximateIndex } from '../main/search/approximateIndex.js';
import { EmbeddingIndex } from '../main/search/embeddingIndex.js';
import { ExactIndex, type Neighbour } from '../main/search/exactIndex.js';
import { clusteredVectors } from '../main/search/testVectors.js';
import { TopK } from '../main/search/topK.js';
import { int8Scale, normalized, quantizeInt8 } from '../main/search/vectors.js';

const usearch = createRequire(import.meta.url)('usearch') as typeof import('usearch');

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const SIZES = opt('--sizes', '100000,1000000').split(',').map(Number);
const QUERIES = Number(opt('--queries', '100'));
const GRAPH_BUDGET_S = Number(opt('--graph-budget-s', '100'));
const GRAPH_MAX = Number(opt('--graph-max', '1000000'));
const DIM = 1024;
const K = 10;
const SEED = 7;
const CHUNK = 100_000;
const GRAPH = { connectivity: 16, expansionAdd: 64, expansionSearch: 128, quantization: 'i8' as const };
const started = performance.now();

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

function timeQueries(queries: Float32Array, count: number, fn: (q: Float32Array) => unknown): { median: number; p95: number } {
  fn(queries.subarray(0, DIM)); // warm-up
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const q = queries.subarray(i * DIM, (i + 1) * DIM);
    const t = performance.now();
    fn(q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]! };
}

function recall(truth: number[][], got: (q: number) => number[]): number {
  let hits = 0;
  for (let q = 0; q < truth.length; q++) {
    const t = new Set(truth[q]);
    hits += got(q).filter((id) => t.has(id)).length;
  }
  return hits / (truth.length * K);
}

function row(label: string, lat: { median: number; p95: number } | null, extra = '') {
  const l = lat ? `${lat.median.toFixed(2).padStart(8)} ms median ${lat.p95.toFixed(2).padStart(8)} ms p95` : ''.padEnd(38);
  console.log(`  ${label.padEnd(44)}${l}  ${extra}`);
}

/**
 * Generates `n` rows chunk by chunk: each chunk is normalised, quantised into one int8 matrix, offered to `onChunk`
 * (graph building) and scanned exactly in float32 for every query to keep the true top-10 (also at `snapshotAt`).
 */
function generate(n: number, queries: Float32Array, snapshotAt: number, onChunk: (start: number, unit: Float32Array) => void) {
  const int8 = new Int8Array(n * DIM);
  const tops = Array.from({ length: QUERIES }, () => new TopK(K));
  const prefixTops = Array.from({ length: QUERIES }, () => new TopK(K));
  let scale = 0;
  const qUnit = new Float32Array(QUERIES * DIM);
  for (let q = 0; q < QUERIES; q++) qUnit.set(normalized(queries.subarray(q * DIM, (q + 1) * DIM)), q * DIM);
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    const raw = clusteredVectors(rows, DIM, { seed: SEED, chunkSeed: 1000 + start / CHUNK });
    const unit = new Float32Array(raw.length);
    for (let r = 0; r < rows; r++) unit.set(normalized(raw.subarray(r * DIM, (r + 1) * DIM)), r * DIM);
    // One scale for the whole matrix, from the first chunk with headroom; later outliers are clipped.
    if (scale === 0) scale = int8Scale(unit) / 1.1;
    quantizeInt8(unit, scale, int8, start * DIM);
    const scan = (rows: number, into: TopK[][]) => {
      const m = usearch.exactSearch(unit.subarray(0, rows * DIM), qUnit, DIM, K, usearch.MetricKind.IP, 0) as {
        get(i: number): { keys: BigUint64Array; distances: Float32Array };
      };
      for (let q = 0; q < QUERIES; q++) {
        const r = QUERIES === 1 ? (m as unknown as { keys: BigUint64Array; distances: Float32Array }) : m.get(q);
        for (let j = 0; j < r.keys.length; j++) for (const t of into) t[q]!.push(start + Number(r.keys[j]!), 1 - r.distances[j]!);
      }
    };
    // Rows below `snapshotAt` (the graph's prefix) also feed the prefix's own top-10.
    const inPrefix = Math.max(0, Math.min(rows, snapshotAt - start));
    if (inPrefix === rows) scan(rows, [tops, prefixTops]);
    else {
      scan(rows, [tops]);
      if (inPrefix > 0) scan(inPrefix, [prefixTops]);
    }
    onChunk(start, unit);
  }
  const truth = tops.map((t) => t.sorted().map((s) => s.index + 1));
  return { int8, scale, truth, truthAtSnapshot: prefixTops.map((t) => t.sorted().map((s) => s.index + 1)) };
}

function benchSize(n: number) {
  console.log(`\n== ${n.toLocaleString('en')} embeddings × ${DIM} (${QUERIES} queries, top-${K}) — ${elapsed()} so far`);
  const queries = clusteredVectors(QUERIES, DIM, { seed: SEED, chunkSeed: 424242 });
  const ids = Int32Array.from({ length: n }, (_, i) => i + 1);

  // Decide the graph size from a measured build rate on 20,000 rows.
  let graphSize = Math.min(n, GRAPH_MAX);
  {
    const probe = new ApproximateIndex(DIM, GRAPH);
    const rows = Math.min(20_000, n);
    const data = clusteredVectors(rows, DIM, { seed: SEED, chunkSeed: 999 });
    const t = performance.now();
    probe.add(ids.subarray(0, rows), data);
    const rate = rows / ((performance.now() - t) / 1000);
    // Insertion slows roughly with log n; 1.3 is the measured slow-down from 20k to 100k rows.
    const affordable = Math.floor((rate / 1.3) * GRAPH_BUDGET_S / 10_000) * 10_000;
    if (affordable < graphSize) graphSize = Math.max(rows, affordable);
    console.log(`  graph build rate on ${rows} rows: ${rate.toFixed(0)} rows/s (2 threads) → graph over ${graphSize.toLocaleString('en')} rows`);
  }

  const graph = new ApproximateIndex(DIM, GRAPH);
  let graphSeconds = 0;
  let f32Chunk: Float32Array | null = null;
  const gen = generate(n, queries, graphSize, (start, unit) => {
    if (n <= CHUNK) f32Chunk = unit;
    if (start < graphSize) {
      const rows = Math.min(CHUNK, graphSize - start);
      const t = performance.now();
      graph.add(ids.subarray(start, start + rows), unit.subarray(0, rows * DIM));
      graphSeconds += (performance.now() - t) / 1000;
    }
  });
  console.log(`  generated, exact ground truth and graph built — ${elapsed()}`);
  const exactI8 = new ExactIndex(DIM, ids, { int8: gen.int8, scale: gen.scale });
  row('memory: exact int8 matrix', null, `${mb(exactI8.memoryBytes)} (${mb((exactI8.memoryBytes * 100_000) / n)} per 100k)`);
  row('memory: exact float32 matrix (computed)', null, `${mb(n * DIM * 4)} (${mb(DIM * 4 * 100_000)} per 100k)`);

  // Exact, float32 (only where it fits comfortably: 100k).
  if (f32Chunk) {
    const exactF32 = new ExactIndex(DIM, ids, f32Chunk);
    const js = new ExactIndex(DIM, ids, f32Chunk, { forceJs: true });
    const one = new ExactIndex(DIM, ids, f32Chunk, { threads: 1 });
    const base = timeQueries(queries, Math.min(5, QUERIES), (q) => js.search(q, K));
    row('exact f32, TypeScript loop (baseline)', base);
    const f1 = timeQueries(queries, QUERIES, (q) => one.search(q, K));
    row('exact f32, usearch SIMD, 1 thread', f1, `×${(base.median / f1.median).toFixed(1)} vs baseline`);
    const f2 = timeQueries(queries, QUERIES, (q) => exactF32.search(q, K));
    row('exact f32, usearch SIMD, auto threads', f2, `×${(base.median / f2.median).toFixed(1)} vs baseline`);
    const r = recall(gen.truth, (q) => exactF32.search(queries.subarray(q * DIM, (q + 1) * DIM), K).map((x) => x.id));
    row('exact f32 recall@10 (sanity)', null, r.toFixed(3));
  }
  const i8 = timeQueries(queries, QUERIES, (q) => exactI8.search(q, K));
  row('exact int8, usearch SIMD, auto threads', i8, n === 100_000 ? `goal ≤ 3 ms: ${i8.median <= 3 ? 'met' : 'NOT met'}` : '');
  const i8Recall = recall(gen.truth, (q) => exactI8.search(queries.subarray(q * DIM, (q + 1) * DIM), K).map((x) => x.id));
  row('exact int8 recall@10 vs exact f32', null, i8Recall.toFixed(3));

  // Approximate.
  row(`graph build (${graphSize.toLocaleString('en')} rows, M=${GRAPH.connectivity}, efAdd=${GRAPH.expansionAdd}, i8)`, null, `${graphSeconds.toFixed(0)} s, ${(graphSize / graphSeconds).toFixed(0)} rows/s`);
  const prefixIds = graphSize < n ? ids.subarray(0, graphSize) : ids;
  const exactPrefix = graphSize < n ? new ExactIndex(DIM, prefixIds, { int8: gen.int8.subarray(0, graphSize * DIM), scale: gen.scale }) : exactI8;
  const truth = graphSize < n ? gen.truthAtSnapshot : gen.truth;
  const dir = mkdtempSync(join(tmpdir(), 'cxr-bench-'));
  const file = join(dir, 'graph.usearch');
  graph.save(file);
  // The saved file holds the int8 vectors and the links, which is what the graph keeps in memory.
  const graphBytes = statSync(file).size;
  row('memory: graph (its saved size)', null, `${mb(graphBytes)} (${mb((graphBytes * 100_000) / graphSize)} per 100k)`);
  for (const ef of [128, 256, 512]) {
    const g = new ApproximateIndex(DIM, { ...GRAPH, expansionSearch: ef });
    g.load(file, graphSize, 1);
    const raw = timeQueries(queries, QUERIES, (q) => g.search(q, K));
    const rawRecall = recall(truth, (q) => g.search(queries.subarray(q * DIM, (q + 1) * DIM), K).map((x: Neighbour) => x.id));
    row(`approximate ef=${ef}, graph order`, raw, `recall@10 ${rawRecall.toFixed(3)}`);
    for (const factor of [3, 10]) {
      const combined = EmbeddingIndex.of(exactPrefix, g, factor);
      const lat = timeQueries(queries, QUERIES, (q) => combined.search(q, K));
      const rr = recall(truth, (q) => combined.search(queries.subarray(q * DIM, (q + 1) * DIM), K).neighbours.map((x) => x.id));
      const goal = n >= 1_000_000 ? `  goal ≤ 20 ms and ≥ 0.95: ${lat.median <= 20 && rr >= 0.95 ? 'met' : 'NOT met'}${graphSize < n ? ` (on ${graphSize.toLocaleString('en')} rows)` : ''}` : '';
      row(`approximate ef=${ef}, ${factor}k candidates re-scored`, lat, `recall@10 ${rr.toFixed(3)}${goal}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

console.log(`search benchmark: dim ${DIM}, sizes ${SIZES.join(', ')}, ${QUERIES} queries`);
for (const n of SIZES) {
  benchSize(n);
  if (typeof global.gc === 'function') global.gc();
}
console.log(`\ntotal ${elapsed()}`);
