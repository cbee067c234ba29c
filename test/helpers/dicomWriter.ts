import { deflateRawSync } from 'node:zlib';

/**
 * Writes small Part 10 DICOM files for tests and the hostile-import corpus: a file meta group and an explicit VR
 * little endian data set (raw-deflated for the Deflated transfer syntax). Values are written as given, so a test can
 * store what a careless or hostile writer would (a 20-digit Integer String, a size the pixel data does not have).
 * dcmjs would clamp such values, which is why this writer exists.
 */
export interface DicomElement {
  /** `gggg,eeee` in hex, e.g. `0028,0010`. */
  tag: string;
  vr: string;
  /** Strings are padded to even length (space, or NUL for UI); numbers are written as US. */
  value: string | number | Uint8Array;
}

export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99';
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function encodeValue(e: DicomElement): Buffer {
  if (typeof e.value === 'number') {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(e.value);
    return b;
  }
  if (typeof e.value !== 'string') return Buffer.from(e.value.buffer, e.value.byteOffset, e.value.byteLength);
  const text = Buffer.from(e.value, 'latin1');
  return text.length % 2 ? Buffer.concat([text, Buffer.from(e.vr === 'UI' ? '\0' : ' ', 'latin1')]) : text;
}

function encodeElement(e: DicomElement): Buffer {
  const [group, element] = e.tag.split(',').map((h) => Number.parseInt(h, 16)) as [number, number];
  let value = encodeValue(e);
  if (value.length % 2) value = Buffer.concat([value, Buffer.alloc(1)]);
  const long = LONG_VRS.has(e.vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(element, 2);
  head.write(e.vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

function sortByTag(elements: DicomElement[]): DicomElement[] {
  const key = (e: DicomElement) => Number.parseInt(e.tag.replace(',', ''), 16);
  return [...elements].sort((a, b) => key(a) - key(b));
}

/** Preamble, "DICM" and the file meta group for a data set of these elements in `transferSyntax`. */
export function filePreambleAndMeta(elements: DicomElement[], transferSyntax = EXPLICIT_LE): Buffer {
  const sopClass = elements.find((e) => e.tag === '0008,0016')?.value ?? '1.2.840.10008.5.1.4.1.1.7';
  const sopInstance = elements.find((e) => e.tag === '0008,0018')?.value ?? '1.2.3.4.5.6.7.8.9';
  const metaBody = Buffer.concat([
    encodeElement({ tag: '0002,0001', vr: 'OB', value: new Uint8Array([0, 1]) }),
    encodeElement({ tag: '0002,0002', vr: 'UI', value: String(sopClass) }),
    encodeElement({ tag: '0002,0003', vr: 'UI', value: String(sopInstance) }),
    encodeElement({ tag: '0002,0010', vr: 'UI', value: transferSyntax }),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), encodeElement({ tag: '0002,0000', vr: 'UL', value: groupLength }), metaBody]);
}

/** The data set of these elements, explicit VR little endian, in tag order. */
export function encodeDataSet(elements: DicomElement[]): Buffer {
  return Buffer.concat(sortByTag(elements).map(encodeElement));
}

/** A Part 10 file: preamble, DICM, meta group, then the data set in `transferSyntax` (explicit LE or deflated). */
export function writeDicom(elements: DicomElement[], transferSyntax = EXPLICIT_LE): Buffer {
  let body = encodeDataSet(elements);
  if (transferSyntax === DEFLATED_LE) body = deflateRawSync(body, { level: 9 });
  return Buffer.concat([filePreambleAndMeta(elements, transferSyntax), body]);
}

/** The elements of a small greyscale image (MONOCHROME2, 8 or 16 bits) with the given pixel bytes. */
export function imageElements(options: {
  rows: number;
  columns: number;
  bitsAllocated?: number;
  pixels: Uint8Array;
  extra?: DicomElement[];
  uidSuffix?: string;
}): DicomElement[] {
  const bits = options.bitsAllocated ?? 8;
  const suffix = options.uidSuffix ?? '1';
  const base: DicomElement[] = [
    { tag: '0008,0016', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.1.1' },
    { tag: '0008,0018', vr: 'UI', value: `1.2.826.0.1.3680043.10.1234.3.${suffix}` },
    { tag: '0008,0060', vr: 'CS', value: 'DX' },
    { tag: '0010,0010', vr: 'PN', value: 'Test^Hostile' },
    { tag: '0010,0020', vr: 'LO', value: `HOSTILE-${suffix}` },
    { tag: '0020,000d', vr: 'UI', value: `1.2.826.0.1.3680043.10.1234.1.${suffix}` },
    { tag: '0020,000e', vr: 'UI', value: `1.2.826.0.1.3680043.10.1234.2.${suffix}` },
    { tag: '0028,0002', vr: 'US', value: 1 },
    { tag: '0028,0004', vr: 'CS', value: 'MONOCHROME2' },
    { tag: '0028,0010', vr: 'US', value: options.rows },
    { tag: '0028,0011', vr: 'US', value: options.columns },
    { tag: '0028,0100', vr: 'US', value: bits },
    { tag: '0028,0101', vr: 'US', value: bits },
    { tag: '0028,0102', vr: 'US', value: bits - 1 },
    { tag: '0028,0103', vr: 'US', value: 0 },
    { tag: '7fe0,0010', vr: bits > 8 ? 'OW' : 'OB', value: options.pixels },
  ];
  const extra = options.extra ?? [];
  return [...base.filter((e) => !extra.some((x) => x.tag === e.tag)), ...extra];
}

/** A gradient so a decoded test image is not blank. */
export function gradientPixels(rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns);
  for (let y = 0; y < rows; y++) for (let x = 0; x < columns; x++) out[y * columns + x] = (x + y) & 0xff;
  return out;
}

/** A DICOM whose InstanceNumber, SeriesNumber and NumberOfFrames do not fit any integer column. */
export function outOfRangeNumbersDicom(suffix: string): Buffer {
  const huge = '99999999999999999999';
  return writeDicom(
    imageElements({
      rows: 64,
      columns: 64,
      pixels: gradientPixels(64, 64),
      uidSuffix: suffix,
      extra: [
        { tag: '0020,0011', vr: 'IS', value: huge },
        { tag: '0020,0013', vr: 'IS', value: huge },
        { tag: '0028,0008', vr: 'IS', value: huge },
      ],
    }),
  );
}

/** A DICOMDIR whose records reference `ids` (Referenced File ID values, backslash-separated parts). */
export function dicomdirReferencing(ids: string[]): Buffer {
  const items = ids.map((id) => {
    const record = writeDicom([
      { tag: '0004,1430', vr: 'CS', value: 'IMAGE' },
      { tag: '0004,1500', vr: 'CS', value: id },
    ]);
    // The data set of a one-record "file" written above is the record's item content.
    const start = 132 + 12 + record.readUInt32LE(132 + 8);
    const content = record.subarray(start);
    const head = Buffer.alloc(8);
    head.writeUInt16LE(0xfffe, 0);
    head.writeUInt16LE(0xe000, 2);
    head.writeUInt32LE(content.length, 4);
    return Buffer.concat([head, content]);
  });
  return writeDicom([
    { tag: '0008,0016', vr: 'UI', value: '1.2.840.10008.1.3.10' },
    { tag: '0008,0018', vr: 'UI', value: '1.2.826.0.1.3680043.10.1234.9.1' },
    { tag: '0004,1220', vr: 'SQ', value: Buffer.concat(items) },
  ]);
}
