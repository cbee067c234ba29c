/**
 * The limits the image readers check before they allocate: a header or codestream that declares more than a site
 * allows is refused from its declared numbers, never by running out of memory. The importer takes the site's values
 * from its settings (main/importer/importLimits.ts); the viewer and the AI read with these defaults.
 */
export interface DecodeLimits {
  /** Rows × columns × frames a header may declare. */
  maxDeclaredPixels: number;
  /** Bytes one file may expand to: a frame's samples with its display rendering, an inflated data set. */
  maxDecodedBytes: number;
}

const MiB = 1024 * 1024;

/**
 * 256 Mi declared pixels admit a 1000-frame 512² cine (only the frame shown is decoded) and refuse a 65535² bitmap;
 * 256 MiB admit a 4300² 16-bit radiograph (130 MB with its rendering) or a 4096×5120 mammogram (150 MB), and refuse a
 * 20000² frame (2.8 GB) or an 8192² 16-bit one (470 MB) before a byte of it exists.
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxDeclaredPixels: 256 * MiB, maxDecodedBytes: 256 * MiB };

/** A file refused because it declares more than a limit allows. The message names the limit and its value. */
export class LimitExceeded extends Error {
  constructor(
    readonly limit: string,
    readonly limitValue: number,
    problem: string,
  ) {
    super(`${problem}: over the limit ${limit} = ${formatLimit(limit, limitValue)}`);
    this.name = 'LimitExceeded';
  }
}

/** A limit's value as a reader would write it (bytes in MiB, seconds with a unit). */
export function formatLimit(limit: string, value: number): string {
  if (/Bytes$/.test(limit)) return value % MiB === 0 ? `${value / MiB} MiB` : `${value} bytes`;
  if (/Seconds$/.test(limit)) return `${value} s`;
  return String(value);
}

/** Bytes as MB with one decimal, for messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
}

/** Bytes per sample a decoder returns for this many allocated bits (1-bit data is unpacked to bytes). */
function bytesPerSample(bitsAllocated: number): number {
  return bitsAllocated <= 8 ? 1 : bitsAllocated <= 16 ? 2 : 4;
}

/**
 * What decoding one frame of this size needs: its samples, plus the display pipeline's float and 8-bit renderings
 * (5 bytes a pixel) made from it.
 */
export function frameWorkingBytes(width: number, height: number, samplesPerPixel: number, bitsAllocated: number): number {
  const pixels = width * height;
  return pixels * Math.max(1, samplesPerPixel) * bytesPerSample(bitsAllocated) + pixels * 5;
}

/**
 * Refuses an image whose declared size is over the limits, before anything is decoded.
 * @param what what declares the size, for the message ("the header", "the JPEG 2000 codestream")
 */
export function checkDeclaredImage(
  limits: DecodeLimits,
  what: string,
  size: { width: number; height: number; frames?: number; samplesPerPixel: number; bitsAllocated: number },
): void {
  const frames = Math.max(1, size.frames ?? 1);
  const pixels = size.width * size.height * frames;
  if (pixels > limits.maxDeclaredPixels) {
    const framesText = frames > 1 ? ` × ${frames} frames` : '';
    throw new LimitExceeded('maxDeclaredPixels', limits.maxDeclaredPixels, `${what} declares ${size.width} × ${size.height} pixels${framesText} (${pixels} pixels)`);
  }
  const bytes = frameWorkingBytes(size.width, size.height, size.samplesPerPixel, size.bitsAllocated);
  if (bytes > limits.maxDecodedBytes) {
    throw new LimitExceeded(
      'maxDecodedBytes',
      limits.maxDecodedBytes,
      `decoding a ${size.width} × ${size.height} frame as ${what} declares it needs about ${megabytes(bytes)}`,
    );
  }
}
