import { toDisplayGray } from '../images/display.js';
import type { DecodedFrame, DisplayParameters } from '../images/types.js';
import type { ModelManifest } from './manifest.js';

/** The displayed image: greyscale in [0, 1], bone bright, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  gray: Float32Array;
}

/**
 * A decoded frame as the readers return it (stored values and how to display them): the inference worker turns it
 * into the displayed image itself, so the decoded pixels the viewer and the importer hold are used as they are.
 */
export interface FrameImage {
  width: number;
  height: number;
  frame: DecodedFrame;
  display: DisplayParameters;
}

/** What preprocessing accepts: the displayed image, or the decoded frame it is made from. */
export type PreprocessImage = GrayImage | FrameImage;

/** The displayed image of either form (the same display pipeline the viewer and the thumbnails use). */
export function displayed(img: PreprocessImage): GrayImage {
  return 'gray' in img ? img : { width: img.width, height: img.height, gray: toDisplayGray(img.frame, img.display) };
}

/** Per output index: first input index and normalised weights of PyTorch's antialiased bilinear filter. */
function axisWeights(inSize: number, outSize: number): { starts: Int32Array; weights: Float32Array[] } {
  const scale = inSize / outSize;
  // Downscaling widens the triangle filter to the scale (antialiasing); upscaling keeps plain bilinear.
  const support = scale >= 1 ? scale : 1;
  const invscale = scale >= 1 ? 1 / scale : 1;
  const starts = new Int32Array(outSize);
  const weights: Float32Array[] = [];
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const w = new Float32Array(xsize);
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const x = Math.abs((j + xmin - center + 0.5) * invscale);
      w[j] = x < 1 ? 1 - x : 0;
      total += w[j]!;
    }
    if (total > 0) for (let j = 0; j < xsize; j++) w[j]! /= total;
    starts[i] = xmin;
    weights.push(w);
  }
  return { starts, weights };
}

/**
 * Resizes the displayed image to width×height (stretch), bilinear with antialiasing, with the algorithm of
 * PyTorch's `F.interpolate(mode='bilinear', antialias=True)` that the packs' golden outputs were made with
 * (separable triangle filter widened by the scale factor). Reproduces the golden probabilities to ~1e-6, where
 * libvips' linear kernel gets ~5e-4. Synchronous: it runs in the inference worker, off the main thread.
 */
export function resizeAntialiased(img: GrayImage, width: number, height: number): Float32Array {
  const { width: W, height: H, gray } = img;
  if (gray.length !== W * H) throw new Error(`image is ${W}x${H} but has ${gray.length} pixels`);
  const hx = axisWeights(W, width);
  const hy = axisWeights(H, height);
  const tmp = new Float32Array(H * width);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let i = 0; i < width; i++) {
      const s = row + hx.starts[i]!;
      const w = hx.weights[i]!;
      let acc = 0;
      for (let j = 0; j < w.length; j++) acc += gray[s + j]! * w[j]!;
      tmp[y * width + i] = acc;
    }
  }
  const out = new Float32Array(width * height);
  for (let i = 0; i < height; i++) {
    const s = hy.starts[i]!;
    const w = hy.weights[i]!;
    const o = i * width;
    for (let j = 0; j < w.length; j++) {
      const wj = w[j]!;
      const r = (s + j) * width;
      for (let x = 0; x < width; x++) out[o + x]! += tmp[r + x]! * wj;
    }
  }
  return out;
}

/** Async wrapper kept for callers outside the worker (quality checks, tests). */
export async function resizeGray(img: GrayImage, width: number, height: number): Promise<Float32Array> {
  return resizeAntialiased(img, width, height);
}

/** What the input tensor needs from the manifest (plain data: it is sent to the inference worker). */
export type InputSpec = Pick<ModelManifest['input'], 'channels' | 'width' | 'height' | 'normalize'>;

/**
 * Writes one image's input tensor (NCHW, channels replicated, normalised with the manifest's mean and std) into
 * `target` at image slot `index`, so a batch is assembled without extra copies.
 */
export function writeInputTensor(resized: Float32Array, spec: InputSpec, target: Float32Array, index: number): void {
  const { channels, width, height, normalize } = spec;
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

/** Resizes and normalises a batch into one NCHW tensor; returns the resized images too (quality gate, lung field). */
export function prepareBatch(images: readonly PreprocessImage[], spec: InputSpec): { resized: Float32Array[]; input: Float32Array } {
  const resized = images.map((img) => resizeAntialiased(displayed(img), spec.width, spec.height));
  const input = new Float32Array(images.length * spec.channels * spec.width * spec.height);
  resized.forEach((r, i) => writeInputTensor(r, spec, input, i));
  return { resized, input };
}

/** Resize + tensor for one image (tests and the golden check); batch code calls the two steps itself. */
export async function preprocess(img: GrayImage, manifest: ModelManifest): Promise<{ resized: Float32Array; tensor: Float32Array }> {
  const resized = resizeAntialiased(img, manifest.input.width, manifest.input.height);
  const tensor = new Float32Array(manifest.input.channels * resized.length);
  writeInputTensor(resized, manifest.input, tensor, 0);
  return { resized, tensor };
}
