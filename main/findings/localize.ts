import { PLACE_CRITERIA } from './anatomyRules.js';
import { components, type LungField } from './lungMask.js';

export type Zone = 'upper' | 'middle' | 'lower';
/** The patient's side of a hot region, or `midline` when its weight is split across the midline. */
export type RegionSide = 'right' | 'left' | 'midline';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One connected part of the CAM's hot region. */
export interface HotRegion {
  /** In image pixels. */
  box: Box;
  /** The region's own maximum, in image pixels. */
  peak: { x: number; y: number };
  /** Its share of the hot region's weight (0–1). */
  share: number;
  /** Patient's side (on a PA/AP image the patient's right is on the image's left): `SIDE_SHARE` of its weight there. */
  side: RegionSide;
  /** Zone of its maximum, by height within the lung field. */
  zone: Zone;
  /** Its maximum lies in the outer half of its hemithorax (for "lateral" pleural findings). */
  lateral: boolean;
  /** Its maximum lies in the lung field or within half a CAM cell of it. */
  inLungField: boolean;
}

/**
 * What the localisation saw, kept with the analysis so the text's place words can be decided (and re-decided under
 * new rules) without the image: place.ts reads these against the anatomical rules.
 */
export interface LocalisationFacts {
  version: 2;
  /** Where the lung field came from: the image, or the fallback template (whose midline is a guess). */
  lungField: LungField['source'];
  /** The CAM cell holding the maximum. */
  peakCell: { row: number; col: number; rows: number; cols: number };
  /** The maximum is in the outermost ring of CAM cells. */
  peakOnBorder: boolean;
  /** The maximum lies in the lung field or within half a CAM cell of it. */
  peakInLungField: boolean;
  /** Separate parts of the hot region, largest share first (at most three). */
  regions: HotRegion[];
}

export interface Localisation {
  /** Boxes around the CAM's hot regions, in image pixels, largest first. */
  boxes: Box[];
  /** The CAM's maximum, in image pixels. */
  peak: { x: number; y: number };
  /** Fraction of the lung field covered by the hot region (0–1). */
  extent: number;
  /** Absent in analyses stored before the facts were recorded: their place is never stated. */
  facts?: LocalisationFacts;
}

/**
 * The hot region is the part of the CAM above this fraction of its range (min → max). 0.7 was chosen on the 9 expert
 * boxes of bboxes.csv with the demo pack: at 0.5 the boxes covered 67% of the image (overlap then means nothing),
 * at 0.7 35% with 7/9 overlapping, at 0.8 18% with 4/9. Boxes, contours and place words all use this one region.
 */
export const REGION_LEVEL = 0.7;

/** Bilinear upsampling of a rows×cols grid to W×H, pixel centres aligned (as image resizers do). */
export function upsample(grid: Float32Array, rows: number, cols: number, W: number, H: number): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const gy = Math.min(rows - 1, Math.max(0, ((y + 0.5) * rows) / H - 0.5));
    const y0 = Math.floor(gy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const fy = gy - y0;
    for (let x = 0; x < W; x++) {
      const gx = Math.min(cols - 1, Math.max(0, ((x + 0.5) * cols) / W - 0.5));
      const x0 = Math.floor(gx);
      const x1 = Math.min(cols - 1, x0 + 1);
      const fx = gx - x0;
      const top = grid[y0 * cols + x0]! * (1 - fx) + grid[y0 * cols + x1]! * fx;
      const bottom = grid[y1 * cols + x0]! * (1 - fx) + grid[y1 * cols + x1]! * fx;
      out[y * W + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** CAM values rescaled to [0, 1] over the map's own range (a flat map gives all zeros). */
export function normaliseCam(cam: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < cam.length; i++) {
    const v = cam[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const out = new Float32Array(cam.length);
  if (span > 0) for (let i = 0; i < cam.length; i++) out[i] = (cam[i]! - lo) / span;
  return out;
}

/** Index of the largest value. */
function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Whether any lung-field pixel lies within `r` pixels (Chebyshev) of (x, y). */
function nearLungField(field: LungField, x: number, y: number, r: number): boolean {
  for (let yy = Math.max(0, y - r); yy <= Math.min(field.height - 1, y + r); yy++) {
    for (let xx = Math.max(0, x - r); xx <= Math.min(field.width - 1, x + r); xx++) if (field.mask[yy * field.width + xx]) return true;
  }
  return false;
}

/** The lung field's outermost columns: the lateral chest walls of the patient's right (image left) and left lung. */
function lateralEdges(field: LungField): { right: number; left: number } {
  let lo = field.width;
  let hi = -1;
  for (let i = 0; i < field.mask.length; i++) {
    if (!field.mask[i]) continue;
    const x = i % field.width;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi < 0 ? { right: 0, left: field.width - 1 } : { right: lo, left: hi };
}

/**
 * Localises one label's CAM on the lung field's grid and records what the text's place rules need: boxes, the
 * maximum (in the original image's pixels), the separate hot regions with their side and zone, and the lung-field
 * fraction they cover.
 */
export function localise(
  camGrid: Float32Array,
  rows: number,
  cols: number,
  field: LungField,
  image: { width: number; height: number },
  level = REGION_LEVEL,
): Localisation {
  const W = field.width;
  const H = field.height;
  const heat = normaliseCam(upsample(camGrid, rows, cols, W, H));
  const on = new Uint8Array(W * H);
  for (let i = 0; i < heat.length; i++) if (heat[i]! >= level) on[i] = 1;
  const peak = argmax(heat);
  const sx = image.width / W;
  const sy = image.height / H;
  const halfCell = Math.max(1, Math.round(W / cols / 2));
  const span = Math.max(1, field.bottom - field.top);
  const zoneOf = (y: number): Zone => {
    const t = (y - field.top) / span;
    return t < 1 / 3 ? 'upper' : t < 2 / 3 ? 'middle' : 'lower';
  };
  const edges = lateralEdges(field);

  const { labels, sizes } = components(on, W, H);
  // Regions smaller than a tenth of one CAM cell are interpolation crumbs, not findings.
  const minSize = (0.1 * W * H) / (rows * cols);
  const kept = sizes.map((size, id) => ({ id, size })).filter((c) => c.id > 0 && c.size >= minSize).sort((a, b) => b.size - a.size).slice(0, 3);
  const acc = new Map(kept.map(({ id }) => [id, { x0: W, y0: H, x1: -1, y1: -1, weight: 0, imageLeft: 0, peak: -1 }]));
  let inLung = 0;
  for (let i = 0; i < labels.length; i++) {
    if (on[i] && field.mask[i]) inLung++;
    const a = acc.get(labels[i]!);
    if (!a) continue;
    const x = i % W;
    const y = (i / W) | 0;
    if (x < a.x0) a.x0 = x;
    if (x > a.x1) a.x1 = x;
    if (y < a.y0) a.y0 = y;
    if (y > a.y1) a.y1 = y;
    const w = heat[i]!;
    a.weight += w;
    if (x < field.midlineX) a.imageLeft += w;
    if (a.peak < 0 || w > heat[a.peak]!) a.peak = i;
  }
  const total = [...acc.values()].reduce((s, a) => s + a.weight, 0) || 1;
  const regions: HotRegion[] = kept
    .map(({ id }) => {
      const a = acc.get(id)!;
      const px = a.peak % W;
      const py = (a.peak / W) | 0;
      const leftShare = a.weight ? a.imageLeft / a.weight : 0.5;
      const side: RegionSide = leftShare >= PLACE_CRITERIA.SIDE_SHARE ? 'right' : leftShare <= 1 - PLACE_CRITERIA.SIDE_SHARE ? 'left' : 'midline';
      const wall = px < field.midlineX ? edges.right : edges.left;
      return {
        box: { x: a.x0 * sx, y: a.y0 * sy, w: (a.x1 - a.x0 + 1) * sx, h: (a.y1 - a.y0 + 1) * sy },
        peak: { x: (px + 0.5) * sx, y: (py + 0.5) * sy },
        share: a.weight / total,
        side,
        zone: zoneOf(py),
        lateral: Math.abs(px - field.midlineX) > 0.5 * Math.abs(wall - field.midlineX),
        inLungField: nearLungField(field, px, py, halfCell),
      };
    })
    .sort((a, b) => b.share - a.share);

  const cell = argmax(camGrid.subarray(0, rows * cols));
  const row = Math.floor(cell / cols);
  const col = cell % cols;
  const px = peak % W;
  const py = (peak / W) | 0;
  return {
    boxes: regions.map((r) => r.box),
    peak: { x: (px + 0.5) * sx, y: (py + 0.5) * sy },
    extent: field.area ? Math.min(1, inLung / field.area) : 0,
    facts: {
      version: 2,
      lungField: field.source,
      peakCell: { row, col, rows, cols },
      peakOnBorder: row === 0 || col === 0 || row === rows - 1 || col === cols - 1,
      peakInLungField: nearLungField(field, px, py, halfCell),
      regions,
    },
  };
}
