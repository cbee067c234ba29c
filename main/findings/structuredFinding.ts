import { anatomyRule, PLACE_CRITERIA, type Organ } from './anatomyRules.js';
import type { Localisation } from './localize.js';
import { decidePlace, type PlaceDecision } from './place.js';
import type { LabelThreshold } from './thresholds.js';

export type Certainty = 'probable' | 'possible';
export type Severity = 'small' | 'moderate' | 'extensive';

/**
 * One label's finding, with every fact the text is built from. Decision rules (so each word is traceable):
 * - positive when probability >= threshold;
 * - certainty `probable` when the probability is past halfway from the threshold to 1, else `possible`;
 * - place: decided by the label's anatomical rule against the localisation's facts (place.ts); none unless confident,
 *   and none at all unless the pack's localisation is validated;
 * - severity from the extent (fraction of the lung field in the CAM's hot region): < 10% small, < 30% moderate,
 *   else extensive; only when the place is stated, the rule takes extent words, and the extent is at least
 *   PLACE_CRITERIA.MIN_EXTENT (a region outside the lung field has no lung-field extent to speak of).
 */
export interface StructuredFinding {
  label: string;
  probability: number;
  threshold: number;
  thresholdSource: LabelThreshold['source'];
  positive: boolean;
  certainty: Certainty | null;
  severity: Severity | null;
  organ: Organ;
  place: PlaceDecision;
  localisation: Localisation | null;
}

export const SEVERITY_LIMITS = { small: 0.1, moderate: 0.3 } as const;

export function certaintyOf(p: number, t: number): Certainty | null {
  if (p < t) return null;
  return p >= t + (1 - t) / 2 ? 'probable' : 'possible';
}

export function severityOf(extent: number): Severity {
  return extent < SEVERITY_LIMITS.small ? 'small' : extent < SEVERITY_LIMITS.moderate ? 'moderate' : 'extensive';
}

/**
 * `localisationValidated`: the model pack's CAM localisation was validated against expert annotations (its manifest
 * says so). Without that, no place is named whatever the map looks like: on the NIH expert boxes the demo pack's
 * maps peak inside the box no more often than chance (bench/camLocalisation.ts).
 */
export function structuredFinding(
  label: string,
  probability: number,
  threshold: LabelThreshold,
  localisation: Localisation | null,
  options: { localisationValidated: boolean } = { localisationValidated: false },
): StructuredFinding {
  const positive = probability >= threshold.threshold;
  const rule = anatomyRule(label);
  const decided = decidePlace(rule, localisation);
  const place: PlaceDecision = decided.stated && !options.localisationValidated ? { stated: false, reason: 'localisation_not_validated' } : decided;
  const extent = localisation?.extent ?? 0;
  const severity = positive && place.stated && rule.extent !== 'none' && extent >= PLACE_CRITERIA.MIN_EXTENT ? severityOf(extent) : null;
  return {
    label,
    probability,
    threshold: threshold.threshold,
    thresholdSource: threshold.source,
    positive,
    certainty: certaintyOf(probability, threshold.threshold),
    severity,
    organ: rule.organ,
    place,
    localisation,
  };
}
