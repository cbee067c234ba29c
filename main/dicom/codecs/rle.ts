/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header with up to 15 segment offsets, then one PackBits segment per byte
 * plane, most significant byte first, sample after sample. Written here (as cornerstone does) because the scheme is
 * a dozen lines; everything else is a maintained codec.
 *
 * Returns the frame as interleaved little-endian samples (`samplesPerPixel` × `bytesPerSample` bytes per pixel).
 */
export function decodeRle(
  encoded: Uint8Array,
  pixelCount: number,
  samplesPerPixel: number,
  bytesPerSample: number,
): Uint8Array {
  if (encoded.length < 64) throw new Error(`RLE frame of ${encoded.length} bytes is shorter than its 64-byte header`);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segmentCount !== expected) {
    throw new Error(`RLE header has ${segmentCount} segments, expected ${expected} (${samplesPerPixel} samples × ${bytesPerSample} bytes)`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < segmentCount; i++) offsets.push(view.getUint32(4 + 4 * i, true));

  const out = new Uint8Array(pixelCount * expected);
  const stride = expected;
  for (let segment = 0; segment < segmentCount; segment++) {
    const sample = Math.floor(segment / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample); // segment 0 is the most significant byte
    const start = offsets[segment]!;
    const end = segment + 1 < segmentCount ? offsets[segment + 1]! : encoded.length;
    if (start < 64 || start > encoded.length || end < start) throw new Error(`RLE segment ${segment + 1} has a bad offset`);
    unpackBits(encoded, start, Math.min(end, encoded.length), out, sample * bytesPerSample + byteInSample, stride, pixelCount);
  }
  return out;
}

/** PackBits into every `stride`-th byte of `out` from `first`; stops at `count` bytes (trailing padding is ignored). */
function unpackBits(src: Uint8Array, start: number, end: number, out: Uint8Array, first: number, stride: number, count: number): void {
  let pos = start;
  let written = 0;
  let at = first;
  while (pos < end && written < count) {
    const header = src[pos++]!;
    if (header < 128) {
      // Literal run of header + 1 bytes.
      const n = Math.min(header + 1, count - written, end - pos);
      for (let i = 0; i < n; i++) {
        out[at] = src[pos++]!;
        at += stride;
      }
      written += n;
    } else if (header > 128) {
      // Replicate the next byte 257 - header times.
      if (pos >= end) break;
      const value = src[pos++]!;
      const n = Math.min(257 - header, count - written);
      for (let i = 0; i < n; i++) {
        out[at] = value;
        at += stride;
      }
      written += n;
    }
    // 128 is a no-op.
  }
  if (written < count) throw new Error(`RLE segment is short: ${written} of ${count} bytes`);
}
