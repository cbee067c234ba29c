import { describe, expect, it } from 'vitest';
import { triageOf } from './triage.js';

describe('worklist triage', () => {
  it('names the called finding furthest above its own threshold, not the highest probability', () => {
    const t = triageOf([
      { label: 'Infiltration', probability: 0.62, threshold: 0.55, positive: true },
      { label: 'Pneumothorax', probability: 0.4, threshold: 0.2, positive: true },
      { label: 'Effusion', probability: 0.83, threshold: 0.9, positive: false },
    ]);
    expect(t.topFinding).toBe('Pneumothorax');
    expect(t.calledCount).toBe(2);
    expect(t.triageScore).toBeCloseTo(1 + 0.2 / 0.8, 6);
  });

  it('ranks any called finding above every uncalled one, and uncalled studies by their closest approach', () => {
    const weakCall = triageOf([{ label: 'A', probability: 0.5, threshold: 0.5, positive: true }]);
    const strongMiss = triageOf([{ label: 'B', probability: 0.99, threshold: 0.995, positive: false }]);
    const farMiss = triageOf([{ label: 'C', probability: 0.1, threshold: 0.5, positive: false }]);
    expect(weakCall.triageScore).toBe(1);
    expect(strongMiss.topFinding).toBeNull();
    expect(strongMiss.triageScore!).toBeLessThan(1);
    expect(strongMiss.triageScore!).toBeGreaterThan(farMiss.triageScore!);
    expect(farMiss.triageScore).toBeCloseTo(0.2, 6);
  });

  it('has no score without findings', () => {
    expect(triageOf([])).toEqual({ topFinding: null, calledCount: 0, triageScore: null });
  });
});
