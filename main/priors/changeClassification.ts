/**
 * How a finding changed between two studies of the same patient, decided so that noise is not called change:
 * - nothing is a change unless the probability moved by at least the stated minimum difference (`margin`):
 *   probabilities of the same unchanged chest vary by a few hundredths between exposures, so 0.05 → 0.11 → 0.06 is
 *   stable, not "new" then "resolved";
 * - `new` and `resolved` also need the probability to cross the called/not-called boundary of a validated operating
 *   point (a label without one has no boundary: it can only have increased or decreased);
 * - otherwise a change of at least the margin is `increased` or `decreased`.
 */
export type ChangeKind = 'new' | 'resolved' | 'increased' | 'decreased' | 'stable';

/** The stated minimum difference in probability that counts as a change at all. */
export const DEFAULT_CHANGE_MARGIN = 0.1;

export function classifyChange(previous: number, current: number, threshold: number | null, margin = DEFAULT_CHANGE_MARGIN): ChangeKind {
  const delta = current - previous;
  // (a hair of tolerance: 0.35 − 0.25 is 0.0999… in floating point, and is a change of 0.1)
  if (Math.abs(delta) < margin - 1e-9) return 'stable';
  if (threshold !== null) {
    const wasCalled = previous >= threshold;
    const isCalled = current >= threshold;
    if (!wasCalled && isCalled) return 'new';
    if (wasCalled && !isCalled) return 'resolved';
  }
  return delta > 0 ? 'increased' : 'decreased';
}

/** One study of the patient with the AI's probabilities (max over its analysed images), or null when not analysed. */
export interface StudyProbabilities {
  studyId: number;
  date: string | null;
  /**
   * Order among studies of the same date or without one, where the source says it (NIH ChestX-ray14 images carry no
   * dates, only a follow-up number in the file name PATIENT_FOLLOWUP.png); null when unknown.
   */
  sequence?: number | null;
  /** The image whose probability is shown for each label (the most positive one), keyed by label. */
  instanceIds: Record<string, number>;
  probabilities: Record<string, number> | null;
}

export interface PriorPoint {
  studyId: number;
  date: string | null;
  instanceId: number | null;
  probability: number | null;
  positive: boolean | null;
  /** Change from the latest earlier study that has a value; null for the first such study or without a value. */
  change: ChangeKind | null;
  delta: number | null;
  previousStudyId: number | null;
}

export interface FindingSeries {
  label: string;
  /** The validated operating point's threshold; null when the label is not calibrated (then never positive). */
  threshold: number | null;
  margin: number;
  points: PriorPoint[];
}

/**
 * Orders studies in time: by date; undated ones after the dated (their place is unknown, but they still get a
 * point); then by `sequence` (follow-up number) where given; then by id (import order).
 */
export function compareStudies(a: StudyProbabilities, b: StudyProbabilities): number {
  if (a.date && b.date && a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (!a.date !== !b.date) return a.date ? -1 : 1;
  const sa = a.sequence ?? null;
  const sb = b.sequence ?? null;
  if (sa !== null && sb !== null && sa !== sb) return sa - sb;
  return a.studyId - b.studyId;
}

/**
 * One series per label over the patient's studies, oldest first (see `compareStudies`), ready to plot. `thresholds`
 * holds only labels with a validated operating point.
 */
export function buildFindingSeries(
  studies: readonly StudyProbabilities[],
  labels: readonly string[],
  thresholds: Record<string, number>,
  margin = DEFAULT_CHANGE_MARGIN,
): FindingSeries[] {
  const ordered = [...studies].sort(compareStudies);
  return labels.map((label) => {
    const threshold = thresholds[label] ?? null;
    let previous: { studyId: number; probability: number } | null = null;
    const points = ordered.map((s): PriorPoint => {
      const probability = s.probabilities?.[label] ?? null;
      const point: PriorPoint = {
        studyId: s.studyId,
        date: s.date,
        instanceId: s.instanceIds[label] ?? null,
        probability,
        positive: probability === null || threshold === null ? null : probability >= threshold,
        change: null,
        delta: null,
        previousStudyId: null,
      };
      if (probability !== null) {
        if (previous) {
          point.change = classifyChange(previous.probability, probability, threshold, margin);
          point.delta = probability - previous.probability;
          point.previousStudyId = previous.studyId;
        }
        previous = { studyId: s.studyId, probability };
      }
      return point;
    });
    return { label, threshold, margin, points };
  });
}
