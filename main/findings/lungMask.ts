/**
 * An approximate lung field from the resized input image, for extent, zone and midline. Not a segmentation model:
 * the lungs are the large dark regions inside the thorax. Otsu's threshold, computed inside a generous prior region
 * (two ellipses where frontal lungs usually lie, enlarged by 35% so real lungs fit), splits dark from bright; the
 * prior region cuts the lungs off from the air outside the body; the two largest dark regions are kept. When that
 * gives an implausible result (less than 8% or more than 60% of the grid), the plain two-ellipse template is used
 * instead and `source` says so.
 */
export interface LungField {
  width: number;
  height: number;
  mask: Uint8Array;
  area: number;
  /** x of the midline between the lungs (mask centroid), in mask pixels. */
  midlineX: number;
  top: number;
  bottom: number;
  source: 'image' | 'template';
}

function otsu(values: Float32Array): number {
  const bins = 256;
  const hist = new Float64Array(bins);
  for (const v of values) hist[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]!++;
  const total = values.length;
  let sum = 0;
  for (let i = 0; i < bins; i++) sum += i * hist[i]!;
  let sumB = 0, wB = 0, best = 0, bestVar = -1;
  for (let i = 0; i < bins; i++) {
    wB += hist[i]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += i * hist[i]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = i;
    }
  }
  return (best + 1) / bins;
}

/** Labels 4-connected components of `on` pixels; returns labels (0 = background) and each component's size. */
export function components(on: Uint8Array, W: number, H: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(W * H);
  const sizes: number[] = [0];
  const stack = new Int32Array(W * H);
  for (let start = 0; start < on.length; start++) {
    if (!on[start] || labels[start]) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    labels[start] = id;
    stack[top++] = start;
    while (top) {
      const p = stack[--top]!;
      size++;
      const x = p % W;
      // Neighbours inline (no per-pixel allocation: this runs for every label of every image).
      if (x > 0 && on[p - 1] && !labels[p - 1]) (labels[p - 1] = id), (stack[top++] = p - 1);
      if (x < W - 1 && on[p + 1] && !labels[p + 1]) (labels[p + 1] = id), (stack[top++] = p + 1);
      if (p >= W && on[p - W] && !labels[p - W]) (labels[p - W] = id), (stack[top++] = p - W);
      if (p + W < W * H && on[p + W] && !labels[p + W]) (labels[p + W] = id), (stack[top++] = p + W);
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/**
 * Area-average downsampling of a W×H image to w×h (the localisation grid): CAMs are 7×7, so boxes and extents
 * need no more than a few dozen pixels a side, and working at the model's input size would cost 10× more.
 */
export function downsample(img: Float32Array, W: number, H: number, w: number, h: number): Float32Array {
  if (w === W && h === H) return img;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * H) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * H) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * W) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * W) / w));
      let s = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += img[yy * W + xx]!;
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

function summarise(mask: Uint8Array, W: number, H: number, source: LungField['source']): LungField {
  let area = 0, sx = 0, top = H, bottom = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!mask[y * W + x]) continue;
      area++;
      sx += x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return { width: W, height: H, mask, area, midlineX: area ? sx / area : W / 2, top: area ? top : 0, bottom: area ? bottom : H - 1, source };
}

/** Two ellipses where the lungs of a frontal chest usually are; `scale` > 1 gives a generous prior region. */
function ellipses(W: number, H: number, scale: number): Uint8Array {
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (const cx of [0.3, 0.7]) {
        const dx = (x / W - cx) / (0.16 * scale);
        const dy = (y / H - 0.5) / (0.32 * scale);
        if (dx * dx + dy * dy <= 1) mask[y * W + x] = 1;
      }
    }
  }
  return mask;
}

export function templateLungField(W: number, H: number): LungField {
  return summarise(ellipses(W, H, 1), W, H, 'template');
}

export function lungField(img: Float32Array, W: number, H: number): LungField {
  const prior = ellipses(W, H, 1.35);
  const inside: number[] = [];
  for (let i = 0; i < img.length; i++) if (prior[i]) inside.push(img[i]!);
  const t = otsu(Float32Array.from(inside));
  // Dark pixels inside the generous prior region: cuts the lungs off from the air outside the body.
  const dark = new Uint8Array(W * H);
  for (let i = 0; i < img.length; i++) if (prior[i] && img[i]! < t) dark[i] = 1;
  const { labels, sizes } = components(dark, W, H);
  const keep = sizes
    .map((size, id) => ({ id, size }))
    .filter((c) => c.id > 0 && c.size >= 0.02 * W * H)
    .sort((a, b) => b.size - a.size)
    .slice(0, 2)
    .map((c) => c.id);
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < mask.length; i++) if (keep.includes(labels[i]!)) mask[i] = 1;
  const field = summarise(mask, W, H, 'image');
  if (field.area < 0.08 * W * H || field.area > 0.6 * W * H) return templateLungField(W, H);
  return field;
}
