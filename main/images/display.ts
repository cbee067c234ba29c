/**
 * The greyscale display pipeline of PS3.3 C.11 (pure functions, no I/O): stored values → modality LUT or rescale →
 * VOI (window per C.11.2.1.2, or VOI LUT table) → MONOCHROME1 inversion, so bone is bright whatever the photometric
 * interpretation. Colour frames (RGB, as the readers return them) are reduced to luminance.
 */
import type { DecodedFrame, DisplayParameters, ModalityLutTable, VoiLutTable } from './types.js';

export interface Window {
  center: number;
  width: number;
}

/** Rec. 601 luma weights, the ones DICOM viewers and JPEG YCbCr use. */
const LUMA = [0.299, 0.587, 0.114] as const;

function isColour(frame: DecodedFrame): boolean {
  return frame.samplesPerPixel >= 3;
}

function lookup(table: ModalityLutTable | VoiLutTable, value: number): number {
  const i = Math.round(value) - table.firstMapped;
  const data = table.data;
  return data[i < 0 ? 0 : i >= data.length ? data.length - 1 : i]!;
}

/** Luminance of an interleaved colour frame, in stored units. */
function luminance(frame: DecodedFrame): Float32Array {
  const spp = frame.samplesPerPixel;
  const n = frame.width * frame.height;
  const out = new Float32Array(n);
  const d = frame.data;
  for (let p = 0, i = 0; p < n; p++, i += spp) out[p] = LUMA[0] * d[i]! + LUMA[1] * d[i + 1]! + LUMA[2] * d[i + 2]!;
  return out;
}

/**
 * Modality values (e.g. Hounsfield units or the detector's output units), one per pixel: the Modality LUT Sequence
 * when present, otherwise Rescale Slope × stored + Rescale Intercept. Colour frames give their luminance.
 */
export function toModalityValues(frame: DecodedFrame, display: DisplayParameters): Float32Array {
  if (isColour(frame)) return luminance(frame);
  const n = frame.width * frame.height;
  const out = new Float32Array(n);
  const d = frame.data;
  const lut = display.modalityLut;
  if (lut) {
    for (let i = 0; i < n; i++) out[i] = lookup(lut, d[i]!);
    return out;
  }
  const slope = display.rescaleSlope || 1;
  const intercept = display.rescaleIntercept || 0;
  if (slope === 1 && intercept === 0) {
    for (let i = 0; i < n; i++) out[i] = d[i]!;
  } else {
    for (let i = 0; i < n; i++) out[i] = d[i]! * slope + intercept;
  }
  return out;
}

function minMax(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { min: 0, max: 0 };
  return { min, max };
}

/** A window that spans [min, max] exactly under the LINEAR function of C.11.2.1.2. */
export function windowForRange(min: number, max: number): Window {
  // LINEAR maps c - 0.5 ± (w - 1) / 2 to the ends, so w = max - min + 1 and c = (min + max + 1) / 2.
  const width = Math.max(max - min + 1, 1);
  return { center: (min + max + 1) / 2, width };
}

/**
 * The window to show first: the file's first window; else the input range of the first VOI LUT; else the min–max of
 * the modality values. Colour frames get the full range of their bit depth.
 */
export function defaultWindow(frame: DecodedFrame, display: DisplayParameters): Window {
  if (isColour(frame)) {
    const max = 2 ** (frame.bitsStored || 8) - 1;
    return windowForRange(0, max);
  }
  const first = display.windows[0];
  if (first && first.width > 0) return { center: first.center, width: first.width };
  const voi = display.voiLuts[0];
  if (voi && voi.data.length > 0) return windowForRange(voi.firstMapped, voi.firstMapped + voi.data.length - 1);
  const { min, max } = minMax(toModalityValues(frame, display));
  return windowForRange(min, max);
}

/** Applies one VOI window function to modality values, writing [0,1] into `out`. */
function applyWindow(values: Float32Array, window: Window, fn: DisplayParameters['voiFunction'], out: Float32Array): void {
  const c = window.center;
  const w = window.width;
  const n = values.length;
  if (fn === 'SIGMOID') {
    const k = -4 / (w > 0 ? w : 1);
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(k * (values[i]! - c)));
    return;
  }
  if (fn === 'LINEAR_EXACT') {
    const ww = w > 0 ? w : Number.MIN_VALUE;
    const lo = c - ww / 2;
    const hi = c + ww / 2;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      out[i] = x <= lo ? 0 : x > hi ? 1 : (x - c) / ww + 0.5;
    }
    return;
  }
  // LINEAR: the standard requires width >= 1; with width 1 the window is a threshold at c - 0.5.
  const ww = Math.max(w, 1);
  const lo = c - 0.5 - (ww - 1) / 2;
  const hi = c - 0.5 + (ww - 1) / 2;
  if (ww === 1) {
    for (let i = 0; i < n; i++) out[i] = values[i]! <= lo ? 0 : 1;
    return;
  }
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    out[i] = x <= lo ? 0 : x > hi ? 1 : (x - (c - 0.5)) / (ww - 1) + 0.5;
  }
}

/** Applies a VOI LUT table to modality values, writing [0,1] (table output scaled by its bit depth). */
function applyVoiLut(values: Float32Array, table: VoiLutTable, out: Float32Array): void {
  // The descriptor's bit depth gives the output range (readLut widens it when the data exceed it).
  const scale = 2 ** table.bits - 1;
  for (let i = 0; i < values.length; i++) out[i] = lookup(table, values[i]!) / scale;
}

/**
 * The displayed grey level of each pixel in [0, 1]: modality LUT or rescale, then the VOI stage (the given window, else
 * the file's first window, else its first VOI LUT table, else a min–max window), then MONOCHROME1 inversion so that
 * higher attenuation is always brighter. Colour frames give their luminance scaled by their bit depth (a given window
 * applies to that luminance).
 */
export function toDisplayGray(frame: DecodedFrame, display: DisplayParameters, window?: Window): Float32Array {
  const table = integerTable(frame);
  if (table) {
    // Integer greyscale: run the pipeline once per distinct stored value, then look every pixel up.
    const gray = displayGrayOf(table.frame, display, window);
    const out = new Float32Array(frame.width * frame.height);
    const d = frame.data;
    const min = table.min;
    for (let i = 0; i < out.length; i++) out[i] = gray[d[i]! - min]!;
    return out;
  }
  return displayGrayOf(frame, display, window);
}

/** Stored values above this many distinct levels are processed pixel by pixel instead of through a table. */
const MAX_TABLE = 1 << 17;

/**
 * For integer greyscale frames, a one-row frame holding every stored value from the minimum to the maximum. The
 * pipeline is a function of the stored value alone, so computing it on this row and indexing gives the same result
 * faster (a 1024² 8-bit image has 256 levels). The min–max default window is unchanged as the row spans the same range.
 */
function integerTable(frame: DecodedFrame): { frame: DecodedFrame; min: number } | null {
  if (isColour(frame) || frame.data instanceof Float32Array) return null;
  const d = frame.data;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || max - min + 1 > MAX_TABLE || max - min + 1 >= d.length) return null;
  const levels = new Int32Array(max - min + 1);
  for (let i = 0; i < levels.length; i++) levels[i] = min + i;
  return { frame: { ...frame, width: levels.length, height: 1, data: levels }, min };
}

/** The pipeline itself, pixel by pixel. */
function displayGrayOf(frame: DecodedFrame, display: DisplayParameters, window?: Window): Float32Array {
  const values = toModalityValues(frame, display);
  const out = new Float32Array(values.length);
  if (isColour(frame)) {
    applyWindow(values, window ?? defaultWindow(frame, display), 'LINEAR', out);
    return out;
  }
  if (window) {
    applyWindow(values, window, display.voiFunction, out);
  } else if (display.windows[0] && display.windows[0].width > 0) {
    applyWindow(values, display.windows[0], display.voiFunction, out);
  } else if (display.voiLuts[0]) {
    applyVoiLut(values, display.voiLuts[0], out);
  } else {
    const { min, max } = minMax(values);
    applyWindow(values, windowForRange(min, max), 'LINEAR', out);
  }
  if (display.photometric === 'MONOCHROME1') {
    for (let i = 0; i < out.length; i++) out[i] = 1 - out[i]!;
  }
  return out;
}

/** toDisplayGray as 8-bit grey levels (0..255), for thumbnails and previews. */
export function toDisplayGray8(frame: DecodedFrame, display: DisplayParameters, window?: Window): Uint8Array {
  const table = integerTable(frame);
  const out = new Uint8Array(frame.width * frame.height);
  if (table) {
    const gray = displayGrayOf(table.frame, display, window);
    const levels = new Uint8Array(gray.length);
    for (let i = 0; i < gray.length; i++) levels[i] = Math.round(gray[i]! * 255);
    const d = frame.data;
    const min = table.min;
    for (let i = 0; i < out.length; i++) out[i] = levels[d[i]! - min]!;
    return out;
  }
  const gray = displayGrayOf(frame, display, window);
  for (let i = 0; i < gray.length; i++) out[i] = Math.round(gray[i]! * 255);
  return out;
}
