import type { ThresholdProvenance } from '../inference/manifest.js';

/** Where a validated operating point came from. */
export type ThresholdSource = 'calibration' | 'pack';

/** A threshold and its source: what a finding is decided against, always a validated operating point. */
export interface LabelThreshold {
  threshold: number;
  source: ThresholdSource;
}

/**
 * A label's operating point: the threshold it is called at, with where it came from — or, when there is none that
 * was validated, the reason. A label without one shows its probability "not calibrated" and is never called.
 */
export type OperatingPoint =
  | { status: 'validated'; threshold: number; source: ThresholdSource; provenance: string }
  | { status: 'not_calibrated'; reason: string };

/** The threshold of a validated operating point, or null. */
export function calledAt(point: OperatingPoint | undefined): number | null {
  return point?.status === 'validated' ? point.threshold : null;
}

/** One label of a stored site calibration, as read back (rows written before validation existed lack `validated`). */
export interface StoredLabelCalibration {
  label: string;
  threshold: number | null;
  validated?: boolean;
  refusal?: string | null;
  positives?: number;
  auc?: number | null;
  aucCi?: { low: number; high: number } | null;
}

export interface StoredCalibration {
  id: number;
  labels: readonly StoredLabelCalibration[];
}

export interface ShippedThresholds {
  packId: string;
  packVersion: string;
  thresholds: Record<string, number> | undefined;
  provenance: ThresholdProvenance | undefined;
}

const f2 = (v: number) => v.toFixed(2);

/**
 * The operating point per label. A site calibration's validated point comes first; else a threshold the pack ships
 * with its provenance; else none, with the reason (the calibration's refusal, a threshold shipped without
 * provenance, or nothing at all). There is no default threshold: an unexplained 0.5 is not an operating point.
 */
export function resolveOperatingPoints(labels: readonly string[], pack: ShippedThresholds | null, calibration: StoredCalibration | null): Record<string, OperatingPoint> {
  const cal = new Map((calibration?.labels ?? []).map((l) => [l.label, l]));
  const out: Record<string, OperatingPoint> = {};
  for (const label of labels) {
    const c = cal.get(label);
    const shipped = pack?.thresholds?.[label];
    if (c && c.validated === true && typeof c.threshold === 'number') {
      const ci = c.aucCi ? ` (95% CI ${f2(c.aucCi.low)}–${f2(c.aucCi.high)})` : '';
      out[label] = {
        status: 'validated',
        threshold: c.threshold,
        source: 'calibration',
        provenance: `site calibration #${calibration!.id}: ${c.positives ?? '?'} positives, AUC ${c.auc === null || c.auc === undefined ? '?' : f2(c.auc)}${ci}`,
      };
      continue;
    }
    if (typeof shipped === 'number' && pack?.provenance) {
      const p = pack.provenance;
      out[label] = {
        status: 'validated',
        threshold: shipped,
        source: 'pack',
        provenance: `shipped with ${pack.packId} ${pack.packVersion}: ${p.method} on ${p.dataset}${p.images || p.date ? ` (${[p.images ? `${p.images} images` : '', p.date ?? ''].filter(Boolean).join(', ')})` : ''}`,
      };
      continue;
    }
    const reasons: string[] = [];
    if (c) {
      if (c.validated === undefined) reasons.push(`site calibration #${calibration!.id} predates validation (no positives count or AUC interval checked): run it again`);
      else reasons.push(`site calibration #${calibration!.id} refused it: ${c.refusal ?? 'not validated'}`);
    } else if (calibration) reasons.push(`site calibration #${calibration.id} did not include it`);
    else reasons.push('no site calibration');
    if (typeof shipped === 'number') reasons.push('the pack ships a threshold without provenance, so it is not used');
    else reasons.push('the pack ships no threshold');
    out[label] = { status: 'not_calibrated', reason: reasons.join('; ') };
  }
  return out;
}
