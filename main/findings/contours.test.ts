import { describe, expect, it } from 'vitest';
import { camContours, isoLines } from './contours.js';
import { localise } from './localize.js';
import { templateLungField } from './lungMask.js';

function cam(...cells: [number, number][]): Float32Array {
  const c = new Float32Array(49).fill(-2);
  for (const [row, col] of cells) c[row * 7 + col] = 5;
  return c;
}

/** Even-odd point-in-polygon on a flat [x0, y0, x1, y1, …] ring. */
function inside(ring: number[], x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
    const [xi, yi, xj, yj] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

describe('contours of the hot region', () => {
  const image = { width: 1024, height: 1024 };

  it('traces one closed outline around one hot cell, enclosing the peak and inside the region’s box', () => {
    const lines = camContours(cam([3, 1]), 7, 7, image);
    expect(lines).toHaveLength(1);
    const ring = lines[0]!;
    expect(ring.slice(0, 2)).toEqual(ring.slice(-2));
    const loc = localise(cam([3, 1]), 7, 7, templateLungField(64, 64), image);
    expect(inside(ring, loc.peak.x, loc.peak.y)).toBe(true);
    const b = loc.boxes[0]!;
    for (let i = 0; i < ring.length; i += 2) {
      expect(ring[i]!).toBeGreaterThanOrEqual(b.x - 16);
      expect(ring[i]!).toBeLessThanOrEqual(b.x + b.w + 16);
    }
  });

  it('gives separate outlines to separate regions, closes regions along the image border, and none for a flat map', () => {
    expect(camContours(cam([1, 1], [5, 5]), 7, 7, image)).toHaveLength(2);
    const corner = camContours(cam([0, 0]), 7, 7, image)[0]!;
    expect(corner.some((v, i) => i % 2 === 0 && v === 0)).toBe(true);
    expect(corner.every((v) => v >= 0 && v <= 1024)).toBe(true);
    expect(camContours(new Float32Array(49).fill(1), 7, 7, image)).toEqual([]);
  });

  it('resolves saddles consistently (two diagonal pixels above the level join only when the cell’s centre is above it)', () => {
    const grid = Float32Array.from([1, 0, 0, 1]);
    expect(isoLines(grid, 2, 2, 0.6)).toHaveLength(2);
    // Centre (mean of the four) below the level: apart; above it: one region.
    expect(isoLines(Float32Array.from([1, 0.2, 0.2, 1]), 2, 2, 0.7)).toHaveLength(2);
    expect(isoLines(Float32Array.from([1, 0.5, 0.5, 1]), 2, 2, 0.7)).toHaveLength(1);
  });
});
