import { inflateRawSync } from 'node:zlib';
import { checkDeclaredImage, type DecodeLimits } from '../images/decodeLimits.js';
import type { DecodedFrame } from '../images/types.js';
import { decodeJpeg12 } from './codecs/jpeg12.js';
import { decodeJpegLossless } from './codecs/jpegLossless.js';
import { decodeRle } from './codecs/rle.js';
import { decodeWithWasm, type WasmCodecName } from './codecs/wasmCodecs.js';
import type { DataSet, Element } from './dicomParserModule.js';
import { encapsulatedFrame } from './encapsulated.js';
import { isLosslessJpeg, j2kUsesMct, readJ2kSize, readJpegFrameHeader } from './jpegMarkers.js';
import { applyPalette, readPalette, type Palette } from './palette.js';
import { expandYbr422, interleave, swapBytes, toSamples, unpackBitSamples, ybrFullToRgb, ybrPartialToRgb, type PixelLayout } from './samples.js';
import type { TransferSyntaxInfo } from './transferSyntax.js';
import type { DicomMetadata } from './types.js';

/** Everything decodeFrame needs from the parsed file. */
export interface FrameSource {
  dataSet: DataSet;
  meta: DicomMetadata;
  syntax: TransferSyntaxInfo | undefined;
  /** Checked against the header before anything is decoded, and against each codestream's own size. */
  limits: DecodeLimits;
  /** Cached palette (read on first colour-mapped frame). */
  palette?: Palette | null;
}

/** Thrown for problems that are about the file's content; the caller adds the path. */
export class FrameProblem extends Error {}

type Samples = DecodedFrame['data'];

/** Whether the decoded samples are still YCbCr and need converting to RGB. */
type ColourState = 'rgb' | 'ybr-full' | 'ybr-partial' | 'ybr-full-422-native';

export async function decodeFrame(source: FrameSource, index: number): Promise<DecodedFrame> {
  const { meta, dataSet } = source;
  if (!meta.hasPixelData) throw new FrameProblem('no pixel data (this object holds no image)');
  if (meta.rows <= 0 || meta.columns <= 0) {
    throw new FrameProblem(`the header gives no usable image size (Columns ${meta.columns}, Rows ${meta.rows}): Rows or Columns is missing or zero`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= meta.numberOfFrames) {
    throw new FrameProblem(`frame ${index} requested, the file has ${meta.numberOfFrames}`);
  }
  checkDeclaredImage(source.limits, 'the header', {
    width: meta.columns,
    height: meta.rows,
    frames: meta.numberOfFrames,
    samplesPerPixel: meta.samplesPerPixel,
    bitsAllocated: meta.bitsAllocated,
  });
  const floatElement = dataSet.elements['x7fe00008'] ?? dataSet.elements['x7fe00009'];
  const element = dataSet.elements['x7fe00010'];
  if (!element && floatElement) return floatFrame(source, floatElement, index);
  if (!element) throw new FrameProblem('no pixel data');
  if (meta.photometric === 'PALETTE COLOR' && meta.samplesPerPixel === 1) {
    source.palette ??= readPalette(dataSet, meta.pixelRepresentation === 1);
    if (!source.palette) throw new FrameProblem('PALETTE COLOR with segmented or missing palette tables is not supported');
  }

  const encapsulated = element.encapsulatedPixelData === true || (element.fragments?.length ?? 0) > 0;
  const compressedSyntax = source.syntax !== undefined && source.syntax.pixels !== 'native';
  // Some writers store a single compressed frame with a defined length instead of encapsulating it.
  const bareStream = !encapsulated && compressedSyntax && meta.numberOfFrames === 1;
  const { samples, colour, bitsAllocated } =
    encapsulated || bareStream ? await compressedFrame(source, element, index, !encapsulated) : nativeFrame(source, element, index);
  return finish(source, samples, colour, bitsAllocated);
}

function layoutOf(meta: DicomMetadata, bitsAllocated = meta.bitsAllocated): PixelLayout {
  return {
    rows: meta.rows,
    columns: meta.columns,
    samplesPerPixel: meta.samplesPerPixel,
    bitsAllocated,
    bitsStored: Math.min(meta.bitsStored || bitsAllocated, bitsAllocated),
    highBit: Math.min(meta.highBit, bitsAllocated - 1),
    signed: meta.pixelRepresentation === 1,
  };
}

function initialColour(photometric: string): ColourState {
  if (photometric === 'YBR_FULL') return 'ybr-full';
  if (photometric === 'YBR_FULL_422') return 'ybr-full-422-native';
  if (photometric.startsWith('YBR_PARTIAL')) return 'ybr-partial';
  return 'rgb';
}

interface RawFrame {
  samples: Samples;
  colour: ColourState;
  bitsAllocated: number;
}

function nativeFrame(source: FrameSource, element: Element, index: number): RawFrame {
  const { meta, dataSet } = source;
  const pixels = meta.rows * meta.columns;
  const spp = meta.samplesPerPixel;
  const littleEndian = source.syntax?.littleEndian ?? true;
  const bytes = dataSet.byteArray as Uint8Array;
  const available = Math.min(element.length, bytes.length - element.dataOffset);
  const colour = spp === 3 ? initialColour(meta.photometric) : 'rgb';

  if (meta.bitsAllocated === 1) {
    // Frames of 1-bit data need not start on a byte boundary.
    const first = index * pixels * spp;
    const needBytes = Math.ceil((first + pixels * spp) / 8);
    if (needBytes > available) throw truncated(index, needBytes, available);
    const samples = unpackBitSamples(bytes.subarray(element.dataOffset), first, pixels * spp);
    return { samples, colour, bitsAllocated: 8 };
  }
  if (![8, 16, 32].includes(meta.bitsAllocated)) throw new FrameProblem(`Bits Allocated ${meta.bitsAllocated} is not supported`);
  const bytesPer = meta.bitsAllocated / 8;
  // Native YBR_FULL_422 stores two luma and one chroma pair per two pixels: two samples per pixel on average.
  const samplesPerFrame = colour === 'ybr-full-422-native' ? pixels * 2 : pixels * spp;
  const frameBytes = samplesPerFrame * bytesPer;
  const start = index * frameBytes;
  if (start + frameBytes > available) throw truncated(index, frameBytes, Math.max(0, available - start));
  let raw = bytes.subarray(element.dataOffset + start, element.dataOffset + start + frameBytes);
  // Big endian swaps each OW word: wider samples always, 8-bit samples only when the element is OW (not OB).
  if (!littleEndian && bytesPer > 1) raw = swapBytes(raw, bytesPer as 2 | 4);
  else if (!littleEndian && element.vr === 'OW') raw = swapBytes(raw, 2);
  let samples = toSamples(raw, layoutOf(meta), samplesPerFrame);
  if (spp > 1 && meta.planarConfiguration === 1 && colour !== 'ybr-full-422-native') samples = interleave(samples, pixels, spp);
  return { samples, colour, bitsAllocated: meta.bitsAllocated };
}

/**
 * Deflated Image Frame Compression: each frame is a raw deflate stream (RFC 1951) of the native frame. The output is
 * capped at what the header declares (rounded up to an even length), so a stream that expands further is refused.
 */
function inflateFrame(encoded: Uint8Array, expectedBytes: number): Uint8Array {
  try {
    return inflateRawSync(encoded, { maxOutputLength: expectedBytes + (expectedBytes % 2) });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FrameProblem(`the deflated frame expands beyond the ${expectedBytes} bytes its header declares`);
    }
    throw new FrameProblem(`the deflated frame is damaged and cannot be inflated (zlib: ${(thrown as Error).message})`);
  }
}

/**
 * Refuses a codestream whose own size is over the limits, or (for decoders that return what the codestream says)
 * differs from the header's, before the decoder allocates for it.
 */
function checkCodestream(source: FrameSource, what: string, size: { width: number; height: number; components: number; bits: number }, mustMatch: boolean): void {
  const { meta } = source;
  checkDeclaredImage(source.limits, what, { width: size.width, height: size.height, samplesPerPixel: size.components, bitsAllocated: size.bits });
  if (mustMatch && size.height !== 0 && (size.width !== meta.columns || size.height !== meta.rows)) {
    throw new FrameProblem(`${what} is ${size.width}x${size.height} but the header says ${meta.columns}x${meta.rows}`);
  }
}

function checkJ2k(source: FrameSource, encoded: Uint8Array): void {
  const siz = readJ2kSize(encoded);
  if (siz) checkCodestream(source, 'the JPEG 2000 codestream', { width: siz.width, height: siz.height, components: siz.components, bits: siz.bitDepth }, true);
}

function truncated(index: number, need: number, have: number): FrameProblem {
  return new FrameProblem(`pixel data truncated: frame ${index} needs ${need} bytes, ${have} available`);
}

function floatFrame(source: FrameSource, element: Element, index: number): DecodedFrame {
  const { meta, dataSet } = source;
  const double = element.tag === 'x7fe00009';
  const size = double ? 8 : 4;
  const count = meta.rows * meta.columns * meta.samplesPerPixel;
  const bytes = dataSet.byteArray as Uint8Array;
  const start = element.dataOffset + index * count * size;
  if (start + count * size > Math.min(bytes.length, element.dataOffset + element.length)) {
    throw truncated(index, count * size, Math.max(0, bytes.length - start));
  }
  let raw: Uint8Array = new Uint8Array(bytes.subarray(start, start + count * size));
  if (source.syntax && !source.syntax.littleEndian) raw = swapBytes(raw, size);
  const data = double ? Float32Array.from(new Float64Array(raw.buffer)) : new Float32Array(raw.buffer);
  return { width: meta.columns, height: meta.rows, samplesPerPixel: meta.samplesPerPixel, bitsStored: 32, signed: true, data };
}

async function compressedFrame(source: FrameSource, element: Element, index: number, bare: boolean): Promise<RawFrame> {
  const { meta, dataSet, syntax } = source;
  if (!syntax || syntax.pixels === 'native') {
    throw new FrameProblem(`pixel data is encapsulated with transfer syntax ${meta.transferSyntaxUid || '(none)'}, which this reader cannot decode`);
  }
  let encoded: Uint8Array;
  try {
    encoded = bare
      ? (dataSet.byteArray as Uint8Array).subarray(element.dataOffset, element.dataOffset + element.length)
      : encapsulatedFrame(dataSet, element, index, meta.numberOfFrames);
  } catch (thrown) {
    throw new FrameProblem(`cannot locate frame ${index} in the encapsulated pixel data (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
  const pixels = meta.rows * meta.columns;
  const spp = meta.samplesPerPixel;
  const containerBytes = meta.bitsAllocated <= 8 ? 1 : 2;
  const photometricColour = spp === 3 ? initialColour(meta.photometric) : 'rgb';
  // Compressed YBR_FULL_422 is subsampled inside the codestream; decoders return full-resolution samples.
  const ybrColour: ColourState = photometricColour === 'ybr-full-422-native' ? 'ybr-full' : photometricColour;

  if (meta.bitsAllocated === 1) {
    // 1-bit frames are compressed as packed bytes.
    if (syntax.pixels === 'jpeg-2000' || syntax.pixels === 'htj2k') {
      // JPEG 2000 codes 1-bit images as 1-bit samples, which the decoder returns one per byte.
      checkJ2k(source, encoded);
      const result = await decodeWithWasm(syntax.pixels === 'htj2k' ? 'openjph' : 'openjpeg', encoded);
      return { samples: result.data.subarray(0, pixels * spp), colour: 'rgb', bitsAllocated: 8 };
    }
    const packedBytes = Math.ceil((pixels * spp) / 8);
    const packed =
      syntax.pixels === 'rle' ? decodeRle(encoded, packedBytes, 1, 1) : syntax.pixels === 'deflate-frame' ? inflateFrame(encoded, packedBytes) : null;
    if (!packed) throw new FrameProblem(`1-bit pixel data in ${syntax.name} is not supported`);
    return { samples: unpackBitSamples(packed, 0, pixels * spp), colour: 'rgb', bitsAllocated: 8 };
  }

  switch (syntax.pixels) {
    case 'deflate-frame': {
      const bitsAllocated = meta.bitsAllocated;
      if (![8, 16, 32].includes(bitsAllocated)) throw new FrameProblem(`Bits Allocated ${bitsAllocated} is not supported`);
      const bytes = inflateFrame(encoded, pixels * spp * (bitsAllocated / 8));
      let samples = toSamples(bytes, layoutOf(meta), pixels * spp);
      if (spp > 1 && meta.planarConfiguration === 1) samples = interleave(samples, pixels, spp);
      return { samples, colour: ybrColour, bitsAllocated };
    }
    case 'rle': {
      const bytes = decodeRle(encoded, pixels, spp, meta.bitsAllocated / 8 >= 4 ? 4 : containerBytes);
      const bitsAllocated = meta.bitsAllocated >= 32 ? 32 : meta.bitsAllocated;
      return { samples: toSamples(bytes, layoutOf(meta, bitsAllocated), pixels * spp), colour: ybrColour, bitsAllocated };
    }
    case 'jpeg-baseline':
    case 'jpeg-extended':
    case 'jpeg-lossless': {
      const header = readJpegFrameHeader(encoded);
      if (!header) throw new FrameProblem(`frame ${index} is not a JPEG stream (no SOI/SOF marker)`);
      // libjpeg-turbo returns what the stream declares, so its size must match; the lossless and 12-bit decoders are
      // handed the header's size, so only the limits apply to theirs.
      const viaTurbo = !isLosslessJpeg(header) && header.precision <= 8;
      checkCodestream(source, 'the JPEG data', { width: header.width, height: header.height, components: header.components, bits: header.precision }, viaTurbo);
      if (isLosslessJpeg(header)) {
        const bytesPer = header.precision > 8 ? 2 : 1;
        const bytes = decodeJpegLossless(encoded, bytesPer);
        return sized(bytes, meta, bytesPer, ybrColour);
      }
      if (header.precision > 8) {
        const bytes = await decodeJpeg12(encoded, {
          width: meta.columns,
          height: meta.rows,
          bitsAllocated: 16,
          bitsStored: Math.min(meta.bitsStored, 12) || 12,
          samplesPerPixel: spp,
          pixelRepresentation: meta.pixelRepresentation,
          photometric: meta.photometric || 'MONOCHROME2',
        });
        return sized(bytes, meta, 2, ybrColour);
      }
      // libjpeg-turbo converts YCbCr codestreams to RGB itself (honouring Adobe/JFIF markers).
      return fromWasm('libjpeg-turbo', encoded, meta, 'rgb');
    }
    case 'jpeg-ls': {
      const header = readJpegFrameHeader(encoded);
      if (header) checkCodestream(source, 'the JPEG-LS data', { width: header.width, height: header.height, components: header.components, bits: header.precision }, true);
      return fromWasm('charls', encoded, meta, ybrColour);
    }
    case 'jpeg-2000':
    case 'htj2k': {
      // YBR_ICT / YBR_RCT codestreams carry the inverse transform, which the decoder applies; YBR_FULL is converted
      // here unless the codestream itself says it used the component transform.
      checkJ2k(source, encoded);
      const mct = spp === 3 ? j2kUsesMct(encoded) : null;
      const colour = ybrColour === 'ybr-full' && mct !== true ? 'ybr-full' : 'rgb';
      // HTJ2K decoders also read plain J2K codestreams; openjph is used for the HT syntaxes only.
      return fromWasm(syntax.pixels === 'htj2k' ? 'openjph' : 'openjpeg', encoded, meta, colour);
    }
    default:
      throw new FrameProblem(`transfer syntax ${meta.transferSyntaxUid} is not supported`);
  }
}

const CODEC_FORMAT: Record<WasmCodecName, string> = { 'libjpeg-turbo': 'JPEG', charls: 'JPEG-LS', openjpeg: 'JPEG 2000', openjph: 'HTJ2K' };

async function fromWasm(codec: WasmCodecName, encoded: Uint8Array, meta: DicomMetadata, colour: ColourState): Promise<RawFrame> {
  const result = await decodeWithWasm(codec, encoded);
  if (result.width === 0 || result.height === 0) {
    throw new FrameProblem(`the ${CODEC_FORMAT[codec]} data of the frame holds no readable image: it is damaged or truncated`);
  }
  if (result.width !== meta.columns || result.height !== meta.rows) {
    throw new FrameProblem(`codestream is ${result.width}x${result.height} but the header says ${meta.columns}x${meta.rows}`);
  }
  const bytesPer = result.bitsPerSample <= 8 ? 1 : 2;
  let frame = sized(result.data, { ...meta, samplesPerPixel: result.componentCount }, bytesPer, colour);
  // CharLS returns planar samples for interleave mode 0 (component by component).
  if (codec === 'charls' && result.componentCount > 1 && result.interleaveMode === 0) {
    frame = { ...frame, samples: interleave(frame.samples, meta.rows * meta.columns, result.componentCount) };
  }
  return frame;
}

/** Decoded little-endian bytes of `bytesPer` bytes per sample, masked and sign-extended per the header. */
function sized(bytes: Uint8Array, meta: DicomMetadata, bytesPer: 1 | 2, colour: ColourState): RawFrame {
  const bitsAllocated = bytesPer * 8;
  const count = meta.rows * meta.columns * meta.samplesPerPixel;
  if (bytes.length < count * bytesPer) {
    throw new FrameProblem(`decoder returned ${bytes.length} bytes, ${count * bytesPer} expected`);
  }
  const layout = layoutOf(meta, bitsAllocated);
  // The header's High Bit describes the native container, not the decoder's output.
  layout.highBit = layout.bitsStored - 1;
  return { samples: toSamples(bytes, layout, count), colour, bitsAllocated };
}

function finish(source: FrameSource, samples: Samples, colour: ColourState, bitsAllocated: number): DecodedFrame {
  const { meta } = source;
  const pixels = meta.rows * meta.columns;
  const bitsStored = Math.min(meta.bitsStored || bitsAllocated, bitsAllocated);
  if (meta.photometric === 'PALETTE COLOR' && source.palette) {
    return { width: meta.columns, height: meta.rows, samplesPerPixel: 3, bitsStored: 8, signed: false, data: applyPalette(samples, source.palette) };
  }
  let data = samples;
  if (meta.samplesPerPixel === 3) {
    if (colour === 'ybr-full-422-native') {
      data = expandYbr422(data, pixels);
      ybrFullToRgb(data, bitsStored);
    } else if (colour === 'ybr-full') {
      ybrFullToRgb(data, bitsStored);
    } else if (colour === 'ybr-partial') {
      ybrPartialToRgb(data);
    }
  }
  return {
    width: meta.columns,
    height: meta.rows,
    samplesPerPixel: meta.samplesPerPixel,
    bitsStored,
    signed: meta.pixelRepresentation === 1 && meta.samplesPerPixel === 1,
    data,
  };
}
