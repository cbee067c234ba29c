/**
 * The quality gate run before findings are shown: the model was trained on frontal (PA/AP) chest radiographs with
 * bone bright, and its findings mean nothing on anything else. An image that fails gets no findings at all (see
 * presentAnalysis), only the reason; a reader may override explicitly, and that is audited.
 *
 * Two sources, and either is enough to withhold:
 * - DICOM tags, where present: ViewPosition lateral/oblique, BodyPartExamined not chest, modality not a projection
 *   radiograph, ImageLaterality of a single side (a chest film is not lateralised);
 * - the pixels, always (PNG/JPEG have no tags, and tags can be missing or wrong): the image must be large enough to
 *   read, not nearly uniform, of a plausible film shape, and have the layout of a frontal chest radiograph
 *   (chestLayout.ts: the reconstruction error of a linear model of frontal chest layouts, plus the background band
 *   that cross-sectional and ultrasound images have around the body). The same model on the inverted image tells an
 *   inverted chest (white lungs) from a non-chest image.
 * Thresholds and their measured rates: see the constants below and bench/gate.ts (NIH frontals withheld, chest
 * DICOMs withheld, conformance images flagged by modality, with their tags stripped).
 */

import { layoutFeatures, layoutResidual, type LayoutModel } from './chestLayout.js';
import { FRONTAL_CHEST_LAYOUT } from './frontalChestLayoutModel.js';

export type QualityCode =
  | 'lateral_view'
  | 'not_chest'
  | 'not_radiograph'
  | 'lateralised'
  | 'inverted_polarity'
  | 'not_frontal_or_rotated'
  | 'low_contrast'
  | 'too_small';

export interface QualityFlag {
  code: QualityCode;
  source: 'dicom' | 'image';
  message: string;
}

export interface ImageTags {
  modality?: string;
  viewPosition?: string;
  bodyPart?: string;
  photometric?: string;
  imageLaterality?: string;
}

// A type, not an interface: it is stored as a record of numbers (db/analysisColumns.ts StoredQuality).
export type ImageQualityStats = {
  std: number;
  /** Distance of the image's layout from the frontal chest model (chestLayout.ts); lower is more chest-like. */
  residual: number;
  /** The same for the inverted image. */
  invertedResidual: number;
  /** Share of the outer band at the image minimum (cross-sectional background). */
  backgroundRing: number;
  /** Share of the image trimmed as uniform edge bands. */
  trimmed: number;
};

export interface QualityReport {
  ok: boolean;
  flags: QualityFlag[];
  stats: ImageQualityStats;
}

const LATERAL_VIEWS = new Set(['LL', 'RL', 'LAT', 'LATERAL', 'LLD', 'RLD', 'LO', 'RLO', 'LPO', 'RPO', 'LAO', 'RAO', 'OBL', 'OBLIQUE']);
const CHEST_PARTS = new Set(['', 'CHEST', 'THORAX', 'LUNG', 'LUNGS', 'TORSO', 'PORT CHEST', 'CHEST_PA', 'CHEST PA']);
const RADIOGRAPH_MODALITIES = new Set(['', 'CR', 'DX', 'DR', 'RF', 'OT']);

/** Standard deviation below this: blank or nearly uniform image. NIH minimum ≈ 0.11. */
export const STD_MIN = 0.04;
/**
 * Shortest side below this (pixels): too small to read. The model reads 224×224; chest films are 1,000–3,000 pixels
 * a side (the smallest real chest here is 440). Thumbnails, icons and 16×16 test images stop here.
 */
export const MIN_SIDE = 200;
/** Width/height outside [1/MAX_ASPECT, MAX_ASPECT]: not a chest film (e.g. a whole-body scan at 1:4). */
export const MAX_ASPECT = 2;
/**
 * Layout residual above this: not a frontal chest, whatever else. Fitted model: NIH calibration split (80 images);
 * the highest frontal chest measured is 0.72 (a neonate on a white frame), a CR tibia scores 0.78, CT and MR slices
 * 0.57–1.2 (bench/gate.ts prints the distributions).
 */
export const RESIDUAL_MAX = 0.75;
/** Above this residual, a body surrounded by a background band (BACKGROUND_RING_MIN of the edge) is not a chest film. */
export const RESIDUAL_ENCLOSED = 0.5;
/** NIH frontals: at most 0.54 of the edge band at the minimum; CT/MR/US slices 0.37–0.87. */
export const BACKGROUND_RING_MIN = 0.3;
/** An image whose inversion scores below this (while the image itself fails) is an inverted chest radiograph. */
export const INVERTED_RESIDUAL_MAX = 0.5;

/** The model of frontal chest layouts the gate uses (fitted by `bench/gate.ts --fit`). */
export const GATE_LAYOUT_MODEL: LayoutModel = FRONTAL_CHEST_LAYOUT;

export function checkTags(tags: ImageTags): QualityFlag[] {
  const flags: QualityFlag[] = [];
  const view = (tags.viewPosition ?? '').trim().toUpperCase();
  const part = (tags.bodyPart ?? '').trim().toUpperCase();
  const modality = (tags.modality ?? '').trim().toUpperCase();
  const laterality = (tags.imageLaterality ?? '').trim().toUpperCase();
  if (LATERAL_VIEWS.has(view)) flags.push({ code: 'lateral_view', source: 'dicom', message: `ViewPosition is ${view}: the model reads frontal (PA/AP) chest radiographs only` });
  if (!CHEST_PARTS.has(part)) flags.push({ code: 'not_chest', source: 'dicom', message: `BodyPartExamined is ${part}: not a chest image` });
  if (!RADIOGRAPH_MODALITIES.has(modality)) flags.push({ code: 'not_radiograph', source: 'dicom', message: `modality is ${modality}: not a projection radiograph` });
  if (laterality === 'L' || laterality === 'R') flags.push({ code: 'lateralised', source: 'dicom', message: `ImageLaterality is ${laterality}: a single-side image, not a chest film` });
  return flags;
}

/**
 * The pixel checks, on the resized input (W×H, greyscale in [0, 1], bone bright) and the original size in pixels.
 * No tags are read here: this is what still holds when an image has none.
 */
export function checkImage(
  img: Float32Array,
  W: number,
  H: number,
  original: { width: number; height: number } = { width: W, height: H },
  model: LayoutModel = GATE_LAYOUT_MODEL,
): { flags: QualityFlag[]; stats: ImageQualityStats } {
  let s = 0;
  let ss = 0;
  for (const v of img) {
    s += v;
    ss += v * v;
  }
  const mean = s / img.length;
  const std = Math.sqrt(Math.max(0, ss / img.length - mean * mean));
  const layout = layoutFeatures(img, W, H);
  const residual = layoutResidual(model, layout.vector);
  const invertedResidual = layoutResidual(model, layout.vector.map((v) => -v));
  const stats: ImageQualityStats = { std, residual, invertedResidual, backgroundRing: layout.backgroundRing, trimmed: layout.trimmed };
  const flags: QualityFlag[] = [];
  const side = Math.min(original.width, original.height);
  if (side < MIN_SIDE) {
    flags.push({ code: 'too_small', source: 'image', message: `the image is ${original.width}×${original.height} pixels: too small to read (a chest radiograph has at least ${MIN_SIDE} a side)` });
  }
  if (std < STD_MIN) {
    flags.push({ code: 'low_contrast', source: 'image', message: `nearly uniform image (standard deviation ${std.toFixed(3)})` });
    return { flags, stats };
  }
  const aspect = original.width / original.height;
  if (aspect > MAX_ASPECT || aspect < 1 / MAX_ASPECT) {
    flags.push({ code: 'not_chest', source: 'image', message: `the image is ${original.width}×${original.height} pixels: not the shape of a chest film` });
  }
  const enclosed = residual > RESIDUAL_ENCLOSED && layout.backgroundRing > BACKGROUND_RING_MIN;
  if (residual > RESIDUAL_ENCLOSED && invertedResidual < INVERTED_RESIDUAL_MAX && invertedResidual < residual) {
    flags.push({
      code: 'inverted_polarity',
      source: 'image',
      message: `the image looks like an inverted frontal chest (white lungs): layout score ${residual.toFixed(2)}, inverted ${invertedResidual.toFixed(2)}`,
    });
  } else if (residual > RESIDUAL_MAX || enclosed) {
    flags.push({
      code: 'not_frontal_or_rotated',
      source: 'image',
      message: enclosed
        ? `not the layout of a frontal chest radiograph (score ${residual.toFixed(2)}; ${Math.round(layout.backgroundRing * 100)}% of the edge is background): a cross-sectional, ultrasound or other image?`
        : `not the layout of a frontal chest radiograph (score ${residual.toFixed(2)}, limit ${RESIDUAL_MAX}): a lateral view, another body part or modality, or a rotated image?`,
    });
  }
  return { flags, stats };
}

/** Tags first, then the pixel checks; findings are withheld when any flag is raised. */
export function assessQuality(
  tags: ImageTags,
  resized: Float32Array,
  W: number,
  H: number,
  original: { width: number; height: number } = { width: W, height: H },
): QualityReport {
  const tagFlags = checkTags(tags);
  const { flags, stats } = checkImage(resized, W, H, original);
  const all = [...tagFlags, ...flags];
  return { ok: all.length === 0, flags: all, stats };
}
