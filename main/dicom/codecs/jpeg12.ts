import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The few dcmjs-codecs types used here (its own index.d.ts does not resolve under NodeNext for a CJS bundle). */
interface CodecContext {
  getDecodedBuffer(): Uint8Array | undefined;
}
interface DcmjsCodecs {
  Context: new (attrs: Record<string, unknown>) => CodecContext;
  NativeCodecs: {
    initializeAsync(opts?: Record<string, unknown>): Promise<void>;
    isInitialized(): boolean;
    decodeJpeg(context: CodecContext, parameters?: { convertColorspaceToRgb?: boolean }): CodecContext;
  };
}

let ready: Promise<DcmjsCodecs> | undefined;

function load(): Promise<DcmjsCodecs> {
  ready ??= (async () => {
    const codecs = require('dcmjs-codecs') as DcmjsCodecs;
    if (!codecs.NativeCodecs.isInitialized()) {
      const wasm = require.resolve('dcmjs-codecs').replace(/dcmjs-codecs\.min\.js$/, 'dcmjs-native-codecs.wasm');
      await codecs.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: wasm });
    }
    return codecs;
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}

export interface Jpeg12Frame {
  width: number;
  height: number;
  bitsAllocated: number;
  bitsStored: number;
  samplesPerPixel: number;
  pixelRepresentation: number;
  photometric: string;
}

/**
 * JPEG with 12-bit sample precision (Extended, processes 2 & 4, and the retired DCT processes) through the IJG
 * 12-bit build inside dcmjs-codecs' WASM: the cornerstone libjpeg-turbo build is 8-bit only. Loaded on first use,
 * since it also loads dcmjs. Returns little-endian 16-bit samples.
 */
export async function decodeJpeg12(encoded: Uint8Array, frame: Jpeg12Frame): Promise<Uint8Array> {
  const codecs = await load();
  const context = new codecs.Context({
    width: frame.width,
    height: frame.height,
    bitsAllocated: frame.bitsAllocated,
    bitsStored: frame.bitsStored,
    samplesPerPixel: frame.samplesPerPixel,
    pixelRepresentation: frame.pixelRepresentation,
    planarConfiguration: 0,
    photometricInterpretation: frame.photometric,
    encodedBuffer: encoded,
  });
  let decoded: Uint8Array | undefined;
  try {
    decoded = codecs.NativeCodecs.decodeJpeg(context, { convertColorspaceToRgb: false }).getDecodedBuffer();
  } catch (thrown) {
    // The WASM build throws bare numbers (C++ exception pointers) or traps; neither says anything to a reader.
    const detail = thrown instanceof Error && thrown.name !== 'RuntimeError' ? ` (${thrown.message})` : '';
    throw new Error(`the 12-bit JPEG decoder (IJG) stopped: the compressed data is damaged or uses a feature it does not support${detail}`);
  }
  if (!decoded || decoded.length === 0) throw new Error('the 12-bit JPEG decoder (IJG) returned no pixels: the compressed data is damaged');
  return decoded;
}
