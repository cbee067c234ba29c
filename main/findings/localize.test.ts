import { describe, expect, it } from 'vitest';
import { localise, upsample } from './localize.js';
import { templateLungField, type LungField } from './lungMask.js';

/** A 7×7 CAM with hot cells. */
function cam(...cells: [number, number][]): Float32Array {
  const c = new Float32Array(49).fill(-2);
  for (const [row, col] of cells) c[row * 7 + col] = 5;
  return c;
}

describe('CAM localisation', () => {
  // The template's two ellipses, marked as found in the image so the facts read as they would on a real film.
  const field: LungField = { ...templateLungField(64, 64), source: 'image' };
  const image = { width: 1024, height: 1024 };

  it('upsampling keeps a constant grid constant', () => {
    const up = upsample(new Float32Array(49).fill(3), 7, 7, 20, 20);
    expect(Math.min(...up)).toBe(3);
    expect(Math.max(...up)).toBe(3);
  });

  it("puts a hot spot on the image's left in the patient's right lung, lower zone, with a box around it", () => {
    const loc = localise(cam([5, 1]), 7, 7, field, image);
    expect(loc.boxes.length).toBe(1);
    const b = loc.boxes[0]!;
    expect(b.x).toBeLessThan(loc.peak.x);
    expect(b.x + b.w).toBeGreaterThan(loc.peak.x);
    expect(loc.peak.x).toBeCloseTo((1.5 / 7) * 1024, -1);
    expect(loc.peak.y).toBeCloseTo((5.5 / 7) * 1024, -1);
    expect(loc.extent).toBeGreaterThan(0);
    expect(loc.extent).toBeLessThan(0.2);
    expect(loc.facts).toMatchObject({ version: 2, lungField: 'image', peakCell: { row: 5, col: 1 }, peakOnBorder: false, peakInLungField: true });
    expect(loc.facts!.regions).toHaveLength(1);
    expect(loc.facts!.regions[0]).toMatchObject({ side: 'right', zone: 'lower', share: 1, inLungField: true });
  });

  it('records two separate regions, one in each lung, with their sides and zones', () => {
    const loc = localise(cam([1, 1], [1, 5]), 7, 7, field, image);
    expect(loc.boxes.length).toBe(2);
    const sides = loc.facts!.regions.map((r) => r.side).sort();
    expect(sides).toEqual(['left', 'right']);
    expect(loc.facts!.regions.every((r) => r.zone === 'upper')).toBe(true);
    expect(loc.facts!.regions[0]!.share).toBeCloseTo(0.5, 1);
  });

  it('marks a maximum in the outermost ring of CAM cells, a region across the midline, and one outside the lung field', () => {
    expect(localise(cam([6, 1]), 7, 7, field, image).facts!.peakOnBorder).toBe(true);
    expect(localise(cam([0, 3]), 7, 7, field, image).facts!.peakOnBorder).toBe(true);
    // Two rectangular lungs with a mediastinum as wide as on a real film (the template's gap is narrower than a cell).
    const mask = new Uint8Array(64 * 64);
    for (let y = 8; y < 56; y++) for (let x = 6; x < 58; x++) if (x < 24 || x >= 40) mask[y * 64 + x] = 1;
    const wide: LungField = { width: 64, height: 64, mask, area: mask.reduce((a, b) => a + b, 0), midlineX: 32, top: 8, bottom: 55, source: 'image' };
    const central = localise(cam([3, 3]), 7, 7, wide, image).facts!;
    expect(central.peakOnBorder).toBe(false);
    expect(central.regions[0]!.side).toBe('midline');
    expect(central.peakInLungField).toBe(false);
  });

  it('tells the lateral half of a hemithorax from the medial half', () => {
    const lateral = localise(cam([3, 1]), 7, 7, field, image).facts!.regions[0]!;
    const medial = localise(cam([3, 2]), 7, 7, field, image).facts!.regions[0]!;
    expect(lateral).toMatchObject({ side: 'right', zone: 'middle', lateral: true });
    expect(medial.lateral).toBe(false);
  });

  it('says when the lung field is the fallback template', () => {
    expect(localise(cam([5, 1]), 7, 7, templateLungField(64, 64), image).facts!.lungField).toBe('template');
  });
});
