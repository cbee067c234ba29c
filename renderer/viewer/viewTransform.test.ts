import { describe, expect, it } from 'vitest';
import {
  apply,
  distanceMm,
  dragWindow,
  fitScale,
  imageToViewport,
  initialGeometry,
  invert,
  pixelAspect,
  rotate,
  windowValue,
  zoomAt,
} from './viewTransform.js';

const image = { width: 200, height: 100 };
const viewport = { width: 400, height: 400 };

describe('viewer geometry', () => {
  it('keeps the fitted image clear of the corner text, between whichever bands show it larger', () => {
    // A square image in a landscape viewport: the side bands are free anyway, the top/bottom text needs room.
    const square = { width: 100, height: 100 };
    const wide = { width: 1000, height: 700 };
    expect(fitScale(square, wide, 0)).toBe(7);
    expect(fitScale(square, wide, 0, { x: 300, y: 60 })).toBeCloseTo(5.8, 6); // 700 − 2·60 high beats 1000 − 600 wide
    expect(fitScale(square, wide, 0, { x: 100, y: 60 })).toBe(7); // the side bands (800 wide) leave the full height
    expect(fitScale(square, wide, 0, { x: 900, y: 900 })).toBe(7); // nothing left: the plain fit
    const m = imageToViewport(square, wide, initialGeometry, { insets: { x: 300, y: 60 } });
    expect(apply(m, 0, 0)[1]).toBeCloseTo(60, 6);
  });

  it('draws non-square pixels in their true proportions', () => {
    expect(pixelAspect([0.336, 0.168])).toBe(2);
    expect(pixelAspect(null)).toBe(1);
    expect(pixelAspect([0, 0.1])).toBe(1);
    const m = imageToViewport({ width: 100, height: 100 }, { width: 400, height: 400 }, initialGeometry, { aspect: 2 });
    const [x0, y0] = apply(m, 0, 0);
    const [x1, y1] = apply(m, 100, 100);
    expect((y1 - y0) / (x1 - x0)).toBeCloseTo(2, 9);
    expect(y1 - y0).toBeCloseTo(400, 9);
    // Back from the screen to the same pixel, for the ruler and the shader.
    const [ix, iy] = apply(invert(m), ...apply(m, 37, 61));
    expect(ix).toBeCloseTo(37, 9);
    expect(iy).toBeCloseTo(61, 9);
  });

  it('fits the image in the viewport and centres it', () => {
    expect(fitScale(image, viewport, 0)).toBe(2);
    expect(fitScale(image, viewport, 1)).toBe(2); // rotated: 100 wide, 200 high → min(4, 2)
    const m = imageToViewport(image, viewport, initialGeometry);
    expect(apply(m, 0, 0)).toEqual([0, 100]);
    expect(apply(m, 200, 100)).toEqual([400, 300]);
  });

  it('rotates a quarter turn clockwise: the top-left corner goes to the top-right', () => {
    const m = imageToViewport(image, viewport, rotate(initialGeometry, 1));
    const [x, y] = apply(m, 0, 0);
    expect(x).toBeCloseTo(300);
    expect(y).toBeCloseTo(0);
    expect(rotate(initialGeometry, -1).rotation).toBe(3);
  });

  it('flips on screen after rotation', () => {
    const m = imageToViewport(image, viewport, { ...initialGeometry, flipH: true });
    expect(apply(m, 0, 0)).toEqual([400, 100]);
  });

  it('inverts the view matrix exactly (screen → image for the shader and the ruler)', () => {
    const m = imageToViewport(image, viewport, { ...initialGeometry, rotation: 3, flipV: true, zoom: 1.7, panX: 13, panY: -4 });
    const [sx, sy] = apply(m, 37, 81);
    const [ix, iy] = apply(invert(m), sx, sy);
    expect(ix).toBeCloseTo(37, 9);
    expect(iy).toBeCloseTo(81, 9);
  });

  it('zooms about the cursor: the image point under it stays put', () => {
    const before = imageToViewport(image, viewport, initialGeometry);
    const g = zoomAt(initialGeometry, viewport, 2, 100, 150);
    const after = imageToViewport(image, viewport, g);
    const p = apply(invert(before), 100, 150);
    const q = apply(after, p[0], p[1]);
    expect(q[0]).toBeCloseTo(100, 9);
    expect(q[1]).toBeCloseTo(150, 9);
  });

  it('measures in mm with separate row and column spacing, and refuses without spacing', () => {
    // 30 columns at 0.2 mm and 40 rows at 0.1 mm: 6 mm by 4 mm.
    expect(distanceMm([0, 0], [30, 40], [0.1, 0.2])).toBeCloseTo(Math.hypot(6, 4));
    expect(distanceMm([0, 0], [30, 40], null)).toBeNull();
  });

  it('windows linearly per DICOM and drags width with x, centre with y', () => {
    expect(windowValue(100, { center: 100, width: 201 })).toBeCloseTo(0.5 + 0.5 / 200);
    expect(windowValue(-1000, { center: 100, width: 200 })).toBe(0);
    expect(windowValue(1000, { center: 100, width: 200 })).toBe(1);
    const w = dragWindow({ center: 500, width: 1000 }, 40, -20, 4000, viewport);
    expect(w.width).toBeCloseTo(1400);
    expect(w.center).toBeCloseTo(300);
    expect(dragWindow({ center: 0, width: 10 }, -1000, 0, 4000, viewport).width).toBe(1);
  });
});
