/** What a JPEG stream's Start Of Frame says: which process (baseline, extended, lossless…) and sample precision. */
export interface JpegFrameHeader {
  /** The SOF marker's low byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, … */
  sof: number;
  precision: number;
  components: number;
}

const LOSSLESS_SOF = new Set([0xc3, 0xc7, 0xcb, 0xcf]);

export function isLosslessJpeg(header: JpegFrameHeader): boolean {
  return LOSSLESS_SOF.has(header.sof);
}

/** Walks the marker segments from SOI to the first SOF; null when the stream is not a JPEG or has no SOF. */
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (pos + 10 > bytes.length) return null;
      return { sof: marker, precision: bytes[pos + 4]!, components: bytes[pos + 9]! };
    }
    if (marker === 0xda || marker === 0xd9) return null;
    pos += 2 + length;
  }
  return null;
}

/** The multiple component transform flag of a JPEG 2000 codestream's COD segment (1: RGB was stored as YCbCr). */
export function j2kUsesMct(bytes: Uint8Array): boolean | null {
  // Skip a JP2 box wrapper, if any, by looking for the codestream's SOC marker.
  let pos = bytes[0] === 0xff && bytes[1] === 0x4f ? 2 : -1;
  if (pos < 0) {
    for (let i = 0; i + 1 < Math.min(bytes.length, 4096); i++) {
      if (bytes[i] === 0xff && bytes[i + 1] === 0x4f && bytes[i + 2] === 0xff && bytes[i + 3] === 0x51) {
        pos = i + 2;
        break;
      }
    }
    if (pos < 0) return null;
  }
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const marker = bytes[pos + 1]!;
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (marker === 0x52) {
      // COD: Lcod(2) Scod(1) progression(1) layers(2) MCT(1)
      const at = pos + 2 + 2 + 1 + 1 + 2;
      return at < bytes.length ? bytes[at] === 1 : null;
    }
    if (marker === 0x90 || marker === 0x93) return null; // reached a tile
    pos += 2 + length;
  }
  return null;
}
