import sharp from 'sharp';
import { normaliseCam, REGION_LEVEL, upsample } from './localize.js';

/** Long side of heatmap PNGs: the viewer stretches them over the image, so full resolution buys nothing. */
export const HEATMAP_LONG_SIDE = 256;

/**
 * Bumped whenever the picture changes, so heatmaps cached under the data folder by an earlier version are rendered
 * again rather than served (v2: one absolute scale weighted by the probability, the hot region only).
 */
export const HEATMAP_RENDER_VERSION = 2;

/**
 * Below this part of its own range a map shows nothing: the heatmap fills the hot region (the region the outline and
 * the boxes enclose), coloured by absolute heat. Tinting the rest of the map painted the whole chest.
 */
export const HEATMAP_FLOOR = REGION_LEVEL;

/**
 * Nothing is drawn below this absolute heat: a finding at 8% would otherwise lay a faint veil over half the film
 * (measured on a screenshot: 59% of the viewport's pixels changed for an 8% cardiomegaly).
 */
export const HEAT_MIN = 0.1;

/** A blue→cyan→yellow→red ramp; t in [0, 1]. */
export function ramp(t: number): [number, number, number] {
  const stops: [number, [number, number, number]][] = [
    [0, [0, 0, 255]],
    [0.35, [0, 255, 255]],
    [0.65, [255, 255, 0]],
    [1, [255, 0, 0]],
  ];
  const c = Math.min(1, Math.max(0, t));
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i]!;
    const [t0, c0] = stops[i - 1]!;
    if (c <= t1) {
      const f = (c - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k]! + (c1[k]! - c0[k]!) * f)) as [number, number, number];
    }
  }
  return stops[stops.length - 1]![1];
}

/**
 * The heat of one CAM on the scale every finding shares: the map's own range (0 at its minimum, 1 at its maximum)
 * times the finding's probability. A finding at 2% can therefore never draw more than 2% heat, wherever its map
 * peaks, and the same colour means the same heat on every finding's map.
 */
export function absoluteHeat(cam: Float32Array, probability: number): Float32Array {
  const n = normaliseCam(cam);
  const p = Math.min(1, Math.max(0, probability));
  for (let i = 0; i < n.length; i++) n[i] = n[i]! * p;
  return n;
}

/**
 * An RGBA PNG of one label's CAM with the image's aspect ratio, for overlay on the displayed image: colour from
 * the absolute heat (ramp over [0, 1]), transparent below HEATMAP_FLOOR of the map's range and below HEAT_MIN heat,
 * opacity rising with heat.
 */
export async function renderHeatmapPng(cam: Float32Array, rows: number, cols: number, image: { width: number; height: number }, probability: number): Promise<Buffer> {
  const scale = HEATMAP_LONG_SIDE / Math.max(image.width, image.height);
  const W = Math.max(1, Math.round(image.width * scale));
  const H = Math.max(1, Math.round(image.height * scale));
  const up = upsample(cam, rows, cols, W, H);
  const relative = normaliseCam(up);
  const heat = absoluteHeat(up, probability);
  const rgba = Buffer.alloc(W * H * 4);
  for (let i = 0; i < heat.length; i++) {
    const t = heat[i]!;
    if (relative[i]! < HEATMAP_FLOOR || t < HEAT_MIN) continue;
    const [r, g, b] = ramp(t);
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = Math.round(255 * Math.min(0.85, 1.2 * t));
  }
  return sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}
