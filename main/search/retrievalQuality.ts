/**
 * Retrieval quality of similar-case search on labelled images: precision@k of label overlap. A neighbour counts as
 * relevant when it shares a positive label with the query, or when both have none (both normal).
 */

export function relevant(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return a.size === 0 && b.size === 0;
  for (const l of a) if (b.has(l)) return true;
  return false;
}

export interface PrecisionReport {
  /** Mean over queries of (relevant neighbours among the first k) / k. */
  precision: number;
  /** What k random other images would give: mean over queries of the fraction of all other images that are relevant. */
  randomBaseline: number;
  queries: number;
}

/**
 * @param labels positive labels per image, by index
 * @param neighbours the retrieved neighbours of each image (indices, best first, the image itself excluded)
 */
export function precisionAtK(labels: readonly ReadonlySet<string>[], neighbours: readonly (readonly number[])[], k: number): PrecisionReport {
  let precision = 0;
  let baseline = 0;
  const n = labels.length;
  for (let q = 0; q < n; q++) {
    const top = neighbours[q]!.slice(0, k);
    precision += top.filter((j) => relevant(labels[q]!, labels[j]!)).length / k;
    let rel = 0;
    for (let j = 0; j < n; j++) if (j !== q && relevant(labels[q]!, labels[j]!)) rel++;
    baseline += rel / (n - 1);
  }
  return { precision: precision / n, randomBaseline: baseline / n, queries: n };
}
