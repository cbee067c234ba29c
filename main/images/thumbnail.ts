import sharp from 'sharp';

/**
 * Area-averaging downsample of an 8-bit greyscale image so its longer side is at most `maxSize`. Each output pixel
 * is the mean of the source pixels its footprint covers (whole pixels, footprints tile the image), which is what a
 * good thumbnail filter does for big reductions, at a fraction of a resampling kernel's cost on a full radiograph.
 */
export function downsampleGray8(src: Uint8Array, width: number, height: number, maxSize: number): { data: Uint8Array; width: number; height: number } {
  const scale = Math.max(width, height) / maxSize;
  if (scale <= 1) return { data: src, width, height };
  const ow = Math.max(1, Math.round(width / scale));
  const oh = Math.max(1, Math.round(height / scale));
  const colStart = new Int32Array(ow + 1);
  for (let x = 0; x <= ow; x++) colStart[x] = Math.floor((x * width) / ow);
  const sums = new Float64Array(ow);
  const out = new Uint8Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    const y0 = Math.floor((y * height) / oh);
    const y1 = Math.floor(((y + 1) * height) / oh);
    sums.fill(0);
    for (let sy = y0; sy < y1; sy++) {
      const row = sy * width;
      for (let x = 0; x < ow; x++) {
        let s = 0;
        for (let sx = colStart[x]!, end = colStart[x + 1]!; sx < end; sx++) s += src[row + sx]!;
        sums[x]! += s;
      }
    }
    for (let x = 0; x < ow; x++) out[y * ow + x] = Math.round(sums[x]! / ((y1 - y0) * (colStart[x + 1]! - colStart[x]!)));
  }
  return { data: out, width: ow, height: oh };
}

/** A PNG thumbnail of an 8-bit display rendering (after VOI and MONOCHROME1 inversion). */
export async function thumbnailPng(gray8: Uint8Array, width: number, height: number, maxSize: number): Promise<Buffer> {
  const small = downsampleGray8(gray8, width, height, maxSize);
  return sharp(small.data, { raw: { width: small.width, height: small.height, channels: 1 } }).png({ compressionLevel: 6 }).toBuffer();
}
