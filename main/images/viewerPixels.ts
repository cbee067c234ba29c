import { encodePixels, type PixelHeader } from '../api/pixelFormat.js';
import { defaultWindow, toDisplayGray, toModalityValues, windowForRange } from './display.js';
import { displayLevelFactor, reduceBox } from './displayLevel.js';
import type { LoadedImage } from './loadImage.js';
import type { PixelSpacing } from './types.js';

/**
 * Encodes an image for the viewer (main/api/pixelFormat.ts): modality values quantised to uint16 with an exact
 * slope/intercept when the values are integers spanning at most 65,536 levels (every radiograph we know), else a
 * linear quantisation over the value range. The viewer windows and inverts on the GPU. An image over the display
 * limits is sent as its display-resolution level (displayLevel.ts), with its full size in the header.
 * CPU-bound (several passes over the pixels): it runs in the image reader's worker, off the event loop.
 */
export function encodeViewerPixels(img: Pick<LoadedImage, 'frame' | 'display'>, spacing: PixelSpacing | null): Uint8Array {
  const { frame, display } = img;
  // Colour frames are shown as their luminance (0–255); greyscale frames keep their modality values.
  const colour = frame.samplesPerPixel > 1;
  const factor = displayLevelFactor(frame.width, frame.height);
  let level: { values: Float32Array; width: number; height: number };
  if (factor > 1 && !colour && !display.modalityLut) {
    // A linear rescale commutes with block averaging: reduce the stored values first, so a huge frame is never
    // copied whole into floats (a 16000² frame would take 1 GB as Float32).
    const reduced = reduceBox(frame.data, frame.width, frame.height, factor) as { values: Float32Array; width: number; height: number };
    const slope = display.rescaleSlope || 1;
    const intercept = display.rescaleIntercept || 0;
    if (slope !== 1 || intercept !== 0) for (let i = 0; i < reduced.values.length; i++) reduced.values[i] = reduced.values[i]! * slope + intercept;
    level = reduced;
  } else {
    const full = colour ? toDisplayGray(frame, display).map((v) => v * 255) : toModalityValues(frame, display);
    level = reduceBox(full, frame.width, frame.height, factor);
  }
  const values = level.values;
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
  // A reduced level of integer values (block averages) is rounded back to integers: the exact encoding then holds.
  if (factor > 1 && !integral && integerSource(img)) {
    for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i]!);
    integral = true;
  }
  const exact = integral && max - min <= 65535;
  const slope = exact ? 1 : (max - min) / 65535 || 1;
  const intercept = min;
  const stored = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) stored[i] = Math.round((values[i]! - intercept) / slope);
  const fileWindow = display.windows[0]?.width || display.voiLuts[0]?.data.length;
  const header: PixelHeader = {
    width: level.width,
    height: level.height,
    slope,
    intercept,
    // Without a window in the file, the default spans the values sent (the min-max of the level).
    window: colour ? { center: 127.5, width: 256 } : fileWindow ? defaultWindow(frame, display) : windowForRange(min, max),
    min,
    max,
    invert: !colour && display.photometric === 'MONOCHROME1',
    spacingMm: spacing ? [spacing.rowMm, spacing.colMm] : null,
    spacingSource: spacing?.source ?? null,
    ...(factor > 1 ? { source: { width: frame.width, height: frame.height } } : {}),
  };
  return encodePixels(header, stored);
}

/** Whether every modality value is an integer: integer stored values through a LUT or an integer rescale. */
function integerSource({ frame, display }: Pick<LoadedImage, 'frame' | 'display'>): boolean {
  if (frame.samplesPerPixel > 1 || frame.data instanceof Float32Array) return false;
  return display.modalityLut !== null || (Number.isInteger(display.rescaleSlope || 1) && Number.isInteger(display.rescaleIntercept || 0));
}
