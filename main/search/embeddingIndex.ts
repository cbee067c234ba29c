import { ApproximateIndex, type ApproximateIndexOptions } from './approximateIndex.js';
import { ExactIndex, type Neighbour, type Quantization, type SearchFilter } from './exactIndex.js';
import { loadUsearch } from './nativeKernel.js';

export type SearchMethod = 'exact' | 'approximate';

export interface EmbeddingIndexOptions {
  quantization?: Quantization;
  /** From this many rows up, an HNSW graph is built and searches use it (default 50,000). */
  approximateThreshold?: number;
  approximate?: ApproximateIndexOptions;
  /**
   * The graph is asked for this many times k candidates, which the exact matrix re-scores: int8 storage and the
   * graph's greedy walk both blur near-ties, and re-ranking a few more candidates recovers most of them (default 3).
   */
  rerankFactor?: number;
}

export interface SearchAnswer {
  neighbours: Neighbour[];
  method: SearchMethod;
}

/** Below this many rows the exact scan answers in about a millisecond, so a graph would only cost memory. */
export const DEFAULT_APPROXIMATE_THRESHOLD = 50_000;

/**
 * The in-memory search structure for one model pack: the exact matrix always (it also re-scores approximate
 * candidates, so reported similarities are exact), plus an HNSW graph above a size threshold.
 */
export class EmbeddingIndex {
  private constructor(
    readonly exact: ExactIndex,
    readonly approximate: ApproximateIndex | null,
    readonly rerankFactor = 3,
  ) {}

  static build(dim: number, ids: ArrayLike<number>, matrix: Float32Array, options: EmbeddingIndexOptions = {}): EmbeddingIndex {
    const exact = new ExactIndex(dim, ids, matrix, { quantization: options.quantization ?? 'f32' });
    const threshold = options.approximateThreshold ?? DEFAULT_APPROXIMATE_THRESHOLD;
    let approximate: ApproximateIndex | null = null;
    if (ids.length >= threshold && loadUsearch()) {
      approximate = new ApproximateIndex(dim, options.approximate);
      approximate.add(ids, matrix);
    }
    return new EmbeddingIndex(exact, approximate, options.rerankFactor);
  }

  /** Wraps indexes built elsewhere (benchmarks build the exact matrix from int8 chunks). */
  static of(exact: ExactIndex, approximate: ApproximateIndex | null, rerankFactor = 3): EmbeddingIndex {
    return new EmbeddingIndex(exact, approximate, rerankFactor);
  }

  get size(): number {
    return this.exact.size;
  }

  /** The same exact matrix with a graph built (or loaded) separately. */
  withApproximate(graph: ApproximateIndex): EmbeddingIndex {
    return new EmbeddingIndex(this.exact, graph, this.rerankFactor);
  }

  get dim(): number {
    return this.exact.dim;
  }

  /**
   * Top-k neighbours of a query vector. `method` forces one path; by default the graph answers when it exists and the
   * filter keeps most rows, and the exact scan answers otherwise (also when the graph's filtered answer runs short).
   */
  search(query: ArrayLike<number>, k: number, filter: SearchFilter = {}, method?: SearchMethod): SearchAnswer {
    const useGraph =
      this.approximate !== null &&
      method !== 'exact' &&
      (method === 'approximate' || !filter.allowed || filter.allowed.size >= this.size * 0.25);
    if (useGraph) {
      const keep = filter.allowed ? filter.allowed.size / this.size : 1;
      const candidates = this.approximate!.search(query, k, filter, Math.min(50, this.rerankFactor / Math.max(keep, 0.02)));
      if (candidates.length >= Math.min(k, filter.allowed?.size ?? k)) {
        return { neighbours: this.exact.score(query, candidates.map((c) => c.id)).slice(0, k), method: 'approximate' };
      }
    }
    return { neighbours: this.exact.search(query, k, filter), method: 'exact' };
  }
}
