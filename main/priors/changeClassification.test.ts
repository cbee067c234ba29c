import { describe, expect, it } from 'vitest';
import { buildFindingSeries, classifyChange } from './changeClassification.js';

describe('classifyChange', () => {
  it.each([
    [0.2, 0.7, 'new'],
    [0.7, 0.2, 'resolved'],
    [0.6, 0.9, 'increased'],
    [0.9, 0.6, 'decreased'],
    [0.1, 0.35, 'increased'],
    [0.55, 0.6, 'stable'],
    [0.2, 0.25, 'stable'],
    [0.5, 0.5, 'stable'],
  ] as const)('%d → %d at threshold 0.5 is %s', (prev, cur, kind) => {
    expect(classifyChange(prev, cur, 0.5)).toBe(kind);
  });

  it('uses the given threshold and margin', () => {
    expect(classifyChange(0.25, 0.35, 0.3)).toBe('new');
    expect(classifyChange(0.6, 0.65, 0.5, 0.03)).toBe('increased');
  });

  it('does not call noise change: below the stated minimum difference it is stable, whatever boundary it crosses', () => {
    // The reported defect: Cardiomegaly 0.05 → 0.11 → 0.06 was called "new", then "resolved" (threshold 0.08).
    expect(classifyChange(0.05, 0.11, 0.08)).toBe('stable');
    expect(classifyChange(0.11, 0.06, 0.08)).toBe('stable');
    expect(classifyChange(0.45, 0.52, 0.5)).toBe('stable');
  });

  it('without a validated operating point there is no boundary: never new or resolved, only increased/decreased', () => {
    expect(classifyChange(0.2, 0.7, null)).toBe('increased');
    expect(classifyChange(0.7, 0.2, null)).toBe('decreased');
    expect(classifyChange(0.05, 0.11, null)).toBe('stable');
  });
});

describe('buildFindingSeries', () => {
  it('orders studies in time, skips unanalysed ones when comparing, and reports threshold and deltas', () => {
    const series = buildFindingSeries(
      [
        { studyId: 3, date: '2021-05-01', instanceIds: { Effusion: 30 }, probabilities: { Effusion: 0.8, Mass: 0.1 } },
        { studyId: 1, date: '2019-01-01', instanceIds: { Effusion: 10 }, probabilities: { Effusion: 0.2, Mass: 0.12 } },
        { studyId: 2, date: '2020-01-01', instanceIds: {}, probabilities: null },
        { studyId: 4, date: null, instanceIds: { Effusion: 40 }, probabilities: { Effusion: 0.3, Mass: 0.1 } },
      ],
      ['Effusion', 'Mass'],
      { Effusion: 0.45 },
    );
    const effusion = series[0]!;
    expect(effusion.threshold).toBe(0.45);
    expect(effusion.points.map((p) => p.studyId)).toEqual([1, 2, 3, 4]);
    expect(effusion.points.map((p) => p.change)).toEqual([null, null, 'new', 'resolved']);
    expect(effusion.points[2]!.previousStudyId).toBe(1);
    expect(effusion.points[2]!.delta).toBeCloseTo(0.6, 10);
    expect(effusion.points[2]!.instanceId).toBe(30);
    expect(effusion.points[1]).toMatchObject({ probability: null, positive: null, change: null });
    // A label without a validated operating point has no threshold and is never positive (no 0.5 fallback).
    expect(series[1]!.threshold).toBeNull();
    expect(series[1]!.points.map((p) => p.positive)).toEqual([null, null, null, null]);
    expect(series[1]!.points.map((p) => p.change)).toEqual([null, null, 'stable', 'stable']);
  });
});
