import sharp, { type Metadata } from 'sharp';
import { checkDeclaredImage, DEFAULT_DECODE_LIMITS, LimitExceeded, type DecodeLimits } from './decodeLimits.js';
import type { DecodedFrame, DisplayParameters } from './types.js';

// libvips' operation cache only helps when the same image is processed repeatedly; the importer never does that,
// and the cache holds decoded pixels of whole radiographs.
sharp.cache(false);

export class RasterError extends Error {}

export interface RasterInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** 8 or 16 bits per sample. */
  bits: 8 | 16;
  channels: number;
}

/** Reads only the header: format, size, bit depth. Throws RasterError naming the source when it is not PNG/JPEG. */
export async function rasterInfo(bytes: Uint8Array, source: string): Promise<RasterInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new RasterError(`${source}: not a readable PNG or JPEG image (${(err as Error).message})`);
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg') {
    throw new RasterError(`${source}: ${meta.format ?? 'unknown'} images are not supported (PNG and JPEG are)`);
  }
  if (!meta.width || !meta.height) throw new RasterError(`${source}: the image has no size`);
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    bits: meta.depth === 'ushort' ? 16 : 8,
    channels: meta.channels ?? 1,
  };
}

/**
 * Decodes a PNG/JPEG into one greyscale frame, keeping 16-bit PNGs at 16 bits (a 16-bit radiograph exported as PNG
 * keeps its full grey range for window/level). Colour images are converted to luminance. The header's size is checked
 * against the limits before libvips decodes anything.
 */
export async function decodeRaster(
  bytes: Uint8Array,
  source: string,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Promise<{ info: RasterInfo; frame: DecodedFrame }> {
  const info = await rasterInfo(bytes, source);
  try {
    checkDeclaredImage(limits, `the ${info.format.toUpperCase()} header`, {
      width: info.width,
      height: info.height,
      samplesPerPixel: info.channels,
      bitsAllocated: info.bits,
    });
  } catch (thrown) {
    if (thrown instanceof LimitExceeded) throw new RasterError(`${source}: ${thrown.message}`, { cause: thrown });
    throw thrown;
  }
  const sixteen = info.bits === 16;
  let data: Buffer;
  try {
    data = await sharp(bytes, { sequentialRead: true, limitInputPixels: limits.maxDeclaredPixels })
      .toColourspace(sixteen ? 'grey16' : 'b-w')
      .raw({ depth: sixteen ? 'ushort' : 'uchar' })
      .toBuffer();
  } catch (err) {
    throw new RasterError(`${source}: the image data is damaged or truncated (${(err as Error).message})`);
  }
  const count = info.width * info.height;
  const pixels = sixteen
    ? new Uint16Array(data.buffer, data.byteOffset, count).slice()
    : new Uint8Array(data.buffer, data.byteOffset, count);
  return {
    info,
    frame: { width: info.width, height: info.height, samplesPerPixel: 1, bitsStored: info.bits, signed: false, data: pixels },
  };
}

/**
 * PNG/JPEG pixels are display values: identity modality transform, MONOCHROME2. An 8-bit image is shown as it is
 * (full-range window); a 16-bit one usually holds 10–14 significant bits, so it gets no window and is shown over
 * its value range (the display pipeline's default).
 */
export function rasterDisplayParameters(bits: 8 | 16): DisplayParameters {
  return {
    photometric: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
    modalityLut: null,
    windows: bits === 8 ? [{ center: 128, width: 256 }] : [],
    voiLuts: [],
    voiFunction: 'LINEAR',
  };
}
