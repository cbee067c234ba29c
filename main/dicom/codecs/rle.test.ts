import { describe, expect, it } from 'vitest';
import { decodeRle } from './rle.js';

/** Builds an RLE frame from already PackBits-encoded segments. */
function rleFrame(segments: number[][]): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    offset += segment.length;
  });
  const out = new Uint8Array(offset);
  out.set(new Uint8Array(header.buffer), 0);
  let at = 64;
  for (const segment of segments) {
    out.set(segment, at);
    at += segment.length;
  }
  return out;
}

describe('decodeRle', () => {
  it('decodes literal and replicate runs of one 8-bit segment', () => {
    // literal run of 3 (header 2), replicate 0x07 four times (header 257 - 4 = 253), a no-op (128)
    const frame = rleFrame([[2, 1, 2, 3, 253, 7, 128]]);
    expect([...decodeRle(frame, 7, 1, 1)]).toEqual([1, 2, 3, 7, 7, 7, 7]);
  });

  it('puts the most significant byte segment first and returns little-endian samples', () => {
    // Two pixels of 16 bits: 0x0102 and 0x0304. Segment 0 = high bytes, segment 1 = low bytes.
    const frame = rleFrame([[1, 0x01, 0x03], [1, 0x02, 0x04]]);
    const bytes = decodeRle(frame, 2, 1, 2);
    expect([...new Uint16Array(bytes.buffer)]).toEqual([0x0102, 0x0304]);
  });

  it('interleaves colour planes', () => {
    const frame = rleFrame([[253, 10], [253, 20], [253, 30]]); // 4 pixels each
    expect([...decodeRle(frame, 4, 3, 1)]).toEqual([10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30]);
  });

  it('rejects a header whose segment count does not match the image', () => {
    const frame = rleFrame([[0, 1]]);
    expect(() => decodeRle(frame, 1, 3, 1)).toThrow(/1 segments, expected 3/);
  });

  it('rejects a short segment instead of returning garbage', () => {
    const frame = rleFrame([[1, 5, 6]]);
    expect(() => decodeRle(frame, 10, 1, 1)).toThrow(/short: 2 of 10/);
  });
});
