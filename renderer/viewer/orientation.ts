import type { Affine } from './viewTransform.js';

/** Patient directions of DICOM PS3.3 C.7.6.1.1.1: left/right, anterior/posterior, head/foot. */
const OPPOSITE: Record<string, string> = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };

export interface Orientation {
  /** Direction of increasing column index (towards the image's right edge), e.g. "L"; may be oblique ("LF"). */
  row: string;
  /** Direction of increasing row index (towards the bottom edge), e.g. "F". */
  column: string;
  /** Taken from the file (PatientOrientation), or assumed from the view convention (frontal chest: patient's
   * right on the viewer's left). */
  source: 'file' | 'assumed';
}

export interface EdgeMarkers {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

export function opposite(direction: string): string {
  return [...direction].map((c) => OPPOSITE[c] ?? '').join('');
}

/**
 * The image's orientation: PatientOrientation (0020,0020) when the file has it; for a frontal chest view (PA/AP)
 * without it, the radiographic display convention (the patient's left towards the image's right, feet down) marked
 * as assumed; otherwise unknown (no markers rather than a guess).
 */
export function orientationOf(patientOrientation: string | null, viewPosition: string): Orientation | null {
  const parts = (patientOrientation ?? '').split('\\').map((p) => p.trim().toUpperCase());
  const valid = (p: string | undefined) => !!p && [...p].every((c) => c in OPPOSITE);
  if (parts.length === 2 && valid(parts[0]) && valid(parts[1])) return { row: parts[0]!, column: parts[1]!, source: 'file' };
  if (/^(PA|AP)$/i.test(viewPosition.trim())) return { row: 'L', column: 'F', source: 'assumed' };
  return null;
}

/**
 * The letters at the viewport's edges once the image is rotated and flipped: the screen direction of the image's
 * row and column axes comes from the view matrix, so the markers follow every rotation and flip.
 */
export function edgeMarkers(o: Orientation, m: Affine): EdgeMarkers {
  // Screen images of the unit image vectors: +x (towards o.row) is (m[0], m[1]); +y (towards o.column) is (m[2], m[3]).
  const horizontal = Math.abs(m[0]) >= Math.abs(m[2]) ? { dir: o.row, sign: Math.sign(m[0]) } : { dir: o.column, sign: Math.sign(m[2]) };
  const vertical = Math.abs(m[3]) >= Math.abs(m[1]) ? { dir: o.column, sign: Math.sign(m[3]) } : { dir: o.row, sign: Math.sign(m[1]) };
  const right = horizontal.sign >= 0 ? horizontal.dir : opposite(horizontal.dir);
  const bottom = vertical.sign >= 0 ? vertical.dir : opposite(vertical.dir);
  return { left: opposite(right), right, top: opposite(bottom), bottom };
}
