import { components, type LungField } from './lungMask.js';

export type Laterality = 'right' | 'left' | 'bilateral';
export type Zone = 'upper' | 'middle' | 'lower';
export type Organ = 'lung' | 'pleura' | 'heart' | 'mediastinum' | 'diaphragm';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Localisation {
  /** Boxes around the CAM's hot regions, in image pixels, largest first. */
  boxes: Box[];
  /** The CAM's maximum, in image pixels. */
  peak: { x: number; y: number };
  /** Patient's side (on a PA/AP image the patient's right is on the image's left). */
  laterality: Laterality;
  zone: Zone;
  /** Fraction of the lung field covered by the hot region (0–1). */
  extent: number;
  organ: Organ;
  /** How the organ was chosen: from the label alone, or corrected by where the peak lies. */
  organBasis: 'label' | 'location';
}

/**
 * Which organ a finding belongs to, by label. Packs may override or extend it with `organs` in their manifest;
 * an unknown label defaults to lung, and Mass/Nodule-like lung labels move to the mediastinum when their peak lies
 * outside the lung field near the midline.
 */
export const DEFAULT_LABEL_ORGANS: Record<string, Organ> = {
  Cardiomegaly: 'heart',
  Effusion: 'pleura',
  Pleural_Thickening: 'pleura',
  Pneumothorax: 'pleura',
  Hernia: 'diaphragm',
};

/**
 * The hot region is the part of the CAM above this fraction of its range (min → max). 0.7 was chosen on the 9 expert
 * boxes of bboxes.csv with the demo pack: at 0.5 the boxes covered 67% of the image (overlap then means nothing),
 * at 0.7 35% with 7/9 overlapping, at 0.8 18% with 4/9.
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

/**
 * Localises one label's CAM on the lung field's grid (the model input size) and reports boxes and the peak in the
 * original image's pixels.
 */
export function localise(
  label: string,
  camGrid: Float32Array,
  rows: number,
  cols: number,
  field: LungField,
  image: { width: number; height: number },
  organs: Record<string, Organ> = DEFAULT_LABEL_ORGANS,
  level = REGION_LEVEL,
): Localisation {
  const W = field.width;
  const H = field.height;
  const heat = normaliseCam(upsample(camGrid, rows, cols, W, H));
  const on = new Uint8Array(W * H);
  let peak = 0;
  for (let i = 0; i < heat.length; i++) {
    if (heat[i]! >= level) on[i] = 1;
    if (heat[i]! > heat[peak]!) peak = i;
  }
  const sx = image.width / W;
  const sy = image.height / H;
  const { labels, sizes } = components(on, W, H);
  // Regions smaller than a tenth of one CAM cell are interpolation crumbs, not findings.
  const minSize = (0.1 * W * H) / (rows * cols);
  const ids = sizes.map((size, id) => ({ id, size })).filter((c) => c.id > 0 && c.size >= minSize).sort((a, b) => b.size - a.size).slice(0, 3);
  const extents = new Map(ids.map(({ id }) => [id, { x0: W, y0: H, x1: -1, y1: -1 }]));
  for (let i = 0; i < labels.length; i++) {
    const e = extents.get(labels[i]!);
    if (!e) continue;
    const x = i % W;
    const y = (i / W) | 0;
    if (x < e.x0) e.x0 = x;
    if (x > e.x1) e.x1 = x;
    if (y < e.y0) e.y0 = y;
    if (y > e.y1) e.y1 = y;
  }
  const boxes: Box[] = ids.map(({ id }) => {
    const e = extents.get(id)!;
    return { x: e.x0 * sx, y: e.y0 * sy, w: (e.x1 - e.x0 + 1) * sx, h: (e.y1 - e.y0 + 1) * sy };
  });

  // Laterality from how the hot region's mass splits across the midline between the lungs.
  let leftOfMidline = 0;
  let total = 0;
  let inLung = 0;
  for (let i = 0; i < on.length; i++) {
    if (!on[i]) continue;
    const x = i % W;
    const w = heat[i]!;
    total += w;
    if (x < field.midlineX) leftOfMidline += w;
    if (field.mask[i]) inLung++;
  }
  const imageLeftShare = total ? leftOfMidline / total : 0.5;
  const laterality: Laterality = imageLeftShare >= 0.75 ? 'right' : imageLeftShare <= 0.25 ? 'left' : 'bilateral';

  const px = peak % W;
  const py = (peak / W) | 0;
  const span = Math.max(1, field.bottom - field.top);
  const t = (py - field.top) / span;
  const zone: Zone = t < 1 / 3 ? 'upper' : t < 2 / 3 ? 'middle' : 'lower';
  const extent = field.area ? inLung / field.area : 0;

  let organ: Organ = organs[label] ?? 'lung';
  let organBasis: Localisation['organBasis'] = 'label';
  const nearMidline = Math.abs(px - field.midlineX) < 0.12 * W;
  if (organ === 'lung' && !field.mask[peak] && nearMidline) {
    organ = 'mediastinum';
    organBasis = 'location';
  }
  return { boxes, peak: { x: (px + 0.5) * sx, y: (py + 0.5) * sy }, laterality, zone, extent: Math.min(1, extent), organ, organBasis };
}
