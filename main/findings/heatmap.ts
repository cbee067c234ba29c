import sharp from 'sharp';
import { normaliseCam, upsample } from './localize.js';

/** Long side of heatmap PNGs: the viewer stretches them over the image, so full resolution buys nothing. */
export const HEATMAP_LONG_SIDE = 256;

/** A blue→cyan→yellow→red ramp; t in [0, 1]. */
function ramp(t: number): [number, number, number] {
  const stops: [number, [number, number, number]][] = [
    [0, [0, 0, 255]],
    [0.35, [0, 255, 255]],
    [0.65, [255, 255, 0]],
    [1, [255, 0, 0]],
  ];
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i]!;
    const [t0, c0] = stops[i - 1]!;
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k]! + (c1[k]! - c0[k]!) * f)) as [number, number, number];
    }
  }
  return stops[stops.length - 1]![1];
}

/**
 * An RGBA PNG of one label's CAM with the image's aspect ratio: colour from the CAM's own range, transparent
 * below 20% of it, more opaque towards the peak, for overlay on the displayed image.
 */
export async function renderHeatmapPng(cam: Float32Array, rows: number, cols: number, image: { width: number; height: number }): Promise<Buffer> {
  const scale = HEATMAP_LONG_SIDE / Math.max(image.width, image.height);
  const W = Math.max(1, Math.round(image.width * scale));
  const H = Math.max(1, Math.round(image.height * scale));
  const heat = normaliseCam(upsample(cam, rows, cols, W, H));
  const rgba = Buffer.alloc(W * H * 4);
  for (let i = 0; i < heat.length; i++) {
    const t = heat[i]!;
    const [r, g, b] = ramp(t);
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = t < 0.2 ? 0 : Math.round(60 + 140 * ((t - 0.2) / 0.8));
  }
  return sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
}
