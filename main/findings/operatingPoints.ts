import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { PackRegistry } from '../inference/packRegistry.js';
import { resolveOperatingPoints, type OperatingPoint, type StoredCalibration } from './thresholds.js';

/** The operating points in force for one pack version, and where they came from. */
export interface OperatingPointSet {
  points: Record<string, OperatingPoint>;
  /** Thresholds of the labels that have a validated operating point (the only ones ever called). */
  thresholds: Record<string, number>;
  /** The site calibration in force, or null. */
  calibrationId: number | null;
  /**
   * How the audit log and reports name this set: which source, and how many labels it validated, e.g.
   * `site calibration #3: 2 of 14 labels validated (Effusion 0.412, Cardiomegaly 0.337)`.
   */
  version: string;
  /** Per label, for the audit: `0.412 (calibration #3)` or `not calibrated`. */
  audit: Record<string, string>;
}

/**
 * The one place that decides which operating point each label is called at, for a pack version: used to present an
 * analysis, to summarise studies for the worklist, by search, priors and cohorts, and in the audit log.
 */
export class OperatingPoints {
  constructor(
    private readonly analyses: AnalysisRepository,
    private readonly packs: PackRegistry,
  ) {}

  async inForce(packId: string, packVersion: string, labels: readonly string[]): Promise<OperatingPointSet> {
    const pack = await this.packs.find(packId, packVersion);
    const cal = this.analyses.latestCalibration(packId, packVersion);
    const stored: StoredCalibration | null = cal ? { id: cal.id, labels: cal.labels } : null;
    const points = resolveOperatingPoints(
      labels,
      pack ? { packId, packVersion, thresholds: pack.manifest.thresholds, provenance: pack.manifest.provenance?.thresholds } : null,
      stored,
    );
    return describeOperatingPoints(points, stored?.id ?? null, `${packId} ${packVersion}`);
  }
}

/** Names a set of operating points for the audit log and reports. */
export function describeOperatingPoints(points: Record<string, OperatingPoint>, calibrationId: number | null, pack: string): OperatingPointSet {
  const thresholds: Record<string, number> = {};
  const audit: Record<string, string> = {};
  const sources = new Set<string>();
  for (const [label, p] of Object.entries(points)) {
    if (p.status === 'validated') {
      thresholds[label] = p.threshold;
      const from = p.source === 'calibration' ? `site calibration #${calibrationId}` : `${pack} shipped thresholds`;
      sources.add(from);
      audit[label] = `${p.threshold.toFixed(3)} (${from})`;
    } else audit[label] = 'not calibrated';
  }
  const called = Object.entries(thresholds);
  const total = Object.keys(points).length;
  const version = called.length
    ? `${[...sources].join(' + ')}: ${called.length} of ${total} labels validated (${called.map(([l, t]) => `${l} ${t.toFixed(3)}`).join(', ')})`
    : `no validated operating point (${calibrationId !== null ? `site calibration #${calibrationId} validated none` : 'no site calibration'}; none of ${total} labels called)`;
  return { points, thresholds, calibrationId, version, audit };
}
