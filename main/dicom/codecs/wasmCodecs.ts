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
/** The Emscripten module: decoder classes by name, and (in some builds) a reader for C++ exception messages. */
type CodecModule = Record<string, unknown> & { getExceptionMessage?: (pointer: number) => [string, string] | string };
type Factory = (options?: Record<string, unknown>) => Promise<CodecModule>;
interface LoadedCodec {
  module: CodecModule;
  Decoder: DecoderClass;
}

export type WasmCodecName = 'libjpeg-turbo' | 'charls' | 'openjpeg' | 'openjph';

/** How messages name each codec. */
const LABEL: Record<WasmCodecName, string> = {
  'libjpeg-turbo': 'the JPEG decoder (libjpeg-turbo)',
  charls: 'the JPEG-LS decoder (CharLS)',
  openjpeg: 'the JPEG 2000 decoder (OpenJPEG)',
  openjph: 'the HTJ2K decoder (OpenJPH)',
};

const SPEC: Record<WasmCodecName, { module: string; className: string }> = {
  // The decode-only builds are smaller and start faster than the encode+decode ones.
  'libjpeg-turbo': { module: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', className: 'JPEGDecoder' },
  charls: { module: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  openjpeg: { module: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  openjph: { module: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
};

const modules = new Map<WasmCodecName, Promise<LoadedCodec>>();

function loadCodec(name: WasmCodecName): Promise<LoadedCodec> {
  let pending = modules.get(name);
  if (!pending) {
    const spec = SPEC[name];
    const loaded = require(spec.module) as Factory | { default: Factory };
    const factory = typeof loaded === 'function' ? loaded : loaded.default;
    pending = factory({ print: () => {}, printErr: () => {} }).then((module) => {
      const Decoder = module[spec.className] as DecoderClass | undefined;
      if (!Decoder) throw new Error(`${spec.module} has no ${spec.className}`);
      return { module, Decoder };
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

/** Thrown when a codec refuses a codestream; the message says so in words. */
export class CodecFailure extends Error {}

/**
 * Decodes one compressed frame with the named codec. The decoder object holds WASM memory, so it is freed at once;
 * the decoded bytes are copied out of the WASM heap before that. A codec that fails says why in words: Emscripten
 * builds throw a bare number (a pointer to the C++ exception) or a WebAssembly trap ("unreachable"), neither of which
 * tells a reader anything.
 */
export async function decodeWithWasm(name: WasmCodecName, encoded: Uint8Array): Promise<WasmDecodeResult> {
  const { module, Decoder } = await loadCodec(name);
  let decoder: WasmDecoder | undefined;
  try {
    decoder = new Decoder();
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
  } catch (thrown) {
    throw codecFailure(name, module, thrown);
  } finally {
    try {
      decoder?.delete?.();
    } catch {
      // A module that trapped cannot free anything; it has been dropped below.
    }
  }
}

function codecFailure(name: WasmCodecName, module: CodecModule, thrown: unknown): Error {
  const label = LABEL[name];
  if (typeof thrown === 'number') {
    let detail = '';
    try {
      const message = module.getExceptionMessage?.(thrown);
      detail = Array.isArray(message) ? message.filter(Boolean).join(': ') : (message ?? '');
    } catch {
      detail = '';
    }
    return new CodecFailure(`${label} stopped: the compressed data is damaged or uses a feature it does not support${detail ? ` (${detail})` : ''}`);
  }
  if (thrown instanceof Error && thrown.name === 'RuntimeError') {
    // A WebAssembly trap (the lib in use has no WebAssembly types, hence the name test).
    // It leaves the module's memory and stack in an unknown state: the next frame gets a fresh instance.
    modules.delete(name);
    const detail = /unreachable/.test(thrown.message) ? 'it aborted' : thrown.message;
    return new CodecFailure(`${label} failed on malformed compressed data (${detail})`);
  }
  if (thrown instanceof RangeError) {
    modules.delete(name);
    return new CodecFailure(`${label} ran out of memory (${thrown.message})`);
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new CodecFailure(`${label} stopped: ${message}`);
}
