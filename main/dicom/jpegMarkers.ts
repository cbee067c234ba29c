/** What a JPEG stream's Start Of Frame says: which process (baseline, extended, lossless…) and sample precision. */
export interface JpegFrameHeader {
  /** The SOF marker's low byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, … */
  sof: number;
  precision: number;
  components: number;
  /** Samples per line and lines, as the frame header declares them (lines may be 0: set later by a DNL marker). */
  width: number;
  height: number;
}

const LOSSLESS_SOF = new Set([0xc3, 0xc7, 0xcb, 0xcf]);

export function isLosslessJpeg(header: JpegFrameHeader): boolean {
  return LOSSLESS_SOF.has(header.sof);
}

/**
 * Walks the marker segments from SOI to the first SOF (JPEG-LS's SOF55 included); null when the stream is not a JPEG
 * or has no SOF.
 */
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
    const isSof = (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xf7;
    if (isSof) {
      if (pos + 10 > bytes.length) return null;
      return {
        sof: marker,
        precision: bytes[pos + 4]!,
        height: (bytes[pos + 5]! << 8) | bytes[pos + 6]!,
        width: (bytes[pos + 7]! << 8) | bytes[pos + 8]!,
        components: bytes[pos + 9]!,
      };
    }
    if (marker === 0xda || marker === 0xd9) return null;
    pos += 2 + length;
  }
  return null;
}

/** Offset just after a JPEG 2000 codestream's SOC marker (a JP2 box wrapper skipped), or -1. */
function j2kStart(bytes: Uint8Array): number {
  if (bytes[0] === 0xff && bytes[1] === 0x4f) return 2;
  for (let i = 0; i + 3 < Math.min(bytes.length, 4096); i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0x4f && bytes[i + 2] === 0xff && bytes[i + 3] === 0x51) return i + 2;
  }
  return -1;
}

/** What a JPEG 2000 codestream's SIZ segment declares: image size, components and the first component's depth. */
export interface J2kSize {
  width: number;
  height: number;
  components: number;
  bitDepth: number;
}

/** Reads the SIZ segment that follows SOC; null when there is none (the decoder then says what is wrong). */
export function readJ2kSize(bytes: Uint8Array): J2kSize | null {
  const pos = j2kStart(bytes);
  // SIZ: marker(2) Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4) XTsiz(4) YTsiz(4) XTOsiz(4) YTOsiz(4) Csiz(2) Ssiz(1)…
  if (pos < 0 || pos + 41 > bytes.length || bytes[pos] !== 0xff || bytes[pos + 1] !== 0x51) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 41);
  const width = view.getUint32(6) - view.getUint32(14);
  const height = view.getUint32(10) - view.getUint32(18);
  return { width: Math.max(0, width), height: Math.max(0, height), components: view.getUint16(38), bitDepth: (view.getUint8(40) & 0x7f) + 1 };
}

/** The multiple component transform flag of a JPEG 2000 codestream's COD segment (1: RGB was stored as YCbCr). */
export function j2kUsesMct(bytes: Uint8Array): boolean | null {
  // Skip a JP2 box wrapper, if any, by looking for the codestream's SOC marker.
  let pos = j2kStart(bytes);
  if (pos < 0) return null;
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
