import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface LosslessDecoder {
  decode(buffer: ArrayBufferLike, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
}

let DecoderClass: (new () => LosslessDecoder) | undefined;

/**
 * JPEG Lossless (Process 14, any predictor: .57 and .70) with cornerstone's maintained fork of jpeg-lossless-decoder-js
 * (the original leaves the last sample of some streams undecoded). Returns the samples as
 * little-endian bytes, `bytesPerSample` each.
 */
export function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  DecoderClass ??= (require('@cornerstonejs/jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder }).Decoder;
  const decoder = new DecoderClass();
  const out = decoder.decode(encoded.buffer, encoded.byteOffset, encoded.length, bytesPerSample);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
