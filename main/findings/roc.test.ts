import { describe, expect, it } from 'vitest';
import { auc, rocPoints, sensitivityThreshold, youdenThreshold } from './roc.js';
import { calibrateLabels } from './calibrate.js';
import { resolveThresholds } from './thresholds.js';

describe('ROC, thresholds and calibration', () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
  const truth = [true, true, false, true, false, false, true, false];

  it('computes ROC points and AUC by hand', () => {
    const pts = rocPoints(scores, truth);
    expect(pts[0]).toEqual({ threshold: 0.9, sensitivity: 0.25, specificity: 1 });
    expect(pts[3]).toEqual({ threshold: 0.6, sensitivity: 0.75, specificity: 0.75 });
    // positives 0.9, 0.8, 0.6, 0.2 vs negatives 0.7, 0.4, 0.3, 0.1: pairs won 4+4+3+1 = 12 of 16.
    expect(auc(scores, truth)).toBe(12 / 16);
    expect(auc([0.1, 0.2], [false, false])).toBeNull();
  });

  it("Youden's J picks the best sensitivity + specificity, midway to the next score", () => {
    // J = 0.5 both at 0.8 (sens 0.5, spec 1) and at 0.6 (0.75, 0.75): the tie goes to the higher threshold.
    const t = youdenThreshold(scores, truth)!;
    expect(t.sensitivity).toBe(0.5);
    expect(t.specificity).toBe(1);
    expect(t.threshold).toBeCloseTo(0.75, 10); // between 0.8 and 0.7
  });

  it('a sensitivity target takes the highest threshold that reaches it', () => {
    const t = sensitivityThreshold(scores, truth, 1)!;
    expect(t.sensitivity).toBe(1);
    expect(t.threshold).toBeCloseTo(0.15, 10);
    expect(sensitivityThreshold(scores, [false, false, false, false, false, false, false, false], 0.9)).toBeNull();
  });

  it('calibration leaves a label without positives unset, and site calibration overrides pack thresholds', () => {
    const cal = calibrateLabels(['A', 'B'], scores.map((s) => [s, s]), truth.map((t) => [t, false]), 'youden');
    expect(cal[0]!.threshold).toBeCloseTo(0.75, 10);
    expect(cal[1]!.threshold).toBeNull();
    expect(cal[1]!.method).toMatch(/no positive/);
    const resolved = resolveThresholds(['A', 'B', 'C'], { B: 0.3 }, { A: cal[0]!.threshold, B: cal[1]!.threshold });
    expect(resolved.A).toEqual({ threshold: cal[0]!.threshold, source: 'calibration' });
    expect(resolved.B).toEqual({ threshold: 0.3, source: 'pack' });
    expect(resolved.C!.source).toBe('default');
  });
});
