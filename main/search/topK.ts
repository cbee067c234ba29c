/** One scored candidate: `index` is a row of the matrix (or any integer key), `score` a similarity. */
export interface Scored {
  index: number;
  score: number;
}

/**
 * Keeps the k highest scores seen, in a binary min-heap, so a scan over n rows costs O(n log k) and allocates
 * nothing per row. Ties keep the row seen first, which makes results deterministic.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly indices: Int32Array;
  private size = 0;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`top-k needs a positive integer k, got ${k}`);
    this.scores = new Float64Array(k);
    this.indices = new Int32Array(k);
  }

  /** The lowest score kept so far, or -Infinity while fewer than k are kept (callers may skip rows below it). */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(index: number, score: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      // Sift up.
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[i] = this.scores[parent]!;
        this.indices[i] = this.indices[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.indices[i] = index;
      return;
    }
    if (score <= this.scores[0]!) return;
    // Replace the root and sift down.
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.scores[r]! < this.scores[l]! ? r : l;
      if (this.scores[c]! >= score) break;
      this.scores[i] = this.scores[c]!;
      this.indices[i] = this.indices[c]!;
      i = c;
    }
    this.scores[i] = score;
    this.indices[i] = index;
  }

  /** The kept candidates, best first (equal scores: lower index first). */
  sorted(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.indices[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}
