import { normaliseCam, REGION_LEVEL, upsample } from './localize.js';

/** Long side of the grid contours are traced on: the localisation grid's size, so contours and boxes agree. */
export const CONTOUR_GRID = 64;

/**
 * Marching squares: the closed iso-lines of `grid` (W×H, values at pixel centres) at `level`, as polylines of grid
 * coordinates [x0, y0, x1, y1, …] whose first and last points coincide. The grid is padded with a ring below the
 * level, so regions touching the border close along it (clamped to the grid's extent).
 */
export function isoLines(grid: Float32Array, W: number, H: number, level: number): number[][] {
  const PW = W + 2;
  const PH = H + 2;
  const v = (x: number, y: number) => (x < 1 || y < 1 || x > W || y > H ? -Infinity : grid[(y - 1) * W + (x - 1)]!);
  // A crossing on the edge between two padded pixels, in grid coordinates (pixel centres at +0.5), clamped.
  const cross = (x0: number, y0: number, x1: number, y1: number): [number, number] => {
    const a = v(x0, y0);
    const b = v(x1, y1);
    const t = !Number.isFinite(a) ? 0 : !Number.isFinite(b) ? 1 : (level - a) / (b - a);
    const x = x0 + (x1 - x0) * t - 0.5;
    const y = y0 + (y1 - y0) * t - 0.5;
    return [Math.min(W, Math.max(0, x)), Math.min(H, Math.max(0, y))];
  };
  type Edge = 't' | 'r' | 'b' | 'l';
  // Edge ids shared by neighbouring cells: horizontal edges by their left corner, vertical ones by their top corner.
  const edgeId = (x: number, y: number, e: Edge) =>
    e === 't' ? `h${x},${y}` : e === 'b' ? `h${x},${y + 1}` : e === 'l' ? `v${x},${y}` : `v${x + 1},${y}`;
  const edgePoint = (x: number, y: number, e: Edge): [number, number] =>
    e === 't' ? cross(x, y, x + 1, y) : e === 'b' ? cross(x, y + 1, x + 1, y + 1) : e === 'l' ? cross(x, y, x, y + 1) : cross(x + 1, y, x + 1, y + 1);

  const segments: [string, string][] = [];
  const points = new Map<string, [number, number]>();
  for (let y = 0; y < PH - 1; y++) {
    for (let x = 0; x < PW - 1; x++) {
      const tl = v(x, y) >= level ? 8 : 0;
      const tr = v(x + 1, y) >= level ? 4 : 0;
      const br = v(x + 1, y + 1) >= level ? 2 : 0;
      const bl = v(x, y + 1) >= level ? 1 : 0;
      const c = tl | tr | br | bl;
      if (c === 0 || c === 15) continue;
      const centreAbove = (v(x, y) + v(x + 1, y) + v(x + 1, y + 1) + v(x, y + 1)) / 4 >= level;
      const pairs: [Edge, Edge][] =
        c === 1 || c === 14 ? [['l', 'b']]
        : c === 2 || c === 13 ? [['b', 'r']]
        : c === 3 || c === 12 ? [['l', 'r']]
        : c === 4 || c === 11 ? [['t', 'r']]
        : c === 6 || c === 9 ? [['t', 'b']]
        : c === 7 || c === 8 ? [['l', 't']]
        : c === 5 ? (centreAbove ? [['l', 't'], ['b', 'r']] : [['t', 'r'], ['l', 'b']])
        : /* 10 */ centreAbove ? [['t', 'r'], ['l', 'b']] : [['l', 't'], ['b', 'r']];
      for (const [a, b] of pairs) {
        const ia = edgeId(x, y, a);
        const ib = edgeId(x, y, b);
        if (!points.has(ia)) points.set(ia, edgePoint(x, y, a));
        if (!points.has(ib)) points.set(ib, edgePoint(x, y, b));
        segments.push([ia, ib]);
      }
    }
  }

  // Join segments into closed polylines through their shared edge crossings.
  const byPoint = new Map<string, number[]>();
  segments.forEach(([a, b], i) => {
    for (const k of [a, b]) byPoint.set(k, [...(byPoint.get(k) ?? []), i]);
  });
  const used = new Uint8Array(segments.length);
  const lines: number[][] = [];
  for (let start = 0; start < segments.length; start++) {
    if (used[start]) continue;
    used[start] = 1;
    const [first, second] = segments[start]!;
    const chain = [first, second];
    let at = second;
    for (;;) {
      const next = (byPoint.get(at) ?? []).find((i) => !used[i]);
      if (next === undefined) break;
      used[next] = 1;
      const [a, b] = segments[next]!;
      at = a === at ? b : a;
      chain.push(at);
    }
    lines.push(chain.flatMap((k) => points.get(k)!));
  }
  return lines;
}

/**
 * The outline of a CAM's hot region (the same region as the boxes and the place words: REGION_LEVEL of the map's
 * range) as closed polylines in image pixels, rounded to 0.1 px.
 */
export function camContours(cam: Float32Array, rows: number, cols: number, image: { width: number; height: number }, level = REGION_LEVEL): number[][] {
  const scale = CONTOUR_GRID / Math.max(image.width, image.height);
  const W = Math.max(2, Math.round(image.width * scale));
  const H = Math.max(2, Math.round(image.height * scale));
  const heat = normaliseCam(upsample(cam, rows, cols, W, H));
  // A flat map has no hot region (normaliseCam gives all zeros).
  if (!heat.some((v) => v > 0)) return [];
  const sx = image.width / W;
  const sy = image.height / H;
  return isoLines(heat, W, H, level).map((line) => line.map((v, i) => Math.round(v * (i % 2 ? sy : sx) * 10) / 10));
}
