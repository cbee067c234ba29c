import sharp, { type Metadata } from 'sharp';
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
 * keeps its full grey range for window/level). Colour images are converted to luminance.
 */
export async function decodeRaster(bytes: Uint8Array, source: string): Promise<{ info: RasterInfo; frame: DecodedFrame }> {
  const info = await rasterInfo(bytes, source);
  const sixteen = info.bits === 16;
  let data: Buffer;
  try {
    data = await sharp(bytes, { sequentialRead: true })
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

/** PNG/JPEG pixels are already display values: identity modality transform, full-range window, MONOCHROME2. */
export function rasterDisplayParameters(bits: 8 | 16): DisplayParameters {
  const max = bits === 16 ? 65535 : 255;
  return {
    photometric: 'MONOCHROME2',
    rescaleSlope: 1,
    rescaleIntercept: 0,
    modalityLut: null,
    windows: [{ center: (max + 1) / 2, width: max + 1 }],
    voiLuts: [],
    voiFunction: 'LINEAR',
  };
}

/** A thumbnail straight from the encoded file in one libvips pipeline (no second full-size buffer). */
export async function rasterThumbnail(bytes: Uint8Array, size: number, source: string): Promise<Buffer> {
  try {
    return await sharp(bytes, { sequentialRead: true })
      .toColourspace('b-w')
      .resize(size, size, { fit: 'inside' })
      .png({ compressionLevel: 1 })
      .toBuffer();
  } catch (err) {
    throw new RasterError(`${source}: the image data is damaged or truncated (${(err as Error).message})`);
  }
}

/** A thumbnail from an 8-bit display rendering (DICOM frames after VOI and inversion). */
export async function grayThumbnail(gray8: Uint8Array, width: number, height: number, size: number): Promise<Buffer> {
  return sharp(gray8, { raw: { width, height, channels: 1 } })
    .resize(size, size, { fit: 'inside' })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
