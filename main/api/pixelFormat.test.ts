import { describe, expect, it } from 'vitest';
import { decodePixels, encodePixels, type PixelHeader } from './pixelFormat.js';

const header: PixelHeader = {
  width: 3, height: 2, slope: 0.5, intercept: -1024, window: { center: 40, width: 400 }, min: -1024, max: 1000,
  invert: true, spacingMm: [0.14, 0.15], spacingSource: 'ImagerPixelSpacing',
};

describe('pixel wire format', () => {
  it('round-trips the header and the values, at any byte offset', () => {
    const values = Uint16Array.from([0, 1, 2, 65535, 4096, 12]);
    const bytes = encodePixels(header, values);
    expect(decodePixels(bytes)).toEqual({ header, stored: values });
    // The same bytes inside a larger buffer at an odd offset (as a network stack may hand them over).
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect([...decodePixels(shifted.subarray(1)).stored]).toEqual([...values]);
  });

  it('stores the values little-endian whatever the platform', () => {
    const bytes = encodePixels({ ...header, width: 1, height: 1 }, Uint16Array.from([0x1234]));
    expect([...bytes.subarray(bytes.length - 2)]).toEqual([0x34, 0x12]);
  });

  it('refuses buffers that are not pixel buffers or are cut short', () => {
    expect(() => decodePixels(new Uint8Array(16))).toThrow(/not a CXRP/);
    const bytes = encodePixels(header, new Uint16Array(6));
    expect(() => decodePixels(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
  });
});
