/**
 * The wire format of `/files/instances/<id>/pixels`: what the viewer needs to do window/level itself.
 * Pure code with no imports, shared by the core (encode) and the renderer (decode).
 *
 * Layout: "CXRP" magic, uint32 LE header length N, N bytes of UTF-8 JSON (PixelHeader), zero padding to a multiple
 * of 2, then width*height uint16 LE stored values. modality value = stored * slope + intercept.
 */
export interface PixelHeader {
  width: number;
  height: number;
  slope: number;
  intercept: number;
  /** Default window in modality units (from the file, else the value range). */
  window: { center: number; width: number };
  /** Modality value range present in the image. */
  min: number;
  max: number;
  /** MONOCHROME1: high values are dark, so the viewer inverts after windowing. */
  invert: boolean;
  /** Row and column spacing in mm, or null when unknown (then the ruler says so). */
  spacingMm: [number, number] | null;
  spacingSource: string | null;
  /**
   * Present when the pixels are a reduced display level of a larger image (main/images/displayLevel.ts): the full
   * image's size. Image coordinates (overlays, measurements, `spacingMm`) are those of the full image; the viewer
   * stretches the level over them.
   */
  source?: { width: number; height: number };
}

const MAGIC = 0x50525843; // "CXRP" read as uint32 LE

/** Every platform we ship on is little-endian; the per-value DataView path is kept for any that is not. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodePixels(header: PixelHeader, stored: Uint16Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = 8 + json.length;
  const dataStart = headerEnd + (headerEnd % 2);
  const out = new Uint8Array(dataStart + stored.length * 2);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  if (LITTLE_ENDIAN) new Uint16Array(out.buffer, dataStart, stored.length).set(stored);
  else for (let i = 0; i < stored.length; i++) view.setUint16(dataStart + i * 2, stored[i]!, true);
  return out;
}

export function decodePixels(bytes: ArrayBuffer | Uint8Array): { header: PixelHeader; stored: Uint16Array } {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  if (u8.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not a CXRP pixel buffer');
  const n = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(u8.subarray(8, 8 + n))) as PixelHeader;
  const dataStart = 8 + n + ((8 + n) % 2);
  const count = header.width * header.height;
  if (u8.byteLength < dataStart + count * 2) throw new Error('pixel buffer is truncated');
  const start = u8.byteOffset + dataStart;
  if (LITTLE_ENDIAN) {
    // One copy (or none when aligned) instead of a DataView call per pixel: ~30 ms less on a 1841x1955 image.
    const stored = start % 2 === 0 ? new Uint16Array(u8.buffer, start, count) : new Uint16Array(u8.slice(dataStart, dataStart + count * 2).buffer);
    return { header, stored };
  }
  const stored = new Uint16Array(count);
  for (let i = 0; i < count; i++) stored[i] = view.getUint16(dataStart + i * 2, true);
  return { header, stored };
}
