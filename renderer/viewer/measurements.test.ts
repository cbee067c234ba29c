import { describe, expect, it } from 'vitest';
import { addDrag, measure, type MeasuredImage } from './measurements.js';

function image(width: number, height: number, value: (x: number, y: number) => number, spacingMm: MeasuredImage['spacingMm'] = null): MeasuredImage {
  const stored = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) stored[y * width + x] = value(x, y);
  return { width, height, stored, slope: 1, intercept: 0, spacingMm };
}

describe('measurements', () => {
  it('measures a ruler in mm with the spacing, in pixels without', () => {
    expect(measure('ruler', [[0, 0], [30, 40]], image(1, 1, () => 0))).toEqual({ kind: 'ruler', mm: null, px: 50 });
    const m = measure('ruler', [[0, 0], [0, 10]], image(1, 1, () => 0, [0.2, 0.1]));
    expect(m.kind === 'ruler' && m.mm).toBeCloseTo(2, 9);
  });

  it('measures an angle at its vertex, in physical space', () => {
    const right = measure('angle', [[10, 0], [0, 0], [0, 10]], image(1, 1, () => 0));
    expect(right.kind === 'angle' && right.degrees).toBeCloseTo(90, 9);
    // Pixels twice as tall as wide: 10 columns right and 5 rows down is 45° on the patient.
    const diag = measure('angle', [[10, 0], [0, 0], [10, 5]], image(1, 1, () => 0, [0.2, 0.1]));
    expect(diag.kind === 'angle' && diag.degrees).toBeCloseTo(45, 9);
  });

  it('gives mean and SD of the modality values inside an ellipse, and its area', () => {
    // Left half 100, right half 300: a centred circle sees both halves equally.
    const img = { ...image(40, 40, (x) => (x < 20 ? 100 : 300), [0.5, 0.5]), slope: 2, intercept: -50 };
    const m = measure('ellipse', [[10, 10], [30, 30]], img);
    if (m.kind !== 'ellipse') throw new Error('kind');
    expect(m.mean).toBeCloseTo((150 + 550) / 2, 6);
    expect(m.sd).toBeGreaterThan(199);
    expect(m.sd).toBeLessThan(202);
    expect(m.n).toBeGreaterThan(300);
    expect(m.areaMm2!).toBeCloseTo(Math.PI * 10 * 10 * 0.25, 6);
  });

  it('reads an ellipse on a reduced display level at the image\'s coordinates (a huge image sent at 1/4)', () => {
    // The level of a 160² image whose left half is 100 and right half 300, sent as 40²: the same ellipse, drawn in the
    // image's coordinates, sees both halves equally, and its area is the image's.
    const level = image(40, 40, (x) => (x < 20 ? 100 : 300), [0.5, 0.5]);
    const img: MeasuredImage = { ...level, width: 160, height: 160, level: { width: 40, height: 40 } };
    const m = measure('ellipse', [[40, 40], [120, 120]], img);
    if (m.kind !== 'ellipse') throw new Error('kind');
    expect(m.mean).toBeCloseTo(200, 6);
    expect(m.n).toBeGreaterThan(300);
    expect(m.areaMm2!).toBeCloseTo(Math.PI * 40 * 40 * 0.25, 6);
  });

  it('gives the cardiothoracic ratio of two horizontal diameters, drawn horizontal whatever the hand did', () => {
    const cardiac = addDrag('ctr', [], [40, 60], [90, 63]);
    const both = addDrag('ctr', cardiac, [10, 50], [110, 40]);
    expect(both).toEqual([[40, 60], [90, 60], [10, 50], [110, 50]]);
    const m = measure('ctr', both, image(1, 1, () => 0, [0.15, 0.15]));
    expect(m).toMatchObject({ kind: 'ctr', unit: 'mm' });
    expect(m.kind === 'ctr' && m.ratio).toBeCloseTo(0.5, 9);
  });

  it('builds an angle from two drags that share the vertex', () => {
    const arm = addDrag('angle', [], [0, 10], [5, 5]);
    expect(addDrag('angle', arm, [5, 5], [10, 10])).toEqual([[0, 10], [5, 5], [10, 10]]);
  });
});
