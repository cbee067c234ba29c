import { readFile } from 'node:fs/promises';
import { parseCsv } from '../platform/csv.js';
import { OPERATING_POINT_RULE } from '../api/analysis.js';
import { auc, aucInterval, BOOTSTRAP, sensitivityThreshold, wilsonInterval, youdenThreshold, type Interval } from './roc.js';

/**
 * A label's calibration on a labelled set, and whether it yields a validated operating point. A threshold is only
 * set (and the label only called afterwards) when the set had at least MIN_POSITIVES positive and MIN_NEGATIVES
 * negative cases and the AUC's bootstrap 95% interval lies above 0.5 (the model ranks that label better than
 * chance, with that much evidence); otherwise `threshold` is null and `refusal` says why.
 */
export interface LabelCalibration {
  label: string;
  /** The operating threshold, or null when refused (the label is then shown "not calibrated", never called). */
  threshold: number | null;
  method: string;
  validated: boolean;
  /** Why no operating point was set; null when validated. */
  refusal: string | null;
  /** At the chosen threshold (on the set it was chosen on, so optimistic), with Wilson 95% intervals. */
  sensitivity: number | null;
  sensitivityCi: Interval | null;
  specificity: number | null;
  specificityCi: Interval | null;
  auc: number | null;
  /** Stratified percentile bootstrap (BOOTSTRAP resamples and seed). */
  aucCi: Interval | null;
  positives: number;
  negatives: number;
}

/** Default sensitivity target when the `sensitivity` method is chosen without one. */
export const DEFAULT_SENSITIVITY_TARGET = 0.9;
/** Fewest positive (and negative) cases a label needs in the set for its threshold to be used. */
export const MIN_POSITIVES = OPERATING_POINT_RULE.minPositives;
export const MIN_NEGATIVES = OPERATING_POINT_RULE.minNegatives;

const f2 = (v: number) => v.toFixed(2);

/** Why a label's calibration cannot be used, or null when it can. */
export function refusalReason(positives: number, negatives: number, a: number | null, ci: Interval | null, chosen: boolean): string | null {
  if (positives < MIN_POSITIVES) return `${positives} positive case${positives === 1 ? '' : 's'} in the set (needs at least ${MIN_POSITIVES})`;
  if (negatives < MIN_NEGATIVES) return `${negatives} negative case${negatives === 1 ? '' : 's'} in the set (needs at least ${MIN_NEGATIVES})`;
  if (a === null || ci === null) return 'no AUC (one class missing)';
  if (ci.low <= 0.5) return `AUC ${f2(a)} (95% CI ${f2(ci.low)}–${f2(ci.high)}) does not lie above 0.5: not better than chance on this set`;
  if (!chosen) return 'no threshold reaches the sensitivity target';
  return null;
}

/**
 * Per-label thresholds from model scores and reference labels, each with its evidence and a verdict. `scores[i][k]`
 * is image i's probability for label k, `truth[i][k]` whether the reference calls it positive.
 */
export function calibrateLabels(
  labels: readonly string[],
  scores: readonly ArrayLike<number>[],
  truth: readonly boolean[][],
  method: 'youden' | 'sensitivity',
  target = DEFAULT_SENSITIVITY_TARGET,
): LabelCalibration[] {
  return labels.map((label, k) => {
    const s = scores.map((row) => row[k]!);
    const t = truth.map((row) => row[k]!);
    const positives = t.filter(Boolean).length;
    const negatives = t.length - positives;
    const chosen = method === 'youden' ? youdenThreshold(s, t) : sensitivityThreshold(s, t, target);
    const a = auc(s, t);
    const ci = aucInterval(s, t);
    const refusal = refusalReason(positives, negatives, a, ci, chosen !== null);
    const tp = chosen ? Math.round(chosen.sensitivity * positives) : 0;
    const tn = chosen ? Math.round(chosen.specificity * negatives) : 0;
    return {
      label,
      threshold: refusal === null ? chosen!.threshold : null,
      method: `${method === 'youden' ? "Youden's J" : `sensitivity >= ${target}`}; AUC interval: stratified bootstrap, ${BOOTSTRAP.resamples} resamples, seed ${BOOTSTRAP.seed}`,
      validated: refusal === null,
      refusal,
      sensitivity: chosen?.sensitivity ?? null,
      sensitivityCi: chosen ? wilsonInterval(tp, positives) : null,
      specificity: chosen?.specificity ?? null,
      specificityCi: chosen ? wilsonInterval(tn, negatives) : null,
      auc: a,
      aucCi: ci,
      positives,
      negatives,
    };
  });
}

export interface LabelledImage {
  image: string;
  /** Reference truth per label, in the order asked for. */
  truth: boolean[];
}

/**
 * Reads a labelled set in the NIH ChestX-ray14 style: an image column (`image` or `Image Index`), optionally a
 * `split` column, and either one 0/1 column per label or a `Finding Labels`/`finding_labels` column of labels
 * separated by `|`. Throws naming the file when the columns are not there.
 */
export async function readLabelledSet(csvPath: string, labels: readonly string[], split: string | null): Promise<LabelledImage[]> {
  const text = await readFile(csvPath, 'utf8');
  const [head, ...body] = parseCsv(text);
  if (!head || !body.length) throw new Error(`${csvPath}: no rows`);
  const header = head.map((h) => h.trim());
  const col = (...names: string[]) => header.findIndex((h) => names.some((n) => h.toLowerCase() === n.toLowerCase()));
  const imageCol = col('image', 'Image Index');
  if (imageCol < 0) throw new Error(`${csvPath}: no "image" or "Image Index" column`);
  const splitCol = col('split');
  const findingCol = col('finding_labels', 'Finding Labels');
  const labelCols = labels.map((l) => header.indexOf(l));
  const perLabel = labelCols.every((c) => c >= 0);
  if (!perLabel && findingCol < 0) {
    throw new Error(`${csvPath}: needs a 0/1 column for each label (${labels.join(', ')}) or a "Finding Labels" column`);
  }
  const rows: LabelledImage[] = [];
  for (const cells of body) {
    if (split && splitCol >= 0 && cells[splitCol]?.trim() !== split) continue;
    const image = cells[imageCol]?.trim();
    if (!image) continue;
    let truth: boolean[];
    if (perLabel) truth = labelCols.map((c) => cells[c]?.trim() === '1');
    else {
      const set = new Set((cells[findingCol] ?? '').split('|').map((s) => s.trim()));
      truth = labels.map((l) => set.has(l));
    }
    rows.push({ image, truth });
  }
  if (!rows.length) throw new Error(`${csvPath}: no rows${split && splitCol >= 0 ? ` in split "${split}"` : ''}`);
  return rows;
}
