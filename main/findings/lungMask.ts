/**
 * An approximate lung field from the resized input image, for extent, zone and midline. Not a segmentation model:
 * the lungs are the large dark regions inside the body. Otsu's threshold over the central 90% of the image splits
 * dark from bright; dark regions touching that window's edge (air outside the body) are dropped; the two largest
 * remaining regions are kept. When that gives an implausible result (less than 8% or more than 60% of the image),
 * a fixed template of two ellipses is used instead and `source` says so.
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
  const stack: number[] = [];
  for (let start = 0; start < on.length; start++) {
    if (!on[start] || labels[start]) continue;
    const id = sizes.length;
    let size = 0;
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      size++;
      const x = p % W;
      const y = (p / W) | 0;
      const nb = [x > 0 ? p - 1 : -1, x < W - 1 ? p + 1 : -1, y > 0 ? p - W : -1, y < H - 1 ? p + W : -1];
      for (const q of nb) {
        if (q >= 0 && on[q] && !labels[q]) {
          labels[q] = id;
          stack.push(q);
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
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

export function templateLungField(W: number, H: number): LungField {
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (const cx of [0.3, 0.7]) {
        const dx = (x / W - cx) / 0.16;
        const dy = (y / H - 0.5) / 0.32;
        if (dx * dx + dy * dy <= 1) mask[y * W + x] = 1;
      }
    }
  }
  return summarise(mask, W, H, 'template');
}

export function lungField(img: Float32Array, W: number, H: number): LungField {
  const x0 = Math.floor(0.05 * W), x1 = Math.ceil(0.95 * W), y0 = Math.floor(0.05 * H), y1 = Math.ceil(0.95 * H);
  const inner: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) inner.push(img[y * W + x]!);
  const t = otsu(Float32Array.from(inner));
  const dark = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (img[y * W + x]! < t) dark[y * W + x] = 1;
  const { labels, sizes } = components(dark, W, H);
  const touches = new Set<number>();
  for (let x = x0; x < x1; x++) {
    touches.add(labels[y0 * W + x]!);
    touches.add(labels[(y1 - 1) * W + x]!);
  }
  for (let y = y0; y < y1; y++) {
    touches.add(labels[y * W + x0]!);
    touches.add(labels[y * W + x1 - 1]!);
  }
  const keep = sizes
    .map((size, id) => ({ id, size }))
    .filter((c) => c.id > 0 && !touches.has(c.id) && c.size >= 0.02 * W * H)
    .sort((a, b) => b.size - a.size)
    .slice(0, 2)
    .map((c) => c.id);
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < mask.length; i++) if (keep.includes(labels[i]!)) mask[i] = 1;
  const field = summarise(mask, W, H, 'image');
  if (field.area < 0.08 * W * H || field.area > 0.6 * W * H) return templateLungField(W, H);
  return field;
}
