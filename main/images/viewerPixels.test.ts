import { describe, expect, it } from 'vitest';
import { decodePixels } from '../api/pixelFormat.js';
import { toModalityValues } from './display.js';
import { reduceBox } from './displayLevel.js';
import type { DecodedFrame, DisplayParameters } from './types.js';
import { encodeViewerPixels } from './viewerPixels.js';

const display = (over: Partial<DisplayParameters> = {}): DisplayParameters => ({
  photometric: 'MONOCHROME2',
  rescaleSlope: 1,
  rescaleIntercept: 0,
  modalityLut: null,
  windows: [],
  voiLuts: [],
  voiFunction: 'LINEAR',
  ...over,
});

describe('viewer pixels of an image over the display limits', () => {
  // 9000 × 1000 is too wide for a texture: sent at half size.
  const width = 9000;
  const height = 1000;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (x * 7 + y * 3) % 4096;
  const frame: DecodedFrame = { width, height, samplesPerPixel: 1, bitsStored: 12, signed: false, data };

  it('sends the reduced level with the full size in the header, its modality values those of the image reduced', () => {
    // CT-like rescale: the stored values are reduced first (the rescale is linear), which must read the same.
    const d = display({ rescaleSlope: 1, rescaleIntercept: -1024 });
    const { header, stored } = decodePixels(encodeViewerPixels({ frame, display: d }, null));
    expect(header.source).toEqual({ width, height });
    expect([header.width, header.height]).toEqual([4500, 500]);
    const expected = reduceBox(toModalityValues(frame, d), width, height, 2).values;
    let worst = 0;
    for (let i = 0; i < stored.length; i++) worst = Math.max(worst, Math.abs(stored[i]! * header.slope + header.intercept - expected[i]!));
    // Block means of integers are rounded back to integers (the exact encoding), so at most half a unit off.
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-6);
  });

  it('sends an image within the limits whole, without a source size', () => {
    const small: DecodedFrame = { ...frame, width: 100, height: 10, data: data.subarray(0, 1000) };
    const { header } = decodePixels(encodeViewerPixels({ frame: small, display: display() }, null));
    expect([header.width, header.height]).toEqual([100, 10]);
    expect(header.source).toBeUndefined();
  });
});
