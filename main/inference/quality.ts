/**
 * The quality gate run before findings are shown: the model was trained on frontal (PA/AP) chest radiographs with
 * bone bright, and its findings mean nothing on anything else.
 *
 * Two sources, DICOM tags first:
 * - tags (when present): ViewPosition lateral/oblique, BodyPartExamined not chest, modality not a radiograph,
 *   ImageLaterality of a single side (a chest film is not lateralised);
 * - an image check on the resized input, for PNG/JPEG and DICOM without those tags:
 *   polarity (the mediastinum should be brighter than the lung fields and the edges darker than the image mean —
 *   catches inverted MONOCHROME1/2 handling) and left-right mirror correlation (a frontal chest is roughly
 *   symmetric — catches rotated images and gross asymmetry; it will NOT reliably catch a lateral chest view or a
 *   symmetric non-chest image such as a pelvis or a skull, which only the tags reveal).
 * Thresholds were set on the 200 NIH frontal images (see quality.test.ts for the measured rates).
 */

export type QualityCode = 'lateral_view' | 'not_chest' | 'not_radiograph' | 'lateralised' | 'inverted_polarity' | 'not_frontal_or_rotated' | 'low_contrast';

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

export interface ImageQualityStats {
  /** Mean of the central (mediastinal) strip minus the mean of the lateral (lung) strips, mid-height. */
  mediastinumContrast: number;
  /** Mean of a 5% border minus the image mean. */
  borderExcess: number;
  /** Polarity score: mediastinumContrast − borderExcess; positive for bone-bright frontal chests. */
  polarity: number;
  /** Pearson correlation of the image with its mirror image. */
  mirrorCorrelation: number;
  std: number;
}

export interface QualityReport {
  ok: boolean;
  flags: QualityFlag[];
  stats: ImageQualityStats;
}

const LATERAL_VIEWS = new Set(['LL', 'RL', 'LAT', 'LATERAL', 'LLD', 'RLD', 'LO', 'RLO', 'LPO', 'RPO', 'LAO', 'RAO', 'OBL', 'OBLIQUE']);
const CHEST_PARTS = new Set(['', 'CHEST', 'THORAX', 'LUNG', 'LUNGS', 'TORSO', 'PORT CHEST', 'CHEST_PA', 'CHEST PA']);
const RADIOGRAPH_MODALITIES = new Set(['', 'CR', 'DX', 'DR', 'RF', 'OT']);

/** Polarity below this: inverted. Measured on 200 NIH frontal chests: normal p05 ≈ +0.2, inverted p95 ≈ −0.2. */
export const POLARITY_MIN = 0;
/** Mirror correlation below this: rotated or not a frontal view. NIH frontal p05 ≈ 0.5, the same rotated 90° median ≈ 0.19. */
export const MIRROR_CORRELATION_MIN = 0.3;
/** Standard deviation below this: blank or nearly uniform image. NIH minimum ≈ 0.11. */
export const STD_MIN = 0.04;

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

function regionMean(img: Float32Array, W: number, H: number, x0: number, x1: number, y0: number, y1: number): number {
  let s = 0;
  let n = 0;
  for (let y = Math.floor(y0 * H); y < Math.floor(y1 * H); y++) {
    for (let x = Math.floor(x0 * W); x < Math.floor(x1 * W); x++) {
      s += img[y * W + x]!;
      n++;
    }
  }
  return n ? s / n : 0;
}

export function imageStats(img: Float32Array, W: number, H: number): ImageQualityStats {
  let s = 0;
  let ss = 0;
  for (const v of img) {
    s += v;
    ss += v * v;
  }
  const mean = s / img.length;
  const std = Math.sqrt(Math.max(0, ss / img.length - mean * mean));
  const med = regionMean(img, W, H, 0.44, 0.56, 0.3, 0.7);
  const lungs = (regionMean(img, W, H, 0.15, 0.35, 0.3, 0.7) + regionMean(img, W, H, 0.65, 0.85, 0.3, 0.7)) / 2;
  const border =
    (regionMean(img, W, H, 0, 1, 0, 0.05) + regionMean(img, W, H, 0, 1, 0.95, 1) + regionMean(img, W, H, 0, 0.05, 0, 1) + regionMean(img, W, H, 0.95, 1, 0, 1)) / 4;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W >> 1; x++) {
      const a = img[y * W + x]!;
      const b = img[y * W + (W - 1 - x)]!;
      sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b; n++;
    }
  }
  const cov = sab / n - (sa / n) * (sb / n);
  const den = Math.sqrt(Math.max(1e-12, (saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2)));
  const mediastinumContrast = med - lungs;
  const borderExcess = border - mean;
  return { mediastinumContrast, borderExcess, polarity: mediastinumContrast - borderExcess, mirrorCorrelation: cov / den, std };
}

export function checkImage(img: Float32Array, W: number, H: number): { flags: QualityFlag[]; stats: ImageQualityStats } {
  const stats = imageStats(img, W, H);
  const flags: QualityFlag[] = [];
  if (stats.std < STD_MIN) {
    flags.push({ code: 'low_contrast', source: 'image', message: `nearly uniform image (standard deviation ${stats.std.toFixed(3)})` });
    return { flags, stats };
  }
  if (stats.polarity < POLARITY_MIN) {
    flags.push({ code: 'inverted_polarity', source: 'image', message: `the lung fields are brighter than the mediastinum (polarity score ${stats.polarity.toFixed(2)}): inverted image?` });
  }
  if (stats.mirrorCorrelation < MIRROR_CORRELATION_MIN) {
    flags.push({ code: 'not_frontal_or_rotated', source: 'image', message: `low left-right symmetry (mirror correlation ${stats.mirrorCorrelation.toFixed(2)}): rotated, lateral or not a chest?` });
  }
  return { flags, stats };
}

/** Tags first, then the image check; findings are withheld when any flag is raised. */
export function assessQuality(tags: ImageTags, resized: Float32Array, W: number, H: number): QualityReport {
  const tagFlags = checkTags(tags);
  const { flags, stats } = checkImage(resized, W, H);
  const all = [...tagFlags, ...flags];
  return { ok: all.length === 0, flags: all, stats };
}
