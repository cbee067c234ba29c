import type { Neighbour, SearchFilter } from './exactIndex.js';
import { loadUsearch, nativeUnavailableReason, type UsearchModule } from './nativeKernel.js';
import { normalized } from './vectors.js';

/** HNSW parameters (usearch names): graph degree, beam width while building and while searching, storage. */
export interface ApproximateIndexOptions {
  connectivity?: number;
  expansionAdd?: number;
  expansionSearch?: number;
  /** How usearch stores vectors: i8 (1 byte/dim), f16 (2) or f32 (4). */
  quantization?: 'i8' | 'f16' | 'f32';
  /** Threads for batch adds; 0 lets usearch choose. */
  threads?: number;
}

/**
 * Defaults from bench/search.ts on clustered 1024-d data (100k rows, 2 shared cores): with graphs built at
 * expansionAdd 64, recall@10 after exact re-scoring was 0.87 at expansionSearch 128, 0.93 at 256 and 0.96 at 512
 * (8 ms median under load), so searches use 512; the app builds with 128, which costs build time, not query time.
 */
export const DEFAULT_APPROXIMATE_OPTIONS: Required<ApproximateIndexOptions> = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 512,
  quantization: 'i8',
  threads: 0,
};

type UsearchIndex = InstanceType<UsearchModule['Index']>;

/**
 * Approximate nearest neighbours by cosine: usearch's HNSW graph. Used above a size threshold, where an exact scan
 * costs more than an interactive answer allows; its recall is measured against the exact scan in bench/search.ts.
 *
 * Vectors are L2-normalised before they are added and stored as int8 by default (1 byte per dimension: 1,000,000 ×
 * 1024 is 1 GB instead of 4). Callers re-score the graph's candidates from the exact matrix, so the int8 rounding
 * only affects which candidates are found, not the similarities reported.
 */
export class ApproximateIndex {
  readonly dim: number;
  readonly options: Required<ApproximateIndexOptions>;
  private readonly index: UsearchIndex;
  /**
   * A scale applied before storage. Measured on clustered 1024-d data, scaling unit vectors up to use the whole
   * int8 range lowered recall (usearch's cosine int8 path has its own scaling), so it stays 1; it is recorded with a
   * saved graph so a file written with another gain would be recognised.
   */
  private gain = 1;
  private count = 0;

  constructor(dim: number, options: ApproximateIndexOptions = {}) {
    const native = loadUsearch();
    if (!native) throw new Error(`the approximate index needs usearch: ${nativeUnavailableReason()}`);
    this.dim = dim;
    this.options = { ...DEFAULT_APPROXIMATE_OPTIONS, ...options };
    this.index = new native.Index({
      dimensions: dim,
      metric: native.MetricKind.Cos,
      quantization: this.options.quantization as never,
      connectivity: this.options.connectivity,
      expansion_add: this.options.expansionAdd,
      expansion_search: this.options.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.count;
  }

  /** Adds rows (ids.length × dim, row-major); they are normalised here. */
  add(ids: ArrayLike<number>, matrix: Float32Array): void {
    if (matrix.length !== ids.length * this.dim) throw new RangeError(`matrix has ${matrix.length} values for ${ids.length} rows of ${this.dim}`);
    if (ids.length === 0) return;
    const rows = new Float32Array(matrix.length);
    for (let r = 0; r < ids.length; r++) rows.set(normalized(matrix.subarray(r * this.dim, (r + 1) * this.dim)), r * this.dim);
    const keys = new BigUint64Array(ids.length);
    for (let r = 0; r < ids.length; r++) keys[r] = BigInt(ids[r]!);
    this.index.add(keys, rows, this.options.threads);
    this.count += ids.length;
  }

  /**
   * Approximate neighbours by cosine, best first: up to k × `oversample` candidates that pass the filter (callers
   * re-score them exactly and keep k; with a filter they fall back to the exact scan when too few survive).
   * Scores are usearch's (1 − cosine distance) on the stored int8 vectors.
   */
  search(query: ArrayLike<number>, k: number, filter: SearchFilter = {}, oversample = 1): Neighbour[] {
    if (this.count === 0) return [];
    const q = normalized(query);
    const want = Math.min(this.count, Math.max(k, Math.ceil(k * oversample)));
    const m = this.index.search(q, want, 0) as { keys: BigUint64Array; distances: Float32Array };
    const out: Neighbour[] = [];
    for (let i = 0; i < m.keys.length; i++) {
      const id = Number(m.keys[i]!);
      if (filter.allowed && !filter.allowed.has(id)) continue;
      if (filter.excluded?.has(id)) continue;
      out.push({ id, score: 1 - m.distances[i]! });
    }
    return out;
  }

  /** Writes the graph to a file (usearch format) so a restart need not rebuild it. */
  save(path: string): void {
    this.index.save(path);
  }

  /** Loads a graph written by `save`; `count` and `gain` come from the caller's record of it. */
  load(path: string, count: number, gain: number): void {
    if (gain !== 1) throw new Error(`${path} was saved with int8 gain ${gain}; this version stores unscaled vectors, so it must be rebuilt`);
    this.index.load(path);
    this.count = count;
    this.gain = gain;
  }

  get int8Gain(): number {
    return this.gain;
  }
}
