import { describe, expect, it } from 'vitest';
import { defaultWindow, toDisplayGray, toDisplayGray8, toModalityValues } from './display.js';
import type { DecodedFrame, DisplayParameters } from './types.js';

function frame(values: number[], signed = false, bitsStored = 16): DecodedFrame {
  const data = signed ? Int16Array.from(values) : Uint16Array.from(values);
  return { width: values.length, height: 1, samplesPerPixel: 1, bitsStored, signed, data };
}

function display(overrides: Partial<DisplayParameters> = {}): DisplayParameters {
  return {
    photometric: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
    modalityLut: null,
    windows: [],
    voiLuts: [],
    voiFunction: 'LINEAR',
    ...overrides,
  };
}

const close = (actual: Float32Array | Uint8Array, expected: number[], digits = 5) =>
  expected.forEach((v, i) => expect(actual[i], `index ${i}`).toBeCloseTo(v, digits));

describe('toModalityValues', () => {
  it('applies rescale slope and intercept (CT: stored → HU)', () => {
    close(toModalityValues(frame([0, 1024, 2048]), display({ rescaleSlope: 1, rescaleIntercept: -1024 })), [-1024, 0, 1024]);
    close(toModalityValues(frame([-5, 10], true), display({ rescaleSlope: 0.5, rescaleIntercept: 3 })), [0.5, 8]);
  });

  it('uses the Modality LUT instead of the rescale, clamping below and above the table', () => {
    const lut = { firstMapped: 10, bits: 16, data: Uint16Array.from([100, 200, 300]) };
    close(toModalityValues(frame([5, 10, 11, 12, 40]), display({ modalityLut: lut, rescaleSlope: 9 })), [100, 100, 200, 300, 300]);
  });

  it('reduces RGB frames to luminance', () => {
    const rgb: DecodedFrame = { width: 2, height: 1, samplesPerPixel: 3, bitsStored: 8, signed: false, data: Uint8Array.from([255, 0, 0, 255, 255, 255]) };
    close(toModalityValues(rgb, display()), [0.299 * 255, 255], 3);
  });
});

describe('VOI windows (PS3.3 C.11.2.1.2)', () => {
  const values = [0, 39, 40, 41, 100, 200];

  it('LINEAR maps c - 0.5 ± (w - 1)/2 to the ends', () => {
    // c = 50, w = 21: x <= 39.5 → 0, x > 59.5 → 1, else (x - 49.5) / 20 + 0.5
    const out = toDisplayGray(frame(values), display(), { center: 50, width: 21 });
    close(out, [0, 0, 0.025, 0.075, 1, 1]);
  });

  it('LINEAR_EXACT maps c ± w/2 to the ends', () => {
    // c = 50, w = 20: x <= 40 → 0, x > 60 → 1, else (x - 50) / 20 + 0.5
    const out = toDisplayGray(frame(values), display({ voiFunction: 'LINEAR_EXACT' }), { center: 50, width: 20 });
    close(out, [0, 0, 0, 0.05, 1, 1]);
  });

  it('SIGMOID follows 1 / (1 + exp(-4 (x - c) / w))', () => {
    const out = toDisplayGray(frame([50, 60, 0]), display({ voiFunction: 'SIGMOID' }), { center: 50, width: 20 });
    close(out, [0.5, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(10))]);
  });

  it('uses the file window by default, after the rescale', () => {
    const d = display({ rescaleIntercept: -1024, windows: [{ center: 40, width: 401 }, { center: 400, width: 2000 }] });
    // HU = stored - 1024; window 40/401: x <= -160.5 → 0, x > 239.5 → 1, else (x - 39.5) / 400 + 0.5
    const out = toDisplayGray(frame([0, 1024 - 160, 1024 + 40, 1024 + 240, 4000]), d);
    close(out, [0, 0.00125, 0.50125, 1, 1], 5);
    expect(defaultWindow(frame([0]), d)).toEqual({ center: 40, width: 401 });
  });

  it('falls back to the min–max of the modality values', () => {
    const f = frame([100, 150, 200]);
    expect(defaultWindow(f, display())).toEqual({ center: 150.5, width: 101 });
    close(toDisplayGray(f, display()), [0, 0.5, 1]);
  });
});

describe('VOI LUT table', () => {
  it('maps modality values through the table and scales by its bit depth', () => {
    const voi = { firstMapped: 0, bits: 8, data: Uint16Array.from([0, 51, 102, 255]) };
    const d = display({ voiLuts: [voi] });
    close(toDisplayGray(frame([0, 1, 2, 3, 9]), d), [0, 0.2, 0.4, 1, 1]);
    expect(defaultWindow(frame([0]), d)).toEqual({ center: 2, width: 4 });
  });

  it('gives precedence to an explicit window and to the file window over the table', () => {
    const voi = { firstMapped: 0, bits: 8, data: Uint16Array.from([255, 255, 255, 255]) };
    const d = display({ voiLuts: [voi], windows: [{ center: 2, width: 3 }] });
    // window 2/3: x <= 0.5 → 0, x > 2.5 → 1, else (x - 1.5) / 2 + 0.5 (the all-255 table would give 1 everywhere)
    close(toDisplayGray(frame([0, 2, 4]), d), [0, 0.75, 1]);
    // window 2.5/6: (x - 2) / 5 + 0.5
    close(toDisplayGray(frame([0, 2, 4]), display({ voiLuts: [voi] }), { center: 2.5, width: 6 }), [0.1, 0.5, 0.9]);
  });
});

describe('MONOCHROME1 and 8-bit output', () => {
  it('inverts MONOCHROME1 after the VOI so high attenuation is bright', () => {
    const values = frame([0, 512, 1023], false, 10);
    const mono2 = toDisplayGray(values, display());
    const mono1 = toDisplayGray(values, display({ photometric: 'MONOCHROME1' }));
    close(mono1, [...mono2].map((v) => 1 - v));
    expect(mono1[0]).toBe(1);
  });

  it('toDisplayGray8 rounds the [0,1] levels to 0..255', () => {
    expect([...toDisplayGray8(frame([0, 50, 100]), display())]).toEqual([0, 128, 255]);
  });
});

describe('lookup-table fast path for integer frames', () => {
  it('gives the same result as the per-pixel pipeline', () => {
    const values = Array.from({ length: 5000 }, (_, i) => ((i * 37) % 700) - 200);
    const integer: DecodedFrame = { width: 100, height: 50, samplesPerPixel: 1, bitsStored: 16, signed: true, data: Int16Array.from(values) };
    // Float32 frames always take the per-pixel path.
    const float: DecodedFrame = { ...integer, data: Float32Array.from(values) };
    for (const d of [
      display({ rescaleSlope: 2, rescaleIntercept: -10 }),
      display({ windows: [{ center: 100, width: 300 }], voiFunction: 'SIGMOID', photometric: 'MONOCHROME1' }),
      display({ modalityLut: { firstMapped: -200, bits: 16, data: Uint16Array.from({ length: 700 }, (_, i) => i * 3) } }),
    ]) {
      expect(toDisplayGray(integer, d)).toEqual(toDisplayGray(float, d));
      expect(toDisplayGray8(integer, d)).toEqual(toDisplayGray8(float, d));
      expect(toDisplayGray(integer, d, { center: 0, width: 50 })).toEqual(toDisplayGray(float, d, { center: 0, width: 50 }));
    }
  });
});
