/**
 * The image model shared by the DICOM reader, the PNG/JPEG reader, the importer, the viewer's pixel resource and the
 * AI preprocessing. Readers return stored values plus everything needed to turn them into the displayed image.
 */

export type Photometric = 'MONOCHROME1' | 'MONOCHROME2' | 'RGB' | 'YBR_FULL' | 'PALETTE COLOR' | string;

/** A VOI LUT table (0028,3010): the first mapped input value, and output values with their bit depth. */
export interface VoiLutTable {
  firstMapped: number;
  bits: number;
  data: Uint16Array;
}

export interface ModalityLutTable {
  firstMapped: number;
  bits: number;
  data: Uint16Array;
}

/** How stored values become displayed grey levels (modality LUT, then VOI, then MONOCHROME1 inversion). */
export interface DisplayParameters {
  photometric: Photometric;
  /** Linear modality transform (Rescale Slope/Intercept); slope 1 intercept 0 when absent. */
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Modality LUT Sequence, which replaces the linear rescale when present. */
  modalityLut: ModalityLutTable | null;
  /** Window centre/width pairs from the file (the first is the default). */
  windows: Array<{ center: number; width: number; explanation?: string }>;
  /** VOI LUT Sequence tables, used when no window is given. */
  voiLuts: VoiLutTable[];
  /** VOI LUT Function (0028,1056): LINEAR (default), LINEAR_EXACT or SIGMOID. */
  voiFunction: 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';
}

/**
 * One decoded frame: stored pixel values (before the modality LUT), one number per pixel for greyscale images or
 * `samplesPerPixel` interleaved numbers for colour. Typed so 8/16-bit data is not widened needlessly.
 */
export interface DecodedFrame {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsStored: number;
  signed: boolean;
  /** Row-major, interleaved samples (colour is converted to RGB by the reader). */
  data: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array;
}

export interface PixelSpacing {
  /** Row spacing (between rows, i.e. vertical) and column spacing, in mm. */
  rowMm: number;
  colMm: number;
  source: 'PixelSpacing' | 'ImagerPixelSpacing' | 'NominalScannedPixelSpacing';
}
