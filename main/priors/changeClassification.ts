/**
 * How a finding changed between two studies of the same patient. The threshold is the pack's operating point for
 * that label (the one that makes a finding "positive"); the margin is the smallest probability change reported as
 * a change at all, because probabilities of the same unchanged chest vary by a few hundredths between exposures.
 */
export type ChangeKind = 'new' | 'resolved' | 'increased' | 'decreased' | 'stable';

/** Default smallest change in probability that counts as increased/decreased. */
export const DEFAULT_CHANGE_MARGIN = 0.1;

export function classifyChange(previous: number, current: number, threshold: number, margin = DEFAULT_CHANGE_MARGIN): ChangeKind {
  const wasPositive = previous >= threshold;
  const isPositive = current >= threshold;
  if (!wasPositive && isPositive) return 'new';
  if (wasPositive && !isPositive) return 'resolved';
  const delta = current - previous;
  if (delta >= margin) return 'increased';
  if (delta <= -margin) return 'decreased';
  return 'stable';
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
  threshold: number;
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

/** One series per label over the patient's studies, oldest first (see `compareStudies`), ready to plot. */
export function buildFindingSeries(
  studies: readonly StudyProbabilities[],
  labels: readonly string[],
  thresholds: Record<string, number>,
  margin = DEFAULT_CHANGE_MARGIN,
): FindingSeries[] {
  const ordered = [...studies].sort(compareStudies);
  return labels.map((label) => {
    const threshold = thresholds[label] ?? 0.5;
    let previous: { studyId: number; probability: number } | null = null;
    const points = ordered.map((s): PriorPoint => {
      const probability = s.probabilities?.[label] ?? null;
      const point: PriorPoint = {
        studyId: s.studyId,
        date: s.date,
        instanceId: s.instanceIds[label] ?? null,
        probability,
        positive: probability === null ? null : probability >= threshold,
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
