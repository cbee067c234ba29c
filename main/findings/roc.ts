import { OPERATING_POINT_RULE } from '../api/analysis.js';
import { seededRandom } from '../platform/seededRandom.js';

/**
 * Operating thresholds from a labelled set: ROC points, AUC, Youden's J and a sensitivity target.
 * Pure functions over (score, truth) pairs so they can be checked by hand.
 */

export interface RocPoint {
  threshold: number;
  sensitivity: number;
  specificity: number;
}

/** One point per distinct score, calling positive when score >= threshold, in decreasing threshold order. */
export function rocPoints(scores: readonly number[], truth: readonly boolean[]): RocPoint[] {
  const P = truth.filter(Boolean).length;
  const N = truth.length - P;
  const order = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: RocPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (truth[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue; // ties: one threshold for all of them
    points.push({ threshold: scores[i]!, sensitivity: P ? tp / P : 0, specificity: N ? 1 - fp / N : 0 });
  }
  return points;
}

/** Area under the ROC curve (Mann–Whitney, ties count half); null when one class is missing. */
export function auc(scores: readonly number[], truth: readonly boolean[]): number | null {
  const pos = scores.filter((_, i) => truth[i]);
  const neg = scores.filter((_, i) => !truth[i]);
  if (!pos.length || !neg.length) return null;
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

export interface ChosenThreshold extends RocPoint {
  method: 'youden' | 'sensitivity';
}

/**
 * Youden's J (sensitivity + specificity − 1) maximised; ties go to the higher threshold (fewer false positives).
 * The threshold is set midway between the chosen score and the next lower one, so a score equal to a calibration
 * case is classified as in calibration and new scores are not decided by a hair.
 */
export function youdenThreshold(scores: readonly number[], truth: readonly boolean[]): ChosenThreshold | null {
  const pts = rocPoints(scores, truth);
  if (!truth.some(Boolean) || truth.every(Boolean)) return null;
  let best = -1;
  let bestJ = -Infinity;
  pts.forEach((p, i) => {
    const j = p.sensitivity + p.specificity - 1;
    if (j > bestJ + 1e-12) {
      bestJ = j;
      best = i;
    }
  });
  return { ...pts[best]!, threshold: midpoint(pts, best), method: 'youden' };
}

/** The highest threshold whose sensitivity reaches `target` (e.g. 0.9), for screening-style operation. */
export function sensitivityThreshold(scores: readonly number[], truth: readonly boolean[], target: number): ChosenThreshold | null {
  const pts = rocPoints(scores, truth);
  if (!truth.some(Boolean) || truth.every(Boolean)) return null;
  const i = pts.findIndex((p) => p.sensitivity >= target - 1e-12);
  if (i < 0) return null;
  return { ...pts[i]!, threshold: midpoint(pts, i), method: 'sensitivity' };
}

function midpoint(pts: RocPoint[], i: number): number {
  const here = pts[i]!.threshold;
  const lower = pts[i + 1]?.threshold;
  return lower === undefined ? here : (here + lower) / 2;
}

/** Mann–Whitney AUC from positive and negative scores sorted ascending, O(P + N). */
function aucSorted(pos: Float64Array, neg: Float64Array): number {
  let won = 0;
  let j = 0; // negatives strictly below the current positive
  let k = 0; // negatives at or below it
  for (const p of pos) {
    while (j < neg.length && neg[j]! < p) j++;
    if (k < j) k = j;
    while (k < neg.length && neg[k]! <= p) k++;
    won += j + (k - j) / 2;
  }
  return won / (pos.length * neg.length);
}

export interface Interval {
  low: number;
  high: number;
}

/** Bootstrap settings; fixed so that a calibration's intervals are reproducible (and tests deterministic). */
export const BOOTSTRAP = { resamples: OPERATING_POINT_RULE.bootstrapResamples, seed: OPERATING_POINT_RULE.bootstrapSeed, level: OPERATING_POINT_RULE.level } as const;

/**
 * Percentile bootstrap interval of the AUC, resampling positives and negatives separately (stratified, so every
 * resample has both classes). Null when one class is missing.
 */
export function aucInterval(scores: readonly number[], truth: readonly boolean[], options: { resamples?: number; seed?: number; level?: number } = {}): Interval | null {
  const pos = scores.filter((_, i) => truth[i]);
  const neg = scores.filter((_, i) => !truth[i]);
  if (!pos.length || !neg.length) return null;
  const resamples = options.resamples ?? BOOTSTRAP.resamples;
  const level = options.level ?? BOOTSTRAP.level;
  const random = seededRandom(options.seed ?? BOOTSTRAP.seed);
  const draw = (from: number[]) => {
    const out = new Float64Array(from.length);
    for (let i = 0; i < from.length; i++) out[i] = from[Math.floor(random() * from.length)]!;
    return out.sort();
  };
  const values = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) values[r] = aucSorted(draw(pos), draw(neg));
  values.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) => values[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  return { low: at(tail), high: at(1 - tail) };
}

/** Wilson score interval of a proportion k/n (95% by default); null when n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
