/**
 * The trend plot's horizontal axis: positions proportional to time between the first and last dated study (two
 * studies a week apart sit close, a third five years later far away), and the date labels that fit without
 * overlapping: the first and last always (anchored inwards so neither is clipped), others only with room.
 */
export interface AxisPoint {
  date: string | null;
}

export interface TimeAxis {
  /** X of a dated point; null for an undated one (it cannot be placed in time). */
  x(date: string | null): number | null;
  /** Dates to label, with their position and text anchor. */
  labels: { date: string; x: number; anchor: 'start' | 'middle' | 'end' }[];
}

const DAY = 86_400_000;
const time = (date: string) => Date.parse(`${date}T00:00:00Z`);

export function timeAxis(points: readonly AxisPoint[], left: number, right: number, labelWidth = 58): TimeAxis {
  const dated = [...new Set(points.flatMap((p) => (p.date && !Number.isNaN(time(p.date)) ? [p.date] : [])))].sort();
  const t0 = dated.length ? time(dated[0]!) : 0;
  const t1 = dated.length ? time(dated[dated.length - 1]!) : 0;
  // A single date (or several the same day) sits in the middle.
  const span = Math.max(t1 - t0, DAY);
  const x = (date: string | null) => {
    if (!date || Number.isNaN(time(date))) return null;
    return dated.length < 2 || t1 === t0 ? (left + right) / 2 : left + ((time(date) - t0) / span) * (right - left);
  };
  const labels: TimeAxis['labels'] = [];
  const last = dated.length - 1;
  dated.forEach((date, i) => {
    const at = x(date)!;
    const anchor = dated.length === 1 ? 'middle' : i === 0 ? 'start' : i === last ? 'end' : 'middle';
    // Extent the label covers, for the overlap test.
    const from = anchor === 'start' ? at : anchor === 'end' ? at - labelWidth : at - labelWidth / 2;
    const to = from + labelWidth;
    const clashes = (l: TimeAxis['labels'][number]) => {
      const lf = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - labelWidth : l.x - labelWidth / 2;
      return from < lf + labelWidth + 4 && lf < to + 4;
    };
    if (i === last && labels.length > 1 && clashes(labels[labels.length - 1]!)) labels.pop();
    if (i === 0 || i === last || !labels.some(clashes)) labels.push({ date, x: at, anchor });
  });
  return { x, labels };
}
