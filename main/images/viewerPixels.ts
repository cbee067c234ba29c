import { encodePixels, type PixelHeader } from '../api/pixelFormat.js';
import { defaultWindow, toDisplayGray, toModalityValues } from './display.js';
import type { LoadedImage } from './loadImage.js';
import type { PixelSpacing } from './types.js';

/**
 * Encodes an image for the viewer (main/api/pixelFormat.ts): modality values quantised to uint16 with an exact
 * slope/intercept when the values are integers spanning at most 65,536 levels (every radiograph we know), else a
 * linear quantisation over the value range. The viewer windows and inverts on the GPU.
 */
export function encodeViewerPixels(img: LoadedImage, spacing: PixelSpacing | null): Uint8Array {
  // Colour frames are shown as their luminance (0–255); greyscale frames keep their modality values.
  const colour = img.frame.samplesPerPixel > 1;
  const values = colour ? toDisplayGray(img.frame, img.display).map((v) => v * 255) : toModalityValues(img.frame, img.display);
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && v !== Math.round(v)) integral = false;
  }
  if (!Number.isFinite(min)) min = max = 0;
  const exact = integral && max - min <= 65535;
  const slope = exact ? 1 : (max - min) / 65535 || 1;
  const intercept = min;
  const stored = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) stored[i] = Math.round((values[i]! - intercept) / slope);
  const header: PixelHeader = {
    width: img.frame.width,
    height: img.frame.height,
    slope,
    intercept,
    window: colour ? { center: 127.5, width: 256 } : defaultWindow(img.frame, img.display),
    min,
    max,
    invert: !colour && img.display.photometric === 'MONOCHROME1',
    spacingMm: spacing ? [spacing.rowMm, spacing.colMm] : null,
    spacingSource: spacing?.source ?? null,
  };
  return encodePixels(header, stored);
}
