/**
 * Small vector helpers for similar-case search. Embeddings are compared by cosine similarity, so every stored vector
 * is L2-normalised once and a cosine becomes a dot product.
 */

/** Returns a unit-length copy of `v` (a zero vector stays zero, so it is similar to nothing). */
export function normalized(v: ArrayLike<number>): Float32Array {
  const out = new Float32Array(v.length);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

/** Dot product of `a` with row `row` of a row-major matrix of width `a.length`. Four accumulators keep V8's loop tight. */
export function dotRow(matrix: Float32Array | Int8Array, row: number, a: Float32Array | Int8Array): number {
  const d = a.length;
  const o = row * d;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += matrix[o + j]! * a[j]!;
    s1 += matrix[o + j + 1]! * a[j + 1]!;
    s2 += matrix[o + j + 2]! * a[j + 2]!;
    s3 += matrix[o + j + 3]! * a[j + 3]!;
  }
  for (; j < d; j++) s0 += matrix[o + j]! * a[j]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Symmetric int8 quantisation with one scale for the whole matrix: q = round(x * scale), scale = 127 / max|x|.
 * One shared scale (not one per row) keeps the integer dot product proportional to the float one, so rows can be
 * ranked by it directly and scores recovered as dot / scale².
 */
export function int8Scale(values: Float32Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > max) max = a;
  }
  return max > 0 ? 127 / max : 1;
}

export function quantizeInt8(values: ArrayLike<number>, scale: number, out = new Int8Array(values.length), offset = 0): Int8Array {
  for (let i = 0; i < values.length; i++) {
    const q = Math.round(values[i]! * scale);
    out[offset + i] = q > 127 ? 127 : q < -127 ? -127 : q;
  }
  return out;
}
