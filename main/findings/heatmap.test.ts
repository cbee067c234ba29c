import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { absoluteHeat, HEATMAP_FLOOR, ramp, renderHeatmapPng } from './heatmap.js';

/** A 7×7 CAM with one hot cell in the patient's right lower zone. */
function cam(): Float32Array {
  const c = new Float32Array(49).fill(-2);
  c[5 * 7 + 1] = 5;
  return c;
}

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const px: { r: number; g: number; b: number; a: number }[] = [];
  for (let i = 0; i < data.length; i += info.channels) px.push({ r: data[i]!, g: data[i + 1]!, b: data[i + 2]!, a: data[i + 3]! });
  return px;
}

describe('heatmaps on one absolute scale', () => {
  it('weights the map by the probability: a finding at 2% never has more than 2% heat', () => {
    expect(Math.max(...absoluteHeat(cam(), 0.02))).toBeCloseTo(0.02, 6);
    expect(Math.max(...absoluteHeat(cam(), 0.9))).toBeCloseTo(0.9, 6);
    expect(Math.min(...absoluteHeat(cam(), 0.9))).toBe(0);
  });

  it('draws no hot spot for an improbable finding, and the same map in warm colours for a probable one', async () => {
    const image = { width: 1024, height: 1024 };
    for (const p of [0.02, 0.08]) {
      const faint = await pixels(await renderHeatmapPng(cam(), 7, 7, image, p));
      expect(Math.max(...faint.map((px) => px.a))).toBe(0);
    }
    const strong = await pixels(await renderHeatmapPng(cam(), 7, 7, image, 0.95));
    const hottest = strong.reduce((a, b) => (b.a > a.a ? b : a));
    expect(hottest.a).toBeGreaterThan(180);
    expect(hottest.r).toBeGreaterThan(200);
    expect(hottest.b).toBeLessThan(50);
    // Same colour for the same heat on every finding's map.
    expect(ramp(0.5)).toEqual(ramp(0.5));
  });

  it('tints only the hot region of the map, not the whole chest', async () => {
    const px = await pixels(await renderHeatmapPng(cam(), 7, 7, { width: 1024, height: 1024 }, 0.95));
    const tinted = px.filter((p) => p.a > 0).length / px.length;
    expect(tinted).toBeGreaterThan(0.002);
    expect(tinted).toBeLessThan(0.05);
    expect(HEATMAP_FLOOR).toBe(0.7);
  });
});
