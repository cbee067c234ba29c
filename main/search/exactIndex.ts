import { loadUsearch } from './nativeKernel.js';
import { TopK } from './topK.js';
import { dotRow, int8Scale, normalized, quantizeInt8 } from './vectors.js';

/** How the exact matrix stores each component: float32 (4 bytes) or int8 with one shared scale (1 byte). */
export type Quantization = 'f32' | 'i8';

/** One neighbour: the caller's id (an instance id) and its cosine similarity to the query. */
export interface Neighbour {
  id: number;
  score: number;
}

/** Restricts a search to some ids; the index asks it per candidate. */
export interface SearchFilter {
  /** Only these ids (e.g. the images matching SQL filters). */
  allowed?: ReadonlySet<number>;
  /** Never these ids (e.g. the query image and its patient's other images). */
  excluded?: ReadonlySet<number>;
}

export interface ExactIndexOptions {
  quantization?: Quantization;
  /** Threads for the native scan; 0 lets usearch choose. */
  threads?: number;
  /** Use the TypeScript loop even when usearch is available (tests compare the two). */
  forceJs?: boolean;
}

/** Below this fraction of allowed rows a filtered search scans just those rows instead of oversampling a full scan. */
const SUBSET_SCAN_FRACTION = 0.125;

/**
 * Exact cosine top-k over a compact, row-major matrix of L2-normalised embeddings. The scan runs in usearch's SIMD
 * kernel when it loads (AVX2 int8 on this class of machine is about 20x the JavaScript loop) and in a tight
 * TypeScript loop otherwise; candidates are re-scored from the stored rows so scores do not depend on the kernel.
 */
export class ExactIndex {
  readonly dim: number;
  readonly quantization: Quantization;
  /** Row → id. */
  readonly ids: Int32Array;
  private readonly rowById = new Map<number, number>();
  private readonly f32: Float32Array | null;
  private readonly i8: Int8Array | null;
  /** int8 scale: q = round(x * scale). */
  private readonly scale: number;
  private readonly threads: number;
  private readonly forceJs: boolean;

  /**
   * @param ids one id per row
   * @param matrix ids.length × dim values, row-major; rows are normalised here (the array is not modified). Or rows
   *   already normalised and quantised to int8 with one scale (see `quantizeInt8`), for matrices too large to hold
   *   as float32 at once (1,000,000 × 1024 is 4 GB).
   */
  constructor(dim: number, ids: ArrayLike<number>, matrix: Float32Array | { int8: Int8Array; scale: number }, options: ExactIndexOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`embedding dimension must be a positive integer, got ${dim}`);
    const length = matrix instanceof Float32Array ? matrix.length : matrix.int8.length;
    if (length !== ids.length * dim) {
      throw new RangeError(`matrix has ${length} values; ${ids.length} rows of ${dim} need ${ids.length * dim}`);
    }
    this.dim = dim;
    this.quantization = options.quantization ?? 'f32';
    this.threads = options.threads ?? 0;
    this.forceJs = options.forceJs ?? false;
    this.ids = Int32Array.from(ids);
    for (let r = 0; r < this.ids.length; r++) {
      const id = this.ids[r]!;
      if (this.rowById.has(id)) throw new RangeError(`id ${id} appears twice in the embedding matrix`);
      this.rowById.set(id, r);
    }
    if (!(matrix instanceof Float32Array)) {
      this.quantization = 'i8';
      this.scale = matrix.scale;
      this.i8 = matrix.int8;
      this.f32 = null;
      return;
    }
    const unit = new Float32Array(matrix.length);
    for (let r = 0; r < this.ids.length; r++) unit.set(normalized(matrix.subarray(r * dim, (r + 1) * dim)), r * dim);
    if (this.quantization === 'i8') {
      this.scale = int8Scale(unit);
      this.i8 = quantizeInt8(unit, this.scale);
      this.f32 = null;
    } else {
      this.scale = 1;
      this.f32 = unit;
      this.i8 = null;
    }
  }

  get size(): number {
    return this.ids.length;
  }

  /** Bytes held by the matrix and the id columns (the Map of ids costs roughly another 40 bytes a row). */
  get memoryBytes(): number {
    return (this.f32?.byteLength ?? 0) + (this.i8?.byteLength ?? 0) + this.ids.byteLength;
  }

  has(id: number): boolean {
    return this.rowById.has(id);
  }

  /** The stored unit vector of `id` (dequantised for int8), or null when the id is not indexed. */
  vector(id: number): Float32Array | null {
    const row = this.rowById.get(id);
    if (row === undefined) return null;
    const out = new Float32Array(this.dim);
    const o = row * this.dim;
    if (this.f32) out.set(this.f32.subarray(o, o + this.dim));
    else for (let j = 0; j < this.dim; j++) out[j] = this.i8![o + j]! / this.scale;
    return out;
  }

  /** Read-only view of the normalised float32 rows (null for an int8 index). */
  get float32Rows(): Float32Array | null {
    return this.f32;
  }

  /** Exact top-k by cosine, best first. `query` need not be normalised. */
  search(query: ArrayLike<number>, k: number, filter: SearchFilter = {}): Neighbour[] {
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dimensions; the index has ${this.dim}`);
    const n = this.size;
    if (n === 0 || k < 1) return [];
    const q = this.prepareQuery(query);
    const { allowed, excluded } = filter;
    const accept = (row: number) => {
      const id = this.ids[row]!;
      return (!allowed || allowed.has(id)) && !excluded?.has(id);
    };
    const native = this.forceJs ? null : loadUsearch();
    if (!native) return this.scanJs(q, k, accept, allowed);
    if (allowed && allowed.size <= n * SUBSET_SCAN_FRACTION) return this.scanJs(q, k, accept, allowed);

    // Oversample the native scan by how much the filter is expected to throw away, then re-score exactly.
    const keepFraction = allowed ? allowed.size / n : 1;
    const want = Math.min(n, Math.ceil((k + (excluded?.size ?? 0)) / keepFraction) * 2 + 16);
    const data = this.i8 ?? this.f32!;
    const matches = native.exactSearch(data, q, this.dim, want, native.MetricKind.IP, this.threads) as { keys: BigUint64Array };
    const top = new TopK(k);
    for (const key of matches.keys) {
      const row = Number(key);
      if (accept(row)) top.push(row, dotRow(data, row, q));
    }
    const found = top.sorted();
    // Too few survived the filter: the full scan answers exactly.
    if (found.length < k && want < n) return this.scanJs(q, k, accept, allowed);
    return this.toNeighbours(found, q);
  }

  /** Scores of the given ids against a query (used to re-rank approximate candidates exactly). */
  score(query: ArrayLike<number>, ids: Iterable<number>): Neighbour[] {
    const q = this.prepareQuery(query);
    const data = this.i8 ?? this.f32!;
    const out: Neighbour[] = [];
    for (const id of ids) {
      const row = this.rowById.get(id);
      if (row !== undefined) out.push({ id, score: this.toCosine(dotRow(data, row, q), q) });
    }
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private prepareQuery(query: ArrayLike<number>): Float32Array | Int8Array {
    const unit = normalized(query);
    if (!this.i8) return unit;
    return quantizeInt8(unit, int8Scale(unit));
  }

  /** Converts a raw dot product of a stored row with the prepared query into a cosine. */
  private toCosine(dot: number, q: Float32Array | Int8Array): number {
    if (!this.i8) return dot;
    // The query was quantised with its own scale; as it is a unit vector, that scale is its quantised length.
    let norm = 0;
    for (let j = 0; j < q.length; j++) norm += q[j]! * q[j]!;
    return norm > 0 ? dot / (this.scale * Math.sqrt(norm)) : 0;
  }

  private toNeighbours(found: { index: number; score: number }[], q: Float32Array | Int8Array): Neighbour[] {
    return found.map((f) => ({ id: this.ids[f.index]!, score: this.toCosine(f.score, q) }));
  }

  private scanJs(q: Float32Array | Int8Array, k: number, accept: (row: number) => boolean, allowed?: ReadonlySet<number>): Neighbour[] {
    const data = this.i8 ?? this.f32!;
    const top = new TopK(k);
    if (allowed && allowed.size < this.size) {
      for (const id of allowed) {
        const row = this.rowById.get(id);
        if (row !== undefined && accept(row)) top.push(row, dotRow(data, row, q));
      }
    } else {
      for (let row = 0; row < this.size; row++) if (accept(row)) top.push(row, dotRow(data, row, q));
    }
    return this.toNeighbours(top.sorted(), q);
  }
}
