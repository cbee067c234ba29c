/** Where a label's operating threshold came from. */
export type ThresholdSource = 'calibration' | 'pack' | 'default';

export interface LabelThreshold {
  threshold: number;
  source: ThresholdSource;
}

/** Used only when neither the pack nor a site calibration gives a threshold for a label. */
export const DEFAULT_THRESHOLD = 0.5;

/**
 * The threshold per label: a site calibration overrides the pack's shipped thresholds, which override the default.
 * Labels a calibration could not set (no positives in the labelled set) fall through to the pack or the default.
 */
export function resolveThresholds(
  labels: readonly string[],
  packThresholds: Record<string, number> | undefined,
  calibrated: Record<string, number | null> | undefined,
): Record<string, LabelThreshold> {
  const out: Record<string, LabelThreshold> = {};
  for (const label of labels) {
    const c = calibrated?.[label];
    const p = packThresholds?.[label];
    if (typeof c === 'number') out[label] = { threshold: c, source: 'calibration' };
    else if (typeof p === 'number') out[label] = { threshold: p, source: 'pack' };
    else out[label] = { threshold: DEFAULT_THRESHOLD, source: 'default' };
  }
  return out;
}
