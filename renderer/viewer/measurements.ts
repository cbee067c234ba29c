import type { AnnotationKind, ImagePoint } from '../../main/api/index.js';

/** What the pixels under a measurement need: size, stored values and the modality LUT. */
export interface MeasuredImage {
  /** The image's size: the coordinates measurements are drawn in. */
  width: number;
  height: number;
  /**
   * The size of `stored` when it is a reduced display level of a huge image (PixelHeader.source); absent: the
   * image's own size. An ellipse then reads the level's pixels, each standing for a block of the image's.
   */
  level?: { width: number; height: number };
  stored: Uint16Array;
  slope: number;
  intercept: number;
  /** [row, column] spacing in mm, null when unknown (then lengths stay in pixels and say so). */
  spacingMm: readonly [number, number] | null;
}

export type MeasurementValue =
  | { kind: 'ruler'; mm: number | null; px: number }
  | { kind: 'angle'; degrees: number }
  | { kind: 'ellipse'; mean: number; sd: number; n: number; areaMm2: number | null; areaPx: number }
  | { kind: 'ctr'; ratio: number; cardiac: number; thoracic: number; unit: 'mm' | 'px' };

/** A segment's length in mm (spacing known) or pixels. */
function length(a: ImagePoint, b: ImagePoint, spacing: MeasuredImage['spacingMm']): { mm: number | null; px: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  return { mm: spacing ? Math.hypot(dx * spacing[1], dy * spacing[0]) : null, px: Math.hypot(dx, dy) };
}

/**
 * What a measurement reads, from its geometry and the image:
 * - ruler: length; angle: the angle at the middle point, in degrees, in physical space (non-square pixels do not
 *   bend it);
 * - ellipse: mean and standard deviation of the modality values (stored × slope + intercept) of the pixels whose
 *   centres fall inside, their count and the area;
 * - ctr: cardiothoracic ratio, the first (cardiac) horizontal diameter over the second (thoracic).
 */
export function measure(kind: AnnotationKind, points: readonly ImagePoint[], image: MeasuredImage): MeasurementValue {
  const sp = image.spacingMm;
  switch (kind) {
    case 'ruler':
      return { kind, ...length(points[0]!, points[1]!, sp) };
    case 'angle': {
      const [a, v, b] = points as [ImagePoint, ImagePoint, ImagePoint];
      const sx = sp ? sp[1] : 1;
      const sy = sp ? sp[0] : 1;
      const u = [(a[0] - v[0]) * sx, (a[1] - v[1]) * sy];
      const w = [(b[0] - v[0]) * sx, (b[1] - v[1]) * sy];
      const cos = (u[0]! * w[0]! + u[1]! * w[1]!) / (Math.hypot(u[0]!, u[1]!) * Math.hypot(w[0]!, w[1]!) || 1);
      return { kind, degrees: (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI };
    }
    case 'ellipse': {
      const [p, q] = points as [ImagePoint, ImagePoint];
      const cx = (p[0] + q[0]) / 2;
      const cy = (p[1] + q[1]) / 2;
      const rx = Math.abs(q[0] - p[0]) / 2;
      const ry = Math.abs(q[1] - p[1]) / 2;
      let n = 0;
      let sum = 0;
      let sum2 = 0;
      // Image pixels per stored pixel (1 unless a reduced level was sent); the ellipse is tested at stored pixels' centres.
      const lw = image.level?.width ?? image.width;
      const lh = image.level?.height ?? image.height;
      const fx = image.width / lw;
      const fy = image.height / lh;
      if (rx > 0 && ry > 0) {
        const y0 = Math.max(0, Math.floor((cy - ry) / fy));
        const y1 = Math.min(lh - 1, Math.ceil((cy + ry) / fy));
        const x0 = Math.max(0, Math.floor((cx - rx) / fx));
        const x1 = Math.min(lw - 1, Math.ceil((cx + rx) / fx));
        for (let y = y0; y <= y1; y++) {
          const ny = ((y + 0.5) * fy - cy) / ry;
          for (let x = x0; x <= x1; x++) {
            const nx = ((x + 0.5) * fx - cx) / rx;
            if (nx * nx + ny * ny > 1) continue;
            const v = image.stored[y * lw + x]! * image.slope + image.intercept;
            n++;
            sum += v;
            sum2 += v * v;
          }
        }
      }
      const mean = n ? sum / n : 0;
      const sd = n > 1 ? Math.sqrt(Math.max(0, (sum2 - n * mean * mean) / (n - 1))) : 0;
      const areaPx = Math.PI * rx * ry;
      return { kind, mean, sd, n, areaPx, areaMm2: sp ? areaPx * sp[0] * sp[1] : null };
    }
    case 'ctr': {
      const cardiac = length(points[0]!, points[1]!, sp);
      const thoracic = length(points[2]!, points[3]!, sp);
      const unit = sp ? 'mm' : 'px';
      const c = sp ? cardiac.mm! : cardiac.px;
      const t = sp ? thoracic.mm! : thoracic.px;
      return { kind, ratio: t > 0 ? c / t : 0, cardiac: c, thoracic: t, unit };
    }
  }
}

/** Tools that draw by dragging (one drag per segment) and how many drags make one measurement. */
export const DRAGS: Record<AnnotationKind, number> = { ruler: 1, ellipse: 1, angle: 2, ctr: 2 };

/**
 * The points a measurement has after a drag from `a` to `b`, given those of earlier drags: an angle's second drag
 * starts at the vertex (the end of the first arm); a CTR's diameters are horizontal (the end keeps the start's row).
 */
export function addDrag(kind: AnnotationKind, earlier: readonly ImagePoint[], a: ImagePoint, b: ImagePoint): ImagePoint[] {
  if (kind === 'ctr') return [...earlier, a, [b[0], a[1]]];
  if (kind === 'angle') return earlier.length ? [earlier[0]!, earlier[1]!, b] : [a, b];
  return [a, b];
}
