import { describe, expect, it } from 'vitest';
import { seededRandom } from '../platform/seededRandom.js';
import { auc, aucInterval, rocPoints, sensitivityThreshold, wilsonInterval, youdenThreshold } from './roc.js';
import { calibrateLabels, MIN_POSITIVES } from './calibrate.js';
import { resolveOperatingPoints } from './thresholds.js';
import { ModelManifestSchema } from '../inference/manifest.js';

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

  it('intervals: Wilson for proportions, a stratified bootstrap for the AUC that is the same on every run', () => {
    const w = wilsonInterval(8, 10)!;
    expect(w.low).toBeCloseTo(0.4902, 3);
    expect(w.high).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 0)).toBeNull();
    const a = aucInterval(scores, truth)!;
    expect(a).toEqual(aucInterval(scores, truth));
    expect(a.low).toBeLessThanOrEqual(12 / 16);
    expect(a.high).toBeGreaterThanOrEqual(12 / 16);
    // Perfect separation: every resample has AUC 1.
    expect(aucInterval([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toEqual({ low: 1, high: 1 });
    expect(aucInterval([0.1, 0.2], [false, false])).toBeNull();
  });

  /** n cases with `pos` positives; positives score higher by `signal` (0: the scores carry nothing). */
  function labelled(n: number, pos: number, signal: number, seed: number): { s: number[]; t: boolean[] } {
    const r = seededRandom(seed);
    const t = Array.from({ length: n }, (_, i) => i < pos);
    return { s: t.map((x) => r() + (x ? signal : 0)), t };
  }

  it('calibration validates a label only with enough positives and an AUC interval above 0.5, and says why not', () => {
    const strong = labelled(80, 12, 0.6, 1); // 12 positives, well separated
    const few = labelled(80, 4, 0.6, 2); // well separated but only 4 positives
    const noise = labelled(80, 12, 0, 3); // enough positives, scores carry nothing
    const none = labelled(80, 0, 0, 4);
    const cal = calibrateLabels(
      ['Strong', 'Few', 'Noise', 'None'],
      strong.s.map((_, i) => [strong.s[i]!, few.s[i]!, noise.s[i]!, none.s[i]!]),
      strong.t.map((_, i) => [strong.t[i]!, few.t[i]!, noise.t[i]!, none.t[i]!]),
      'youden',
    );
    const [s, f, n, z] = cal;
    expect(s).toMatchObject({ label: 'Strong', validated: true, refusal: null, positives: 12, negatives: 68 });
    expect(s!.threshold).toBeTypeOf('number');
    expect(s!.aucCi!.low).toBeGreaterThan(0.5);
    expect(s!.sensitivityCi!.low).toBeLessThanOrEqual(s!.sensitivity!);
    expect(s!.specificityCi!.high).toBeGreaterThanOrEqual(s!.specificity!);
    expect(f).toMatchObject({ validated: false, threshold: null, positives: 4 });
    expect(f!.refusal).toBe(`4 positive cases in the set (needs at least ${MIN_POSITIVES})`);
    expect(n).toMatchObject({ validated: false, threshold: null });
    expect(n!.refusal).toMatch(/^AUC 0\.\d\d \(95% CI 0\.\d\d–0\.\d\d\) does not lie above 0\.5/);
    expect(z).toMatchObject({ validated: false, threshold: null, auc: null, refusal: '0 positive cases in the set (needs at least 10)' });
    // Deterministic: the same set gives the same intervals.
    expect(calibrateLabels(['Strong'], strong.s.map((v) => [v]), strong.t.map((v) => [v]), 'youden')[0]).toEqual(s);
  });

  it('operating points: a validated site calibration, else shipped thresholds with provenance, else not calibrated with the reason', () => {
    const provenance = { dataset: 'Vendor validation set v2 (held out)', method: "Youden's J", images: 5000 };
    const pack = { packId: 'p', packVersion: '1', thresholds: { B: 0.3, C: 0.4 }, provenance };
    const calibration = {
      id: 7,
      labels: [
        { label: 'A', threshold: 0.61, validated: true, refusal: null, positives: 14, auc: 0.81, aucCi: { low: 0.7, high: 0.9 } },
        { label: 'B', threshold: null, validated: false, refusal: '4 positive cases in the set (needs at least 10)' },
        { label: 'D', threshold: 0.2, validated: false, refusal: 'AUC 0.48 (95% CI 0.31–0.66) does not lie above 0.5' },
      ],
    };
    const p = resolveOperatingPoints(['A', 'B', 'C', 'D', 'E'], pack, calibration);
    expect(p.A).toEqual({ status: 'validated', threshold: 0.61, source: 'calibration', provenance: 'site calibration #7: 14 positives, AUC 0.81 (95% CI 0.70–0.90)' });
    expect(p.B).toMatchObject({ status: 'validated', threshold: 0.3, source: 'pack' });
    expect((p.B as { provenance: string }).provenance).toMatch(/Vendor validation set v2 \(held out\) \(5000 images/);
    expect(p.C).toMatchObject({ status: 'validated', threshold: 0.4, source: 'pack' });
    expect(p.D).toEqual({ status: 'not_calibrated', reason: 'site calibration #7 refused it: AUC 0.48 (95% CI 0.31–0.66) does not lie above 0.5; the pack ships no threshold' });
    expect(p.E).toEqual({ status: 'not_calibrated', reason: 'site calibration #7 did not include it; the pack ships no threshold' });
    // Shipped thresholds without provenance are not used; no calibration and no threshold: no default either.
    const bare = resolveOperatingPoints(['B', 'E'], { ...pack, provenance: undefined }, null);
    expect(bare.B).toEqual({ status: 'not_calibrated', reason: 'no site calibration; the pack ships a threshold without provenance, so it is not used' });
    expect(bare.E).toEqual({ status: 'not_calibrated', reason: 'no site calibration; the pack ships no threshold' });
    // A calibration stored before validation existed is not trusted.
    const old = resolveOperatingPoints(['A'], null, { id: 2, labels: [{ label: 'A', threshold: 0.5 }] });
    expect(old.A).toMatchObject({ status: 'not_calibrated', reason: expect.stringMatching(/predates validation/) });
  });

  it('the manifest schema takes shipped thresholds with their provenance', () => {
    const base = {
      id: 'p', version: '1', title: 'P', task: 'cxr-multilabel-classification', file: 'm.onnx', sha256: 'a'.repeat(64), labels: ['A'],
      input: { name: 'image', layout: 'NCHW', channels: 1, height: 8, width: 8, normalize: { mean: [0], std: [1] } },
      outputs: { probabilities: { shape: ['batch', 1] } },
    };
    const m = ModelManifestSchema.parse({ ...base, thresholds: { A: 0.3 }, provenance: { thresholds: { dataset: 'X', method: "Youden's J", images: 100 } } });
    expect(m.provenance?.thresholds?.images).toBe(100);
    expect(ModelManifestSchema.safeParse({ ...base, provenance: { thresholds: { dataset: '', method: 'x', images: 0 } } }).success).toBe(false);
    expect(ModelManifestSchema.parse({ ...base, provenance: { thresholds: { dataset: 'published op_threshs', method: 'vendor' } } }).provenance?.thresholds?.images).toBeUndefined();
  });
});
