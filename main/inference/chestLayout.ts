import { downsample } from '../findings/lungMask.js';

/**
 * Does an image have the layout of a frontal chest radiograph? Read from the pixels alone, so that a lateral view,
 * a CT or MR slice, an ultrasound frame or a photograph is recognised whatever its DICOM tags say (or when it has
 * none, as PNG/JPEG files do).
 *
 * The image (the model's resized input) is reduced to a coarse layout: uniform bands at the edges (film margins,
 * collimator shadows, burned-in black bars) are trimmed, intensities are replaced by their rank (so windowing,
 * gamma and bit depth do not matter), and the rest is averaged onto a 16×16 grid and standardised. Frontal chests
 * share that layout closely: two dark lung fields beside a bright mediastinum, neck and shoulders above, abdomen
 * below. A linear model of it — the mean layout and its 10 main modes of variation, fitted on frontal chest
 * radiographs (frontalChestLayoutModel.ts) — reconstructs a frontal chest well and anything else badly; the
 * reconstruction error (`residual`) is the score. The same score on the inverted image tells an inverted chest
 * (lungs bright) from a non-chest.
 *
 * A second cue catches cross-sectional and ultrasound images, whose body sits inside a background of one value
 * (air at the window floor, the area outside a sector): the share of the trimmed image's outer band that is at the
 * image minimum (`backgroundRing`). Projection radiographs have scatter and soft tissue at their edges instead.
 */

export const LAYOUT_GRID = 16;
/** Working size: the resized input is averaged down to this before trimming and ranking (cheap, and enough). */
export const LAYOUT_WORK = 64;

/** A linear (PCA) model of frontal chest layouts. */
export interface LayoutModel {
  grid: number;
  /** Mean standardised layout, grid×grid. */
  mean: readonly number[];
  /** Orthonormal modes of variation, each grid×grid. */
  basis: readonly (readonly number[])[];
  /** Where the model was fitted (kept with it as its provenance). */
  fittedOn: string;
}

export interface LayoutFeatures {
  /** Standardised rank layout, grid×grid (mean 0, standard deviation 1). */
  vector: Float32Array;
  /** Share of the working image trimmed away as uniform edge bands. */
  trimmed: number;
  /** Share of the trimmed image's outer band at the image minimum (background of a cross-sectional image). */
  backgroundRing: number;
}

function bandStd(img: Float32Array, W: number, idx: (k: number) => number, n: number): number {
  let s = 0;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const v = img[idx(k)]!;
    s += v;
    ss += v * v;
  }
  return Math.sqrt(Math.max(0, ss / n - (s / n) ** 2));
}

/** Standard deviation under which an edge row or column counts as a uniform band. */
const UNIFORM_BAND_STD = 0.02;

/** Peels uniform rows and columns off the edges (at most two thirds of each side). */
export function trimUniformBands(img: Float32Array, W: number, H: number): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = 0, x1 = W, y0 = 0, y1 = H;
  const row = (y: number) => bandStd(img, W, (k) => y * W + x0 + k, x1 - x0);
  const col = (x: number) => bandStd(img, W, (k) => (y0 + k) * W + x, y1 - y0);
  for (let pass = 0; pass < 2; pass++) {
    while (y1 - y0 > H / 3 && row(y0) < UNIFORM_BAND_STD) y0++;
    while (y1 - y0 > H / 3 && row(y1 - 1) < UNIFORM_BAND_STD) y1--;
    while (x1 - x0 > W / 3 && col(x0) < UNIFORM_BAND_STD) x0++;
    while (x1 - x0 > W / 3 && col(x1 - 1) < UNIFORM_BAND_STD) x1--;
  }
  return { x0, x1, y0, y1 };
}

/** Each value replaced by its rank in [0, 1] (ties share their mean rank). */
function ranks(values: Float32Array): Float32Array {
  const order = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
  const out = new Float32Array(values.length);
  const last = Math.max(1, values.length - 1);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const r = (i + j) / 2 / last;
    for (let k = i; k <= j; k++) out[order[k]!] = r;
    i = j + 1;
  }
  return out;
}

function standardise(v: Float32Array): Float32Array {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  const sd = Math.sqrt(s / v.length);
  return v.map((x) => (sd > 1e-9 ? (x - m) / sd : 0));
}

/** The layout of an image (row-major greyscale in [0, 1], bone bright), as the model and the gate read it. */
export function layoutFeatures(img: Float32Array, W: number, H: number): LayoutFeatures {
  const S = LAYOUT_WORK;
  const work = downsample(img, W, H, S, S);
  const t = trimUniformBands(work, S, S);
  const w = t.x1 - t.x0;
  const h = t.y1 - t.y0;
  const inside = new Float32Array(w * h);
  let min = Infinity;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = work[(t.y0 + y) * S + t.x0 + x]!;
      inside[y * w + x] = v;
      if (v < min) min = v;
    }
  }
  const band = Math.max(1, Math.round(0.03 * w));
  let ring = 0;
  let ringN = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= band && x < w - band && y >= band && y < h - band) continue;
      ringN++;
      if (inside[y * w + x]! <= min + 0.02) ring++;
    }
  }
  const ranked = ranks(inside);
  const G = LAYOUT_GRID;
  const grid = new Float32Array(G * G);
  for (let gy = 0; gy < G; gy++) {
    const ya = Math.floor((gy * h) / G);
    const yb = Math.max(ya + 1, Math.floor(((gy + 1) * h) / G));
    for (let gx = 0; gx < G; gx++) {
      const xa = Math.floor((gx * w) / G);
      const xb = Math.max(xa + 1, Math.floor(((gx + 1) * w) / G));
      let s = 0;
      for (let y = ya; y < yb; y++) for (let x = xa; x < xb; x++) s += ranked[y * w + x]!;
      grid[gy * G + gx] = s / ((yb - ya) * (xb - xa));
    }
  }
  return { vector: standardise(grid), trimmed: 1 - (w * h) / (S * S), backgroundRing: ringN ? ring / ringN : 0 };
}

/** Root-mean-square distance of a standardised layout from the model's subspace (0 = a perfect frontal chest). */
export function layoutResidual(model: LayoutModel, vector: Float32Array): number {
  const n = vector.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = vector[i]! - model.mean[i]!;
  for (const b of model.basis) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += d[i]! * b[i]!;
    for (let i = 0; i < n; i++) d[i]! -= dot * b[i]!;
  }
  let ss = 0;
  for (const v of d) ss += v * v;
  return Math.sqrt(ss / n);
}

/**
 * Fits the layout model: the mean of the standardised layouts and their `components` main modes (power iteration
 * with deflation on the covariance, from a fixed start, so the same images always give the same model).
 */
export function fitLayoutModel(vectors: readonly Float32Array[], components: number, fittedOn: string): LayoutModel {
  if (!vectors.length) throw new Error('no layouts to fit');
  const n = vectors[0]!.length;
  const mean = new Float64Array(n);
  for (const v of vectors) for (let i = 0; i < n; i++) mean[i]! += v[i]! / vectors.length;
  const centred = vectors.map((v) => Float64Array.from(v, (x, i) => x - mean[i]!));
  const basis: Float64Array[] = [];
  for (let c = 0; c < components; c++) {
    let b: Float64Array = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * (i + 1) * (c + 1)));
    for (let iter = 0; iter < 300; iter++) {
      // b ← Σ (x·b) x, with earlier modes projected out
      const next = new Float64Array(n);
      for (const x of centred) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i]! * b[i]!;
        for (let i = 0; i < n; i++) next[i]! += dot * x[i]!;
      }
      for (const prev of basis) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += next[i]! * prev[i]!;
        for (let i = 0; i < n; i++) next[i]! -= dot * prev[i]!;
      }
      let norm = 0;
      for (const v of next) norm += v * v;
      norm = Math.sqrt(norm);
      if (norm < 1e-12) break;
      for (let i = 0; i < n; i++) next[i]! /= norm;
      b = next;
    }
    // A fixed sign (largest entry positive) so refits compare equal.
    let big = 0;
    for (let i = 1; i < n; i++) if (Math.abs(b[i]!) > Math.abs(b[big]!)) big = i;
    if (b[big]! < 0) for (let i = 0; i < n; i++) b[i] = -b[i]!;
    basis.push(b);
  }
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return { grid: Math.round(Math.sqrt(n)), mean: Array.from(mean, round), basis: basis.map((b) => Array.from(b, round)), fittedOn };
}
