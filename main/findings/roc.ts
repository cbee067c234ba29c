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
