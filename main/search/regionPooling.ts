/**
 * "Search by region": the embedding of a box drawn on the image, pooled from a spatial feature map, compared with
 * the stored image embeddings. It needs a pack that outputs the feature map itself (`featureMap` [N, D, h, w],
 * D = the embedding size); the current packs output only the pooled embedding and a 14×7×7 CAM, which has 14
 * channels (one per label), not D, so it cannot stand in.
 */

/** A box in image pixels (x, y = top-left corner). */
export interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FeatureMapShape {
  /** Channels (must equal the embedding dimension to be comparable with stored embeddings). */
  d: number;
  h: number;
  w: number;
}

export type RegionSupport = { supported: true; output: string; shape: FeatureMapShape } | { supported: false; reason: string };

/** What a manifest's `outputs` entry looks like, as far as this check needs. */
interface ManifestLike {
  id?: string;
  outputs?: Record<string, { shape?: Array<string | number> } | undefined>;
}

/**
 * Whether a pack supports region search, and why not. Keyed on an output named `featureMap` (or `feature_map`) of
 * shape [N, D, h, w] whose D matches the `embedding` output.
 */
export function regionSearchSupport(manifest: ManifestLike): RegionSupport {
  const name = manifest.id ?? 'this model pack';
  const outputs = manifest.outputs ?? {};
  const key = ['featureMap', 'feature_map'].find((k) => outputs[k]);
  if (!key) {
    const available = Object.keys(outputs).join(', ') || 'none';
    return {
      supported: false,
      reason:
        `${name} does not output a spatial feature map (outputs: ${available}); region search needs an output ` +
        '"featureMap" of shape [N, D, h, w]. Its CAM has one channel per label, not the embedding\'s D channels, ' +
        'so a box cannot be pooled into a comparable embedding.',
    };
  }
  const shape = outputs[key]!.shape ?? [];
  const [, d, h, w] = shape;
  if (shape.length !== 4 || typeof d !== 'number' || typeof h !== 'number' || typeof w !== 'number') {
    return { supported: false, reason: `${name}: output "${key}" must have shape [N, D, h, w] with numeric D, h, w; got [${shape.join(', ')}]` };
  }
  const embedding = outputs.embedding?.shape?.[1];
  if (typeof embedding === 'number' && embedding !== d) {
    return { supported: false, reason: `${name}: "${key}" has ${d} channels but the embedding has ${embedding}; they must match` };
  }
  return { supported: true, output: key, shape: { d, h, w } };
}

/**
 * Average of a [D, h, w] feature map over a box given in image pixels, weighting each feature cell by the area the
 * box covers of it (so a box smaller than one cell still yields that cell's features, and boxes move smoothly).
 * With the whole image as the box this equals global average pooling, i.e. the pack's `embedding`.
 */
export function poolRegion(
  featureMap: Float32Array,
  shape: FeatureMapShape,
  imageSize: { width: number; height: number },
  box: PixelBox,
): Float32Array {
  const { d, h, w } = shape;
  if (featureMap.length !== d * h * w) throw new RangeError(`feature map has ${featureMap.length} values; [${d}, ${h}, ${w}] needs ${d * h * w}`);
  // Clip the box to the image, then express it in feature-cell units.
  const x0 = Math.max(0, Math.min(imageSize.width, box.x));
  const y0 = Math.max(0, Math.min(imageSize.height, box.y));
  const x1 = Math.max(0, Math.min(imageSize.width, box.x + box.w));
  const y1 = Math.max(0, Math.min(imageSize.height, box.y + box.h));
  if (x1 <= x0 || y1 <= y0) throw new RangeError('the region box lies outside the image or has no area');
  const cx0 = (x0 / imageSize.width) * w;
  const cx1 = (x1 / imageSize.width) * w;
  const cy0 = (y0 / imageSize.height) * h;
  const cy1 = (y1 / imageSize.height) * h;
  const out = new Float32Array(d);
  let total = 0;
  for (let i = Math.floor(cy0); i < Math.min(h, Math.ceil(cy1)); i++) {
    const wy = Math.min(cy1, i + 1) - Math.max(cy0, i);
    if (wy <= 0) continue;
    for (let j = Math.floor(cx0); j < Math.min(w, Math.ceil(cx1)); j++) {
      const wx = Math.min(cx1, j + 1) - Math.max(cx0, j);
      if (wx <= 0) continue;
      const weight = wx * wy;
      total += weight;
      const cell = i * w + j;
      for (let c = 0; c < d; c++) out[c] = out[c]! + weight * featureMap[c * h * w + cell]!;
    }
  }
  for (let c = 0; c < d; c++) out[c] = out[c]! / total;
  return out;
}
