import sharp from 'sharp';
import type { GrayImage } from './preprocess.js';

/**
 * Decodes a PNG or JPEG file into the displayed greyscale image ([0, 1], bone bright), keeping 16-bit precision.
 * Used for labelled sets outside the index (calibration, benchmarks, tests); indexed instances go through
 * main/images/loadDisplayImage, which also handles DICOM.
 */
export async function readGrayFile(path: string): Promise<GrayImage> {
  const { data, info } = await sharp(path).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  const px = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  const n = info.width * info.height;
  const gray = new Float32Array(n);
  const step = info.channels;
  for (let i = 0; i < n; i++) gray[i] = px[i * step]! / 65535;
  return { width: info.width, height: info.height, gray };
}
