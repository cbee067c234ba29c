import type { AnalysisRepository } from '../db/analysisRepository.js';
import type { PackRegistry } from '../inference/packRegistry.js';
import { resolveThresholds, type LabelThreshold } from './thresholds.js';

/** The thresholds in force for one pack version, and where they came from. */
export interface OperatingPointSet {
  thresholds: Record<string, LabelThreshold>;
  /** The site calibration in force, or null. */
  calibrationId: number | null;
  /** How the audit log and reports name this set, e.g. `calibration #3`. */
  version: string;
}

/**
 * The one place that decides which threshold each label is called at, for a pack version: used to present an
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
    const calibrated: Record<string, number | null> = {};
    if (cal) for (const l of cal.labels as { label: string; threshold: number | null }[]) calibrated[l.label] = l.threshold;
    const packThresholds = pack?.manifest.thresholds;
    return {
      thresholds: resolveThresholds(labels, packThresholds, cal ? calibrated : undefined),
      calibrationId: cal?.id ?? null,
      version: cal ? `calibration #${cal.id}` : packThresholds && Object.keys(packThresholds).length ? `${packId} ${packVersion} shipped thresholds` : 'default thresholds',
    };
  }
}
