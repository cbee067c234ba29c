import { describe, expect, it } from 'vitest';
import { localise, upsample } from './localize.js';
import { templateLungField } from './lungMask.js';

/** A 7×7 CAM with one hot cell. */
function camWithPeak(row: number, col: number): Float32Array {
  const cam = new Float32Array(49).fill(-2);
  cam[row * 7 + col] = 5;
  return cam;
}

describe('CAM localisation', () => {
  const field = templateLungField(224, 224);
  const image = { width: 1024, height: 1024 };

  it('upsampling keeps a constant grid constant', () => {
    const up = upsample(new Float32Array(49).fill(3), 7, 7, 20, 20);
    expect(Math.min(...up)).toBe(3);
    expect(Math.max(...up)).toBe(3);
  });

  it("puts a hot spot on the image's left in the patient's right lung, lower zone, with a box around it", () => {
    const loc = localise('Atelectasis', camWithPeak(5, 1), 7, 7, field, image);
    expect(loc.laterality).toBe('right');
    expect(loc.zone).toBe('lower');
    expect(loc.organ).toBe('lung');
    expect(loc.boxes.length).toBe(1);
    const b = loc.boxes[0]!;
    expect(b.x).toBeLessThan(loc.peak.x);
    expect(b.x + b.w).toBeGreaterThan(loc.peak.x);
    expect(loc.peak.x).toBeCloseTo((1.5 / 7) * 1024, -1);
    expect(loc.peak.y).toBeCloseTo((5.5 / 7) * 1024, -1);
    expect(loc.extent).toBeGreaterThan(0);
    expect(loc.extent).toBeLessThan(0.2);
  });

  it('calls two symmetric hot spots bilateral and the upper zone upper; the label map sets the organ', () => {
    const cam = camWithPeak(1, 1);
    cam[1 * 7 + 5] = 5;
    const loc = localise('Effusion', cam, 7, 7, field, image);
    expect(loc.laterality).toBe('bilateral');
    expect(loc.zone).toBe('upper');
    expect(loc.organ).toBe('pleura');
    expect(loc.boxes.length).toBe(2);
    expect(localise('Mass', camWithPeak(3, 3), 7, 7, field, image).organ).toBe('mediastinum');
    expect(localise('Cardiomegaly', camWithPeak(4, 3), 7, 7, field, image).organ).toBe('heart');
    expect(localise('Nodule', camWithPeak(3, 5), 7, 7, field, image).laterality).toBe('left');
  });
});
