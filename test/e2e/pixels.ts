import sharp from 'sharp';

/** Grey-level statistics of a screenshot (PNG), to check that an image is really drawn, not just in the DOM. */
export interface PixelStats {
  width: number;
  height: number;
  mean: number;
  std: number;
  /** Share of pixels that are not (near) black. */
  nonBlack: number;
  /** Mean of |R − G| + |G − B|: zero for grey, positive where a colour heatmap shows. */
  colourfulness: number;
}

export async function decodeRgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export async function pixelStats(png: Buffer): Promise<PixelStats> {
  const { data, width, height } = await decodeRgb(png);
  const n = width * height;
  let sum = 0;
  let sum2 = 0;
  let nonBlack = 0;
  let colour = 0;
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const y = (r + g + b) / 3;
    sum += y;
    sum2 += y * y;
    if (y > 8) nonBlack++;
    colour += Math.abs(r - g) + Math.abs(g - b);
  }
  const mean = sum / n;
  return { width, height, mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), nonBlack: nonBlack / n, colourfulness: colour / n };
}

/** Mean absolute difference per channel between two screenshots of the same size. */
export async function meanAbsDiff(a: Buffer, b: Buffer): Promise<number> {
  const x = await decodeRgb(a);
  const y = await decodeRgb(b);
  if (x.width !== y.width || x.height !== y.height) throw new Error(`screenshots differ in size: ${x.width}×${x.height} vs ${y.width}×${y.height}`);
  let d = 0;
  for (let i = 0; i < x.data.length; i++) d += Math.abs(x.data[i]! - y.data[i]!);
  return d / x.data.length;
}
