import { inflateRawSync } from 'node:zlib';
import { DEFAULT_DECODE_LIMITS, LimitExceeded, type DecodeLimits } from '../images/decodeLimits.js';
import dicomParser from './dicomParserModule.js';
import type { DataSet } from './dicomParserModule.js';
import { DicomError, describeThrown } from './errors.js';
import { looksLikeRawDataSet, vrAt } from './sniff.js';
import { DEFLATED_LE, EXPLICIT_BE, EXPLICIT_LE, IMPLICIT_LE, transferSyntaxInfo } from './transferSyntax.js';

/** The data set of a file, with the transfer syntax it was read with. */
export interface ReadDataSet {
  dataSet: DataSet;
  /** From the file meta header, else guessed from the first element ('' never: a guess is always made). */
  transferSyntaxUid: string;
  /** Whether a file meta header (group 0002) was present. */
  hasMeta: boolean;
  /** Media Storage SOP Class UID from the meta header ('' when absent). */
  mediaStorageSopClassUid: string;
}

const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

interface MetaGroup {
  end: number;
  transferSyntaxUid: string;
  mediaStorageSopClassUid: string;
}

function asciiValue(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const c = bytes[offset + i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s.trim();
}

/** Walks the group 0002 elements (always explicit VR little endian, tolerating implicit) from `start`. */
function readMetaGroup(bytes: Uint8Array, start: number, source: string): MetaGroup {
  let pos = start;
  let transferSyntaxUid = '';
  let mediaStorageSopClassUid = '';
  while (pos + 8 <= bytes.length) {
    const group = bytes[pos]! | (bytes[pos + 1]! << 8);
    if (group !== 0x0002) break;
    const element = bytes[pos + 2]! | (bytes[pos + 3]! << 8);
    const vr = vrAt(bytes, pos + 4);
    let length: number;
    let valueStart: number;
    if (vr && LONG_LENGTH_VRS.has(vr)) {
      if (pos + 12 > bytes.length) break;
      length = (bytes[pos + 8]! | (bytes[pos + 9]! << 8) | (bytes[pos + 10]! << 16) | (bytes[pos + 11]! << 24)) >>> 0;
      valueStart = pos + 12;
    } else if (vr) {
      length = bytes[pos + 6]! | (bytes[pos + 7]! << 8);
      valueStart = pos + 8;
    } else {
      length = (bytes[pos + 4]! | (bytes[pos + 5]! << 8) | (bytes[pos + 6]! << 16) | (bytes[pos + 7]! << 24)) >>> 0;
      valueStart = pos + 8;
    }
    if (length === 0xffffffff || valueStart + length > bytes.length) {
      throw new DicomError(source, 'truncated or corrupt file meta header (group 0002)');
    }
    if (element === 0x0010) transferSyntaxUid = asciiValue(bytes, valueStart, length);
    if (element === 0x0002) mediaStorageSopClassUid = asciiValue(bytes, valueStart, length);
    pos = valueStart + length;
  }
  return { end: pos, transferSyntaxUid, mediaStorageSopClassUid };
}

/** Guesses the encoding of a data set without meta information from its first element. */
export function guessTransferSyntax(bytes: Uint8Array, start: number): string {
  if (start + 6 > bytes.length) return IMPLICIT_LE;
  const groupLe = bytes[start]! | (bytes[start + 1]! << 8);
  const groupBe = (bytes[start]! << 8) | bytes[start + 1]!;
  const hasVr = vrAt(bytes, start + 4) !== null;
  if (hasVr && groupLe > 0x00ff && groupBe <= 0x00ff) return EXPLICIT_BE;
  return hasVr ? EXPLICIT_LE : IMPLICIT_LE;
}

function isPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * Parses the data set of a Part 10 file, a file whose meta group has no preamble, or a bare data set (implicit or
 * explicit, little or big endian). dicom-parser reads the data set from a zero-copy view that starts after the meta
 * group, with the transfer syntax decided here: that covers missing or mislabelled meta information uniformly.
 */
export function readDataSet(bytes: Uint8Array, source: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): ReadDataSet {
  let start = 0;
  let hasMeta = false;
  let transferSyntaxUid = '';
  let mediaStorageSopClassUid = '';
  if (isPart10(bytes)) {
    const meta = readMetaGroup(bytes, 132, source);
    ({ transferSyntaxUid, mediaStorageSopClassUid } = meta);
    start = meta.end;
    hasMeta = true;
  } else if (looksLikeRawDataSet(bytes)) {
    if (bytes[0] === 0x02 && bytes[1] === 0x00) {
      const meta = readMetaGroup(bytes, 0, source);
      ({ transferSyntaxUid, mediaStorageSopClassUid } = meta);
      start = meta.end;
      hasMeta = true;
    }
  } else {
    throw new DicomError(source, 'not a DICOM file (no "DICM" marker at byte 128 and no recognisable data set at the start)');
  }
  if (start >= bytes.length) throw new DicomError(source, 'file meta header only: the data set is empty or missing');

  const declared = transferSyntaxInfo(transferSyntaxUid);
  let parseAs = transferSyntaxUid;
  if (!transferSyntaxUid) {
    parseAs = transferSyntaxUid = guessTransferSyntax(bytes, start);
  } else if (!declared) {
    // Unknown (private or video) syntaxes: every standard syntax except implicit LE and big endian is explicit LE.
    parseAs = EXPLICIT_LE;
  } else if (!declared.deflated) {
    // Some writers label implicit data as explicit or the reverse; trust the bytes for the VR question.
    const guessed = guessTransferSyntax(bytes, start);
    if (declared.littleEndian && (guessed === IMPLICIT_LE) !== !declared.explicitVr) {
      parseAs = guessed === IMPLICIT_LE ? IMPLICIT_LE : EXPLICIT_LE;
    }
  }
  if (parseAs !== IMPLICIT_LE && parseAs !== EXPLICIT_BE && parseAs !== DEFLATED_LE) parseAs = EXPLICIT_LE;

  const body = bytes.subarray(start);
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(body, {
      TransferSyntaxUID: parseAs,
      inflater: (deflated: Uint8Array, position: number) => inflate(deflated, position ?? 0, source, limits),
    } as Parameters<typeof dicomParser.parseDicom>[1]);
  } catch (thrown) {
    if (thrown instanceof DicomError) throw thrown;
    const problem = describeThrown(thrown);
    const truncated = /overrun|overread|eof|end of buffer|beyond|past the end|outside the bounds|out of range|maxP ?osition/i.test(problem);
    const words = truncated
      ? `truncated or corrupt data set: an element's length runs past the end of the file (${problem})`
      : `cannot parse data set: its structure is damaged (${problem})`;
    throw new DicomError(source, words, { cause: thrown });
  }
  return { dataSet, transferSyntaxUid, hasMeta, mediaStorageSopClassUid };
}

/**
 * Inflates a deflated data set, stopping at the decoded-bytes limit: a few hundred kilobytes can declare a 65535²
 * bitmap and inflate to half a gigabyte, so the output is capped instead of trusted.
 */
function inflate(bytes: Uint8Array, position: number, source: string, limits: DecodeLimits): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes.subarray(position), { maxOutputLength: Math.max(1, limits.maxDecodedBytes - position) });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      const limit = new LimitExceeded('maxDecodedBytes', limits.maxDecodedBytes, 'the deflated data set expands further than allowed');
      throw new DicomError(source, limit.message, { cause: limit });
    }
    throw new DicomError(source, `the deflated data set is damaged and cannot be inflated (zlib: ${describeThrown(thrown)})`, { cause: thrown });
  }
  if (position === 0) return inflated;
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}
