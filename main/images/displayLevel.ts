/**
 * The viewer's display-resolution level. Every radiograph we know is sent at full resolution (a 4300² CR at 0.1 mm
 * is 18.5 Mpx, a 4096×5120 mammogram 21 Mpx); an image larger than that (a 16000² scan would be 512 MB of uint16
 * and wider than many GPUs' textures) is sent reduced by a whole factor, with its full size in the header so that
 * overlays, measurements and pixel spacing keep the original's coordinates.
 */

/** Most pixels sent to the viewer for one image (48 MiB as uint16). */
export const MAX_DISPLAY_PIXELS = 24 * 1024 * 1024;
/** Longest side sent to the viewer: WebGL2 textures are at least 8192 wide on the desktop GPUs we support. */
export const MAX_DISPLAY_SIDE = 8192;

/** The smallest whole reduction factor that brings an image within the display limits (1: sent as it is). */
export function displayLevelFactor(width: number, height: number): number {
  let f = 1;
  const fits = () => {
    const w = Math.ceil(width / f);
    const h = Math.ceil(height / f);
    return w * h <= MAX_DISPLAY_PIXELS && Math.max(w, h) <= MAX_DISPLAY_SIDE;
  };
  while (!fits()) f++;
  return f;
}

/**
 * Averages f×f blocks (the last row and column of blocks average the pixels they have): a box filter, enough for a
 * display level the reader zooms into only up to the level's own resolution.
 */
export function reduceBox(values: Float32Array, width: number, height: number, f: number): { values: Float32Array; width: number; height: number };
export function reduceBox(values: ArrayLike<number>, width: number, height: number, f: number): { values: Float32Array | ArrayLike<number>; width: number; height: number };
export function reduceBox(values: ArrayLike<number>, width: number, height: number, f: number): { values: Float32Array | ArrayLike<number>; width: number; height: number } {
  if (f <= 1) return { values, width, height };
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sums = new Float64Array(w);
  const counts = new Uint32Array(w);
  const out = new Float32Array(w * h);
  for (let by = 0; by < h; by++) {
    sums.fill(0);
    counts.fill(0);
    const y1 = Math.min(height, (by + 1) * f);
    for (let y = by * f; y < y1; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const bx = (x / f) | 0;
        sums[bx]! += values[row + x]!;
        counts[bx]!++;
      }
    }
    const o = by * w;
    for (let bx = 0; bx < w; bx++) out[o + bx] = sums[bx]! / counts[bx]!;
  }
  return { values: out, width: w, height: h };
}
