import type { AnalysisRow } from '../db/analysisRepository.js';

/** One label's class activation map out of an analysis row (labels × rows × cols); null without a CAM or label. */
export function camPlaneOf(row: AnalysisRow, label: string): { plane: Float32Array; rows: number; cols: number } | null {
  if (!row.cam || !row.camRows || !row.camCols) return null;
  const k = row.labels.indexOf(label);
  if (k < 0) return null;
  const size = row.camRows * row.camCols;
  return { plane: row.cam.subarray(k * size, (k + 1) * size), rows: row.camRows, cols: row.camCols };
}
