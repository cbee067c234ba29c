import type { DecodedFrame } from '../images/types.js';

/** The pixel layout a frame is decoded to. */
export interface PixelLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
}

type SampleArray = DecodedFrame['data'];

/**
 * Turns little-endian sample bytes into a typed array: 8/16/32-bit, signed or not. Bits above the stored ones are
 * masked off (they may hold overlays or garbage), values are shifted down when High Bit is not Bits Stored - 1, and
 * signed values are sign-extended from Bits Stored. Always returns a fresh array that owns its memory.
 */
export function toSamples(bytes: Uint8Array, layout: PixelLayout, count: number): SampleArray {
  const { bitsAllocated, signed } = layout;
  const bitsStored = Math.min(layout.bitsStored || bitsAllocated, bitsAllocated);
  const shift = Math.max(0, layout.highBit + 1 - bitsStored);
  const bytesPer = bitsAllocated <= 8 ? 1 : bitsAllocated <= 16 ? 2 : 4;
  if (bytes.length < count * bytesPer) {
    throw new Error(`pixel data too short: ${bytes.length} bytes for ${count} samples of ${bitsAllocated} bits`);
  }
  // Copying into a fresh buffer both aligns the data for the typed view and detaches it from the file buffer.
  const copy = new Uint8Array(bytes.subarray(0, count * bytesPer));
  let out: SampleArray;
  if (bytesPer === 1) out = signed ? new Int8ToInt16(copy).result : copy;
  else if (bytesPer === 2) out = signed ? new Int16Array(copy.buffer) : new Uint16Array(copy.buffer);
  else out = signed ? new Int32Array(copy.buffer) : new Uint32Array(copy.buffer);

  const fullWidth = bitsStored === bitsAllocated && shift === 0;
  if (!fullWidth && bitsStored < 32) {
    const mask = 2 ** bitsStored - 1;
    const up = 32 - bitsStored;
    const container = bytesPer === 4 ? 0xffffffff : 2 ** (bytesPer * 8) - 1;
    for (let i = 0; i < out.length; i++) {
      // Work on the unsigned bit pattern of the container; `>>> 0` keeps 32-bit patterns unsigned.
      const v = (((out[i]! & container) >>> shift) & mask) >>> 0;
      out[i] = signed ? (v << up) >> up : v;
    }
  }
  return out;
}

/** Signed 8-bit data widened to Int16 (the frame type has no Int8Array). */
class Int8ToInt16 {
  readonly result: Int16Array;
  constructor(bytes: Uint8Array) {
    const s = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    this.result = Int16Array.from(s);
  }
}

/** Unpacks 1-bit samples (least significant bit first, PS3.5 8.1.1), starting `firstBit` bits in. */
export function unpackBitSamples(bytes: Uint8Array, firstBit: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = firstBit + i;
    out[i] = (bytes[bit >> 3]! >> (bit & 7)) & 1;
  }
  return out;
}

/** Swaps each 2- or 4-byte group in place (big endian to little endian). */
export function swapBytes(bytes: Uint8Array, size: 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  }
  return out;
}

/** Planar (RRR…GGG…BBB…) to interleaved (RGBRGB…). */
export function interleave<T extends SampleArray>(planar: T, pixelCount: number, samples: number): T {
  const out = new (planar.constructor as new (n: number) => T)(pixelCount * samples);
  for (let s = 0; s < samples; s++) {
    const base = s * pixelCount;
    for (let p = 0; p < pixelCount; p++) out[p * samples + s] = planar[base + p]!;
  }
  return out;
}

/** YBR_FULL (PS3.3 C.7.6.3.1.2) to RGB, in place, for `bits`-bit samples. */
export function ybrFullToRgb(data: SampleArray, bits: number): void {
  const max = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  const clamp = (v: number) => (v < 0 ? 0 : v > max ? max : Math.round(v));
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i]!;
    const cb = data[i + 1]! - half;
    const cr = data[i + 2]! - half;
    data[i] = clamp(y + 1.402 * cr);
    data[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = clamp(y + 1.772 * cb);
  }
}

/** YBR_PARTIAL (studio range, PS3.3 C.7.6.3.1.2) to RGB, in place, 8-bit. */
export function ybrPartialToRgb(data: SampleArray): void {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = 1.1644 * (data[i]! - 16);
    const cb = data[i + 1]! - 128;
    const cr = data[i + 2]! - 128;
    data[i] = clamp(y + 1.596 * cr);
    data[i + 1] = clamp(y - 0.3917 * cb - 0.8129 * cr);
    data[i + 2] = clamp(y + 2.0172 * cb);
  }
}

/** Native YBR_FULL_422 (Y1 Y2 Cb Cr for each pair of pixels) expanded to YBR_FULL triplets. */
export function expandYbr422(data: SampleArray, pixelCount: number): SampleArray {
  const out = new (data.constructor as new (n: number) => SampleArray)(pixelCount * 3);
  for (let p = 0, i = 0; p < pixelCount; p += 2, i += 4) {
    const cb = data[i + 2]!;
    const cr = data[i + 3]!;
    out[p * 3] = data[i]!;
    out[p * 3 + 1] = cb;
    out[p * 3 + 2] = cr;
    if (p + 1 < pixelCount) {
      out[p * 3 + 3] = data[i + 1]!;
      out[p * 3 + 4] = cb;
      out[p * 3 + 5] = cr;
    }
  }
  return out;
}
