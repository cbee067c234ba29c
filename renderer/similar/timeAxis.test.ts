import { describe, expect, it } from 'vitest';
import { timeAxis } from './timeAxis.js';

describe('trend time axis', () => {
  it('places studies proportionally to time, not evenly', () => {
    const axis = timeAxis([{ date: '2019-03-01' }, { date: '2019-04-01' }, { date: '2024-02-10' }], 30, 310);
    const a = axis.x('2019-03-01')!;
    const b = axis.x('2019-04-01')!;
    const c = axis.x('2024-02-10')!;
    expect(a).toBe(30);
    expect(c).toBe(310);
    expect(b - a).toBeLessThan(10);
    expect(axis.x(null)).toBeNull();
  });

  it('labels the first and last dates anchored inwards, and drops a middle label that would overlap', () => {
    const axis = timeAxis([{ date: '2019-03-01' }, { date: '2019-04-01' }, { date: '2024-02-10' }], 30, 310);
    expect(axis.labels.map((l) => [l.date, l.anchor])).toEqual([
      ['2019-03-01', 'start'],
      ['2024-02-10', 'end'],
    ]);
    expect(axis.labels.at(-1)!.x).toBe(310);
    const spread = timeAxis([{ date: '2020-01-01' }, { date: '2022-01-01' }, { date: '2024-01-01' }], 30, 310);
    expect(spread.labels.map((l) => l.anchor)).toEqual(['start', 'middle', 'end']);
  });

  it('puts a single date in the middle', () => {
    const axis = timeAxis([{ date: '2024-01-01' }, { date: null }], 0, 100);
    expect(axis.x('2024-01-01')).toBe(50);
    expect(axis.labels).toEqual([{ date: '2024-01-01', x: 50, anchor: 'middle' }]);
  });
});
