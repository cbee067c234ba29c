import sharp from 'sharp';
import type { ModelManifest } from './manifest.js';

/** The displayed image: greyscale in [0, 1], bone bright, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  gray: Float32Array;
}

/**
 * Resizes the displayed image to the manifest's input size (stretch, bilinear with antialiasing). libvips' linear
 * kernel is fed 16-bit data and asked for 16-bit output: an 8-bit round trip would cost ~2e-3 in probabilities, and
 * libvips casts float input to 8 bits on the way out, so 16 bits is the precise path.
 */
export async function resizeGray(img: GrayImage, width: number, height: number): Promise<Float32Array> {
  if (img.gray.length !== img.width * img.height) {
    throw new Error(`image is ${img.width}x${img.height} but has ${img.gray.length} pixels`);
  }
  const u16 = new Uint16Array(img.gray.length);
  for (let i = 0; i < u16.length; i++) {
    const v = img.gray[i]!;
    u16[i] = v <= 0 ? 0 : v >= 1 ? 65535 : Math.round(v * 65535);
  }
  const out = await sharp(u16, { raw: { width: img.width, height: img.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .toColourspace('grey16')
    .raw({ depth: 'ushort' })
    .toBuffer();
  const px = new Uint16Array(out.buffer, out.byteOffset, out.byteLength / 2);
  const result = new Float32Array(width * height);
  for (let i = 0; i < result.length; i++) result[i] = px[i]! / 65535;
  return result;
}

/**
 * Writes one image's input tensor (NCHW, channels replicated, normalised with the manifest's mean and std) into
 * `target` at image slot `index`, so a batch is assembled without extra copies.
 */
export function writeInputTensor(resized: Float32Array, manifest: ModelManifest, target: Float32Array, index: number): void {
  const { channels, width, height, normalize } = manifest.input;
  const plane = width * height;
  if (resized.length !== plane) throw new Error(`resized image has ${resized.length} pixels, the pack expects ${width}x${height}`);
  const base = index * channels * plane;
  for (let c = 0; c < channels; c++) {
    const mean = normalize.mean[c]!;
    const inv = 1 / normalize.std[c]!;
    const off = base + c * plane;
    for (let i = 0; i < plane; i++) target[off + i] = (resized[i]! - mean) * inv;
  }
}

/** Resize + tensor for one image (tests and the golden check); batch code calls the two steps itself. */
export async function preprocess(img: GrayImage, manifest: ModelManifest): Promise<{ resized: Float32Array; tensor: Float32Array }> {
  const resized = await resizeGray(img, manifest.input.width, manifest.input.height);
  const tensor = new Float32Array(manifest.input.channels * resized.length);
  writeInputTensor(resized, manifest, tensor, 0);
  return { resized, tensor };
}
