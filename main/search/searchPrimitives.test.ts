import { describe, expect, it } from 'vitest';
import { ApproximateIndex } from './approximateIndex.js';
import { EmbeddingIndex } from './embeddingIndex.js';
import { ExactIndex } from './exactIndex.js';
import { loadUsearch } from './nativeKernel.js';
import { clusteredVectors, rng } from './testVectors.js';
import { TopK } from './topK.js';
import { normalized } from './vectors.js';

/** Reference answer: cosine of every row, sorted (ties by id). */
function bruteForce(dim: number, ids: number[], matrix: Float32Array, query: Float32Array, k: number, accept = (_id: number) => true) {
  const q = normalized(query);
  const scored = ids
    .map((id, r) => ({ id, score: dotUnit(normalized(matrix.subarray(r * dim, (r + 1) * dim)), q) }))
    .filter((s) => accept(s.id));
  return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
}
function dotUnit(a: Float32Array, b: Float32Array) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe('TopK', () => {
  it('keeps the k best of a stream, best first, ties by first seen', () => {
    const random = rng(7);
    const values = Array.from({ length: 500 }, () => Math.round(random() * 50));
    const top = new TopK(10);
    values.forEach((v, i) => top.push(i, v));
    const expected = values
      .map((score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 10);
    expect(top.sorted().map((s) => s.score)).toEqual(expected.map((e) => e.score));
    expect(() => new TopK(0)).toThrow(/positive integer/);
  });
});

describe('ExactIndex', () => {
  const dim = 64;
  const n = 3000;
  const matrix = clusteredVectors(n, dim, { seed: 3, clusters: 40 });
  const ids = Array.from({ length: n }, (_, i) => 1000 + i * 3);
  const queries = clusteredVectors(20, dim, { seed: 3, clusters: 40, chunkSeed: 99 });

  it('float32: native and TypeScript scans both equal brute force', () => {
    const nativeIdx = new ExactIndex(dim, ids, matrix);
    const jsIdx = new ExactIndex(dim, ids, matrix, { forceJs: true });
    for (let qi = 0; qi < 20; qi++) {
      const q = queries.subarray(qi * dim, (qi + 1) * dim);
      const expected = bruteForce(dim, ids, matrix, q, 10);
      for (const idx of [nativeIdx, jsIdx]) {
        const got = idx.search(q, 10);
        expect(got.map((g) => g.id)).toEqual(expected.map((e) => e.id));
        got.forEach((g, i) => expect(g.score).toBeCloseTo(expected[i]!.score, 5));
      }
    }
  });

  it('int8 keeps a quarter of the memory and nearly the same neighbours and scores', () => {
    const f32 = new ExactIndex(dim, ids, matrix);
    const i8 = new ExactIndex(dim, ids, matrix, { quantization: 'i8' });
    expect(i8.memoryBytes).toBeLessThan(f32.memoryBytes / 3);
    let overlap = 0;
    for (let qi = 0; qi < 20; qi++) {
      const q = queries.subarray(qi * dim, (qi + 1) * dim);
      const a = f32.search(q, 10);
      const b = i8.search(q, 10);
      const set = new Set(a.map((x) => x.id));
      overlap += b.filter((x) => set.has(x.id)).length;
      expect(Math.abs(b[0]!.score - a[0]!.score)).toBeLessThan(0.02);
    }
    expect(overlap / 200).toBeGreaterThan(0.9);
  });

  it('honours allowed and excluded ids on every path (small subset, large subset, JS)', () => {
    const idx = new ExactIndex(dim, ids, matrix);
    const jsIdx = new ExactIndex(dim, ids, matrix, { forceJs: true });
    const q = queries.subarray(0, dim);
    const small = new Set(ids.filter((_, i) => i % 20 === 0));
    const large = new Set(ids.filter((_, i) => i % 3 !== 0));
    const excluded = new Set(bruteForce(dim, ids, matrix, q, 5).map((e) => e.id));
    for (const allowed of [small, large]) {
      const expected = bruteForce(dim, ids, matrix, q, 10, (id) => allowed.has(id) && !excluded.has(id));
      expect(idx.search(q, 10, { allowed, excluded }).map((g) => g.id)).toEqual(expected.map((e) => e.id));
      expect(jsIdx.search(q, 10, { allowed, excluded }).map((g) => g.id)).toEqual(expected.map((e) => e.id));
    }
  });

  it('rejects bad shapes and duplicate ids with a clear message', () => {
    expect(() => new ExactIndex(4, [1, 2], new Float32Array(7))).toThrow(/2 rows of 4 need 8/);
    expect(() => new ExactIndex(2, [1, 1], new Float32Array(4))).toThrow(/id 1 appears twice/);
    expect(() => new ExactIndex(2, [1], new Float32Array(2)).search([1, 2, 3], 1)).toThrow(/3 dimensions; the index has 2/);
  });
});

describe.skipIf(!loadUsearch())('ApproximateIndex (usearch HNSW)', () => {
  it('finds most of the exact top-10 on clustered data, and re-scored results are exact', () => {
    const dim = 128;
    const n = 8_000;
    const matrix = clusteredVectors(n, dim, { seed: 11 });
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const exact = new ExactIndex(dim, ids, matrix);
    const approx = new ApproximateIndex(dim);
    approx.add(ids, matrix);
    expect(approx.size).toBe(n);
    const queries = clusteredVectors(50, dim, { seed: 11, chunkSeed: 5 });
    let hits = 0;
    for (let qi = 0; qi < 50; qi++) {
      const q = queries.subarray(qi * dim, (qi + 1) * dim);
      const truth = new Set(exact.search(q, 10).map((e) => e.id));
      hits += approx.search(q, 10).filter((a) => truth.has(a.id)).length;
    }
    expect(hits / 500).toBeGreaterThan(0.9);

    const combined = EmbeddingIndex.build(dim, ids, matrix, { approximateThreshold: 5_000 });
    expect(combined.approximate).not.toBeNull();
    const q = queries.subarray(0, dim);
    const answer = combined.search(q, 10);
    expect(answer.method).toBe('approximate');
    const truth = exact.score(q, answer.neighbours.map((a) => a.id));
    answer.neighbours.forEach((a, i) => expect(a.score).toBeCloseTo(truth[i]!.score, 6));
    // A filter that keeps few rows goes to the exact scan.
    const allowed = new Set(ids.slice(0, 100));
    const filtered = combined.search(q, 10, { allowed });
    expect(filtered.method).toBe('exact');
    expect(filtered.neighbours.every((x) => allowed.has(x.id))).toBe(true);
  });
});
