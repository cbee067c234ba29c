import { describe, expect, it } from 'vitest';
import { edgeMarkers, orientationOf } from './orientation.js';
import { imageToViewport, initialGeometry, rotate } from './viewTransform.js';

const size = { width: 100, height: 100 };
const at = (g = initialGeometry) => imageToViewport(size, { width: 400, height: 400 }, g);

describe('orientation markers', () => {
  it('reads PatientOrientation, assumes the convention for an untagged frontal view, and refuses to guess otherwise', () => {
    expect(orientationOf('L\\F', 'PA')).toEqual({ row: 'L', column: 'F', source: 'file' });
    expect(orientationOf(null, 'AP')).toEqual({ row: 'L', column: 'F', source: 'assumed' });
    expect(orientationOf('', 'LATERAL')).toBeNull();
    expect(orientationOf('X\\Y', 'LL')).toBeNull();
  });

  it('puts R on the left and L on the right of a PA chest, and follows flips and rotations', () => {
    const o = orientationOf('L\\F', 'PA')!;
    expect(edgeMarkers(o, at())).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
    expect(edgeMarkers(o, at({ ...initialGeometry, flipH: true }))).toEqual({ left: 'L', right: 'R', top: 'H', bottom: 'F' });
    expect(edgeMarkers(o, at({ ...initialGeometry, flipV: true }))).toEqual({ left: 'R', right: 'L', top: 'F', bottom: 'H' });
    // A quarter turn clockwise: the head goes to the right, the patient's left to the bottom.
    expect(edgeMarkers(o, at(rotate(initialGeometry, 1)))).toEqual({ left: 'F', right: 'H', top: 'R', bottom: 'L' });
    expect(edgeMarkers(o, at(rotate(rotate(initialGeometry, 1), 1)))).toEqual({ left: 'L', right: 'R', top: 'F', bottom: 'H' });
  });

  it('handles oblique directions letter by letter', () => {
    expect(edgeMarkers({ row: 'LP', column: 'F', source: 'file' }, at())).toMatchObject({ left: 'RA', right: 'LP' });
  });
});
