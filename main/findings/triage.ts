/**
 * Worklist triage: which study to read first, from the findings the AI called against their operating points.
 * A probability means little across labels (a 0.3 Pneumothorax may be called while a 0.6 Infiltration is not), so
 * studies are ordered by how far their called findings stand above their own thresholds, then by how close the
 * uncalled ones come to theirs.
 */
export interface TriageFinding {
  label: string;
  probability: number;
  threshold: number;
  /** Called at a validated operating point (the gate decides; uncalled findings only order the rest). */
  positive: boolean;
}

export interface StudyTriage {
  /** The called finding standing furthest above its threshold; null when nothing is called. */
  topFinding: string | null;
  /** Distinct labels called in the study. */
  calledCount: number;
  /**
   * Sort key, higher first: 1 + margin of the top called finding (margin = (p − t) / (1 − t), in [0, 1]) when one
   * is called, else the closest approach of an uncalled finding to its threshold (p / t, below 1). Null without
   * findings (not analysed, or every image withheld by the quality gate).
   */
  triageScore: number | null;
}

/** Relative margin above the threshold, 0 at the threshold and 1 at certainty. */
export function calledMargin(p: number, t: number): number {
  return t >= 1 ? 0 : Math.min(1, Math.max(0, (p - t) / (1 - t)));
}

/** Below 1 by construction, so any called finding outranks every uncalled one. */
function uncalledApproach(p: number, t: number): number {
  return t <= 0 ? 0 : Math.min(0.999, Math.max(0, p / t));
}

export function triageOf(findings: Iterable<TriageFinding>): StudyTriage {
  let top: { label: string; margin: number } | null = null;
  let approach: number | null = null;
  const called = new Set<string>();
  for (const f of findings) {
    if (f.positive) {
      called.add(f.label);
      const margin = calledMargin(f.probability, f.threshold);
      if (!top || margin > top.margin) top = { label: f.label, margin };
    } else {
      const a = uncalledApproach(f.probability, f.threshold);
      approach = approach === null ? a : Math.max(approach, a);
    }
  }
  return {
    topFinding: top?.label ?? null,
    calledCount: called.size,
    triageScore: top ? 1 + top.margin : approach,
  };
}
