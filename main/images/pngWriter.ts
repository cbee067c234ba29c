import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes an 8-bit greyscale image as PNG with zlib directly. For thumbnail-sized images a libvips pipeline costs
 * several times the encoding itself in call overhead, and the importer writes one per file.
 * Rows use the "Up" filter (smooth radiographs compress better than unfiltered).
 */
export function encodeGray8Png(gray: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    const o = y * (width + 1);
    const row = y * width;
    if (y === 0) {
      raw[o] = 0;
      raw.set(gray.subarray(0, width), o + 1);
      continue;
    }
    raw[o] = 2; // Up
    for (let x = 0; x < width; x++) raw[o + 1 + x] = (gray[row + x]! - gray[row - width + x]!) & 0xff;
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}
