import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PackKey, SearchRepository } from '../db/searchRepository.js';
import { ApproximateIndex, DEFAULT_APPROXIMATE_OPTIONS, type ApproximateIndexOptions } from './approximateIndex.js';
import { DEFAULT_APPROXIMATE_THRESHOLD, EmbeddingIndex } from './embeddingIndex.js';
import type { Quantization } from './exactIndex.js';
import { loadUsearch } from './nativeKernel.js';

export interface SearchIndexCacheOptions {
  quantization?: Quantization;
  approximateThreshold?: number;
  approximate?: ApproximateIndexOptions;
  /** How often, at most, the embeddings' fingerprint is re-read when no change event came (ms). */
  recheckMs?: number;
  /** Rows added to the graph per event-loop turn while it is built in the background. */
  graphBatch?: number;
}

interface Entry {
  fingerprint: string;
  checkedAt: number;
  index: EmbeddingIndex;
  /** Bumped on every rebuild: a caller can tell whether two answers came from the same matrix. */
  version: number;
  graph: ApproximateIndex | null;
  graphBuilding: boolean;
}

/**
 * Keeps one in-memory embedding index per pack version in step with the analyses in SQLite. A change event marks
 * every entry stale; without one, the fingerprint (count, id sum, newest timestamp) is re-read at most every
 * `recheckMs`. The exact matrix is rebuilt synchronously (100,000 × 1024 loads in about a second); the approximate
 * graph, which takes minutes at that size, is built in the background a batch per event-loop turn (or loaded from the
 * data directory when its saved fingerprint still matches) and used once complete — until then the exact scan answers.
 */
export class SearchIndexCache {
  private readonly entries = new Map<string, Entry>();
  private readonly options: Required<Omit<SearchIndexCacheOptions, 'approximate'>> & { approximate: ApproximateIndexOptions };
  private stale = false;
  private disposed = false;

  constructor(
    private readonly repo: SearchRepository,
    private readonly dataDir: string,
    options: SearchIndexCacheOptions = {},
  ) {
    this.options = {
      quantization: options.quantization ?? 'f32',
      approximateThreshold: options.approximateThreshold ?? DEFAULT_APPROXIMATE_THRESHOLD,
      approximate: options.approximate ?? {},
      recheckMs: options.recheckMs ?? 2000,
      graphBatch: options.graphBatch ?? 2000,
    };
  }

  /** Analyses changed (an event): every entry re-reads its fingerprint on next use. */
  markStale(): void {
    this.stale = true;
  }

  get quantization(): Quantization {
    return this.options.quantization;
  }

  get approximateThreshold(): number {
    return this.options.approximateThreshold;
  }

  /** The index for a pack version, current with the database. */
  get(pack: PackKey): { index: EmbeddingIndex; version: number } {
    const key = `${pack.packId}@${pack.packVersion}`;
    const now = Date.now();
    let entry = this.entries.get(key);
    if (entry && !this.stale && now - entry.checkedAt < this.options.recheckMs) return entry;
    const fingerprint = this.repo.fingerprint(pack);
    if (this.stale) {
      for (const e of this.entries.values()) e.checkedAt = 0;
      this.stale = false;
    }
    if (entry && entry.fingerprint === fingerprint) {
      entry.checkedAt = now;
      return entry;
    }
    const { ids, matrix, dim } = this.repo.loadEmbeddings(pack);
    const exact = EmbeddingIndex.build(Math.max(dim, 1), ids, matrix, { quantization: this.options.quantization, approximateThreshold: Infinity });
    entry = { fingerprint, checkedAt: now, index: exact, version: (entry?.version ?? 0) + 1, graph: null, graphBuilding: false };
    this.entries.set(key, entry);
    if (ids.length >= this.options.approximateThreshold && loadUsearch()) this.startGraph(pack, entry, ids, matrix, dim);
    return entry;
  }

  private graphFile(pack: PackKey): string {
    const safe = `${pack.packId}@${pack.packVersion}`.replace(/[^a-zA-Z0-9@._-]/g, '_');
    return join('search', `${safe}.usearch`);
  }

  private startGraph(pack: PackKey, entry: Entry, ids: Int32Array, matrix: Float32Array, dim: number): void {
    const relative = this.graphFile(pack);
    const absolute = join(this.dataDir, relative);
    const saved = this.repo.savedIndexFile(pack);
    const params = { ...DEFAULT_APPROXIMATE_OPTIONS, ...this.options.approximate };
    if (saved && saved.fingerprint === entry.fingerprint && saved.dimensions === dim && existsSync(absolute)) {
      try {
        const graph = new ApproximateIndex(dim, params);
        graph.load(absolute, saved.rowCount, saved.int8Gain);
        entry.index = entry.index.withApproximate(graph);
        return;
      } catch {
        // A damaged or foreign file: rebuild below.
      }
    }
    entry.graphBuilding = true;
    const graph = new ApproximateIndex(dim, params);
    let row = 0;
    const step = () => {
      if (this.disposed || this.entries.get(`${pack.packId}@${pack.packVersion}`) !== entry) return; // superseded
      const end = Math.min(ids.length, row + this.options.graphBatch);
      graph.add(ids.subarray(row, end), matrix.subarray(row * dim, end * dim));
      row = end;
      if (row < ids.length) {
        setTimeout(step, 0);
        return;
      }
      entry.graphBuilding = false;
      entry.index = entry.index.withApproximate(graph);
      try {
        mkdirSync(join(this.dataDir, 'search'), { recursive: true });
        graph.save(absolute);
        this.repo.recordIndexFile({
          ...pack,
          path: relative,
          fingerprint: entry.fingerprint,
          rowCount: ids.length,
          dimensions: dim,
          int8Gain: graph.int8Gain,
          parameters: params,
          builtAt: new Date().toISOString(),
        });
      } catch (err) {
        // Saving is an optimisation for the next start; searching goes on with the graph in memory.
        console.warn(`[search] could not save the search graph to ${absolute}:`, err);
      }
    };
    setTimeout(step, 0);
  }

  dispose(): void {
    this.disposed = true;
    this.entries.clear();
  }
}
