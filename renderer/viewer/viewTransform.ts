/**
 * Geometry of the viewer as pure functions, so zoom, pan, rotation, flips and the ruler can be tested without a
 * canvas. Affine matrices use the SVG/Canvas convention [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f.
 */
export type Affine = readonly [number, number, number, number, number, number];

/** What the user changed about the geometry. Zoom is relative to "fit", so two linked viewers of different image
 * sizes stay comparable; pan is in CSS pixels of the viewport. */
export interface ViewGeometry {
  zoom: number;
  panX: number;
  panY: number;
  /** Quarter turns clockwise. */
  rotation: 0 | 1 | 2 | 3;
  /** Mirror the displayed image left-right / top-bottom (applied after rotation, i.e. on screen). */
  flipH: boolean;
  flipV: boolean;
}

export const initialGeometry: ViewGeometry = { zoom: 1, panX: 0, panY: 0, rotation: 0, flipH: false, flipV: false };

export interface Size {
  width: number;
  height: number;
}

export function multiply(m: Affine, n: Affine): Affine {
  // m ∘ n: apply n first, then m.
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function invert(m: Affine): Affine {
  const det = m[0] * m[3] - m[1] * m[2];
  if (det === 0) throw new Error('singular view matrix');
  const a = m[3] / det;
  const b = -m[1] / det;
  const c = -m[2] / det;
  const d = m[0] / det;
  return [a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5])];
}

export function apply(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/**
 * What the fitted image must leave free: `x` CSS pixels at the left and right edges, `y` at the top and bottom (the
 * corner text). The image fits either between the side bands or between the top and bottom ones, whichever shows it
 * larger, so the text never sits on the picture (and on its burned-in annotations) at the fitted zoom.
 */
export interface FitInsets {
  x: number;
  y: number;
}

/** Scale at which the (rotated) image fits the viewport entirely, clear of `insets`. */
export function fitScale(image: Size, viewport: Size, rotation: ViewGeometry['rotation'], insets: FitInsets = { x: 0, y: 0 }): number {
  const w = rotation % 2 ? image.height : image.width;
  const h = rotation % 2 ? image.width : image.height;
  if (w <= 0 || h <= 0 || viewport.width <= 0 || viewport.height <= 0) return 1;
  const within = (vw: number, vh: number) => (vw > 0 && vh > 0 ? Math.min(vw / w, vh / h) : 0);
  const full = within(viewport.width, viewport.height);
  const best = Math.max(within(viewport.width - 2 * insets.x, viewport.height), within(viewport.width, viewport.height - 2 * insets.y));
  // Insets larger than the viewport leave nothing: then the plain fit.
  return best > 0 ? Math.min(best, full) : full;
}

/**
 * Height of a pixel relative to its width: PixelSpacing is [row spacing, column spacing] in mm, so rows 0.2 mm apart
 * and columns 0.1 mm apart make each pixel twice as tall as wide, and the image must be drawn twice as tall.
 * 1 when the spacing is unknown or square.
 */
export function pixelAspect(spacingMm: readonly [number, number] | null | undefined): number {
  if (!spacingMm || !(spacingMm[0] > 0) || !(spacingMm[1] > 0)) return 1;
  return spacingMm[0] / spacingMm[1];
}

const ROTATIONS: Record<ViewGeometry['rotation'], Affine> = {
  0: [1, 0, 0, 1, 0, 0],
  1: [0, 1, -1, 0, 0, 0],
  2: [-1, 0, 0, -1, 0, 0],
  3: [0, -1, 1, 0, 0, 0],
};

/**
 * Image pixel coordinates (origin top-left, pixel centres at +0.5) to viewport CSS pixels. `aspect` (see
 * {@link pixelAspect}) stretches rows so that non-square pixels show the anatomy in its true proportions.
 */
export function imageToViewport(image: Size, viewport: Size, g: ViewGeometry, options: { insets?: FitInsets; aspect?: number } = {}): Affine {
  const aspect = options.aspect ?? 1;
  const shown = { width: image.width, height: image.height * aspect };
  const s = fitScale(shown, viewport, g.rotation, options.insets) * g.zoom;
  let m: Affine = [1, 0, 0, aspect, -shown.width / 2, -shown.height / 2];
  m = multiply(ROTATIONS[g.rotation], m);
  m = multiply([g.flipH ? -1 : 1, 0, 0, g.flipV ? -1 : 1, 0, 0], m);
  m = multiply([s, 0, 0, s, viewport.width / 2 + g.panX, viewport.height / 2 + g.panY], m);
  return m;
}

/** Zoom by `factor` keeping the image point under (x, y) of the viewport where it is. */
export function zoomAt(g: ViewGeometry, viewport: Size, factor: number, x: number, y: number): ViewGeometry {
  const zoom = clamp(g.zoom * factor, 0.05, 50);
  const f = zoom / g.zoom;
  const cx = viewport.width / 2 + g.panX;
  const cy = viewport.height / 2 + g.panY;
  return { ...g, zoom, panX: g.panX + (x - cx) * (1 - f), panY: g.panY + (y - cy) * (1 - f) };
}

/** Rotate a quarter turn clockwise (+1) or counter-clockwise (−1). */
export function rotate(g: ViewGeometry, quarterTurns: 1 | -1): ViewGeometry {
  return { ...g, rotation: (((g.rotation + quarterTurns) % 4) + 4) % 4 as ViewGeometry['rotation'] };
}

/**
 * Length of a segment given in image pixels, in mm. `spacingMm` is DICOM order: [row spacing (between rows, i.e.
 * along y), column spacing (along x)]. Null when the spacing is unknown, so the caller says so instead of guessing.
 */
export function distanceMm(
  a: [number, number],
  b: [number, number],
  spacingMm: [number, number] | null,
): number | null {
  if (!spacingMm) return null;
  const dx = (b[0] - a[0]) * spacingMm[1];
  const dy = (b[1] - a[1]) * spacingMm[0];
  return Math.hypot(dx, dy);
}

export function distancePx(a: [number, number], b: [number, number]): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}

/** Display window: centre and width in modality units. */
export interface WindowLevel {
  center: number;
  width: number;
}

/**
 * Window/level drag: horizontal movement changes the width, vertical the centre, scaled to the image's value range
 * so a drag across the viewport sweeps roughly the whole range whatever the bit depth.
 */
export function dragWindow(start: WindowLevel, dx: number, dy: number, range: number, viewport: Size): WindowLevel {
  const perPx = Math.max(range, 1) / Math.max(Math.min(viewport.width, viewport.height), 1);
  return { center: start.center + dy * perPx, width: Math.max(1, start.width + dx * perPx) };
}

/** DICOM PS3.3 C.11.2.1.2 linear VOI function to [0, 1]; the shader computes the same. */
export function windowValue(value: number, w: WindowLevel): number {
  const width = Math.max(w.width, 1);
  if (width <= 1) return value < w.center - 0.5 ? 0 : 1;
  return clamp((value - (w.center - 0.5)) / (width - 1) + 0.5, 0, 1);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
