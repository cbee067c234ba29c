/** What the reader knows about each transfer syntax: how the data set is encoded and how pixels are compressed. */

export type PixelEncoding =
  | 'native'
  | 'jpeg-baseline'
  | 'jpeg-extended'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg-2000'
  | 'htj2k'
  | 'rle'
  | 'deflate-frame';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  explicitVr: boolean;
  littleEndian: boolean;
  deflated: boolean;
  pixels: PixelEncoding;
  lossy: boolean;
}

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';

function ts(uid: string, name: string, pixels: PixelEncoding, lossy = false, extra: Partial<TransferSyntaxInfo> = {}): TransferSyntaxInfo {
  return { uid, name, explicitVr: true, littleEndian: true, deflated: false, pixels, lossy, ...extra };
}

const TABLE: TransferSyntaxInfo[] = [
  ts(IMPLICIT_LE, 'Implicit VR Little Endian', 'native', false, { explicitVr: false }),
  ts(EXPLICIT_LE, 'Explicit VR Little Endian', 'native'),
  ts(DEFLATED_LE, 'Deflated Explicit VR Little Endian', 'native', false, { deflated: true }),
  ts(EXPLICIT_BE, 'Explicit VR Big Endian', 'native', false, { littleEndian: false }),
  ts('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', true),
  ts('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-extended', true),
  // Retired processes 3, 5, 6 and 8 use the same DCT coding as 2 & 4.
  ts('1.2.840.10008.1.2.4.52', 'JPEG Extended (Process 3 & 5) (retired)', 'jpeg-extended', true),
  ts('1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (retired)', 'jpeg-extended', true),
  ts('1.2.840.10008.1.2.4.54', 'JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9) (retired)', 'jpeg-extended', true),
  ts('1.2.840.10008.1.2.4.55', 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (retired)', 'jpeg-extended', true),
  ts('1.2.840.10008.1.2.4.56', 'JPEG Full Progression, Non-Hierarchical (Process 11 & 13) (retired)', 'jpeg-extended', true),
  ts('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'),
  ts('1.2.840.10008.1.2.4.58', 'JPEG Lossless, Non-Hierarchical (Process 15) (retired)', 'jpeg-lossless'),
  ts('1.2.840.10008.1.2.4.70', 'JPEG Lossless, First-Order Prediction (Process 14 [Selection Value 1])', 'jpeg-lossless'),
  ts('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
  ts('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpeg-ls', true),
  ts('1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless Only', 'jpeg-2000'),
  ts('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg-2000', true),
  ts('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Lossless Only', 'htj2k'),
  ts('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options Lossless Only', 'htj2k'),
  ts('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', 'htj2k', true),
  ts('1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'),
  ts('1.2.840.10008.1.2.8.1', 'Deflated Image Frame Compression', 'deflate-frame'),
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

/** Every transfer syntax whose pixels the reader can decode (the README lists the decoder of each). */
export const SUPPORTED_TRANSFER_SYNTAXES: readonly TransferSyntaxInfo[] = TABLE;

export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid);
}
