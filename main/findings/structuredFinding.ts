import type { Localisation } from './localize.js';
import type { LabelThreshold } from './thresholds.js';

export type Certainty = 'probable' | 'possible';
export type Severity = 'small' | 'moderate' | 'extensive';

/**
 * One label's finding, with every number the text is built from. Decision rules (so each word is traceable):
 * - positive when probability >= threshold;
 * - certainty `probable` when the probability is past halfway from the threshold to 1, else `possible`;
 * - severity from the extent (fraction of the lung field in the CAM's hot region): < 10% small, < 30% moderate,
 *   else extensive; only for lung and pleural findings (the heart's size is not a lung-field fraction).
 */
export interface StructuredFinding {
  label: string;
  probability: number;
  threshold: number;
  thresholdSource: LabelThreshold['source'];
  positive: boolean;
  certainty: Certainty | null;
  severity: Severity | null;
  localisation: Localisation | null;
}

export const SEVERITY_LIMITS = { small: 0.1, moderate: 0.3 } as const;

export function certaintyOf(p: number, t: number): Certainty | null {
  if (p < t) return null;
  return p >= t + (1 - t) / 2 ? 'probable' : 'possible';
}

export function severityOf(loc: Localisation | null): Severity | null {
  if (!loc || (loc.organ !== 'lung' && loc.organ !== 'pleura')) return null;
  return loc.extent < SEVERITY_LIMITS.small ? 'small' : loc.extent < SEVERITY_LIMITS.moderate ? 'moderate' : 'extensive';
}

export function structuredFinding(label: string, probability: number, threshold: LabelThreshold, localisation: Localisation | null): StructuredFinding {
  const positive = probability >= threshold.threshold;
  return {
    label,
    probability,
    threshold: threshold.threshold,
    thresholdSource: threshold.source,
    positive,
    certainty: certaintyOf(probability, threshold.threshold),
    severity: positive ? severityOf(localisation) : null,
    localisation,
  };
}
