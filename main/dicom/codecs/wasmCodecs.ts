import { createRequire } from 'node:module';

/**
 * Loads the cornerstone WASM codecs (Emscripten factories). Each factory is called once and its module cached: a
 * module instance is tens of MB of WASM memory, and creating one costs ~20-40 ms.
 */
const require = createRequire(import.meta.url);

/** The part of an Emscripten codec module's decoder object the reader uses (all four codecs share this shape). */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  readHeader?(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getInterleaveMode?(): number;
  delete?(): void;
}

type DecoderClass = new () => WasmDecoder;
type Factory = (options?: Record<string, unknown>) => Promise<Record<string, DecoderClass>>;

export type WasmCodecName = 'libjpeg-turbo' | 'charls' | 'openjpeg' | 'openjph';

const SPEC: Record<WasmCodecName, { module: string; className: string }> = {
  // The decode-only builds are smaller and start faster than the encode+decode ones.
  'libjpeg-turbo': { module: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', className: 'JPEGDecoder' },
  charls: { module: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  openjpeg: { module: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  openjph: { module: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
};

const modules = new Map<WasmCodecName, Promise<DecoderClass>>();

function decoderClass(name: WasmCodecName): Promise<DecoderClass> {
  let pending = modules.get(name);
  if (!pending) {
    const spec = SPEC[name];
    const loaded = require(spec.module) as Factory | { default: Factory };
    const factory = typeof loaded === 'function' ? loaded : loaded.default;
    pending = factory({ print: () => {}, printErr: () => {} }).then((module) => {
      const cls = module[spec.className];
      if (!cls) throw new Error(`${spec.module} has no ${spec.className}`);
      return cls;
    });
    // A failed load is not cached, so a later call can retry.
    pending.catch(() => modules.delete(name));
    modules.set(name, pending);
  }
  return pending;
}

export interface WasmDecodeResult {
  data: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  interleaveMode?: number;
}

/**
 * Decodes one compressed frame with the named codec. The decoder object holds WASM memory, so it is freed at once;
 * the decoded bytes are copied out of the WASM heap before that.
 */
export async function decodeWithWasm(name: WasmCodecName, encoded: Uint8Array): Promise<WasmDecodeResult> {
  const Decoder = await decoderClass(name);
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const data = decoder.getDecodedBuffer().slice();
    const result: WasmDecodeResult = {
      data,
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      componentCount: info.componentCount,
    };
    if (decoder.getInterleaveMode) result.interleaveMode = decoder.getInterleaveMode();
    return result;
  } finally {
    decoder.delete?.();
  }
}
