import { parseDicom, type DicomMetadata } from '../dicom/index.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decodeLimits.js';
import { toDisplayGray } from './display.js';
import { decodeRaster, rasterDisplayParameters } from './readRaster.js';
import { readIndexedFile } from './readIndexedFile.js';
import type { DecodedFrame, DisplayParameters, PixelSpacing } from './types.js';

export type ImageFormat = 'dicom' | 'png' | 'jpeg';

/** What the viewer and the AI need to know about an image besides its pixels. */
export interface ImageFacts {
  modality: string;
  viewPosition: string;
  bodyPart: string;
  photometric: string;
  imageLaterality: string;
  pixelSpacing: PixelSpacing | null;
}

export interface LoadedImage {
  frame: DecodedFrame;
  display: DisplayParameters;
  meta: ImageFacts;
}

/** What the viewer and the AI read from a DICOM header. */
export function dicomFacts(m: DicomMetadata): ImageFacts {
  return {
    modality: m.modality,
    viewPosition: m.viewPosition,
    bodyPart: m.bodyPartExamined,
    photometric: m.photometric,
    imageLaterality: m.imageLaterality,
    pixelSpacing: m.pixelSpacing,
  };
}

/** A PNG/JPEG says nothing about itself: "other" modality, displayed as it is. */
export const RASTER_FACTS: ImageFacts = { modality: 'OT', viewPosition: '', bodyPart: '', photometric: 'MONOCHROME2', imageLaterality: '', pixelSpacing: null };

/**
 * Reads and decodes the first frame of an indexed file (DICOM or PNG/JPEG), refusing (with the limit named) a file
 * that declares more than the limits allow: the viewer and the AI read with the defaults.
 */
export async function loadImage(filePath: string, format: ImageFormat, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<LoadedImage> {
  const bytes = await readIndexedFile(filePath);
  if (format === 'dicom') {
    const dicom = parseDicom(bytes, filePath, limits);
    return { frame: await dicom.decodeFrame(0), display: dicom.display, meta: dicomFacts(dicom.meta) };
  }
  const { info, frame } = await decodeRaster(bytes, filePath, limits);
  return { frame, display: rasterDisplayParameters(info.bits), meta: { ...RASTER_FACTS } };
}

/**
 * The displayed image as the AI's preprocessing wants it: greyscale in [0, 1] after the modality LUT, the default
 * VOI window and MONOCHROME1 inversion, so bone is bright whatever the source.
 */
export async function loadDisplayImage(
  filePath: string,
  format: ImageFormat,
): Promise<{ width: number; height: number; gray: Float32Array; meta: ImageFacts }> {
  const img = await loadImage(filePath, format);
  return { width: img.frame.width, height: img.frame.height, gray: toDisplayGray(img.frame, img.display), meta: img.meta };
}
