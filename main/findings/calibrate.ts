import { readFile } from 'node:fs/promises';
import { parseCsv } from '../platform/csv.js';
import { auc, sensitivityThreshold, youdenThreshold } from './roc.js';

export interface LabelCalibration {
  label: string;
  /** null when the set has no positive (or no negative) case of this label: the pack/default threshold stays. */
  threshold: number | null;
  method: string;
  sensitivity: number | null;
  specificity: number | null;
  auc: number | null;
  positives: number;
  negatives: number;
}

/** Default sensitivity target when the `sensitivity` method is chosen without one. */
export const DEFAULT_SENSITIVITY_TARGET = 0.9;

/**
 * Per-label thresholds from model scores and reference labels. `scores[i][k]` is image i's probability for label k,
 * `truth[i][k]` whether the reference calls it positive.
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
    return {
      label,
      threshold: chosen?.threshold ?? null,
      method: chosen ? (method === 'youden' ? "Youden's J" : `sensitivity >= ${target}`) : positives === 0 ? 'no positive case in the set' : 'no negative case in the set',
      sensitivity: chosen?.sensitivity ?? null,
      specificity: chosen?.specificity ?? null,
      auc: auc(s, t),
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
