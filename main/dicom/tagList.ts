import { createRequire } from 'node:module';
import { charsetDecoder, type CharsetDecoder } from './charset.js';
import type { DataSet, Element } from './dicomParserModule.js';
import { readDataSet } from './readDataSet.js';
import { asciiString, textString } from './values.js';

/** One row of the tag viewer: a data element (or a sequence item marker), indented by sequence depth. */
export interface TagRow {
  /** `(gggg,eeee)`. */
  tag: string;
  /** Keyword from the DICOM dictionary; `Private` for private tags; '' when unknown. */
  name: string;
  vr: string;
  value: string;
  depth: number;
}

const TEXT_VRS = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC']);
const ASCII_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'TM', 'UI', 'UR']);
const BINARY_NUMBERS: Record<string, { size: number; read: (ds: DataSet, tag: string, i: number) => number | undefined }> = {
  US: { size: 2, read: (ds, t, i) => ds.uint16(t, i) },
  SS: { size: 2, read: (ds, t, i) => ds.int16(t, i) },
  UL: { size: 4, read: (ds, t, i) => ds.uint32(t, i) },
  SL: { size: 4, read: (ds, t, i) => ds.int32(t, i) },
  FL: { size: 4, read: (ds, t, i) => ds.float(t, i) },
  FD: { size: 8, read: (ds, t, i) => ds.double(t, i) },
};
const MAX_VALUE = 256;
const MAX_NUMBERS = 16;

type Entry = { vr: string; name: string };
let dictionary: ((tag: string) => Entry | undefined) | null = null;

/** The DICOM data dictionary (dcmjs's copy of PS3.6), loaded on first use: only the tag viewer needs it. */
function lookup(tag: string): Entry | undefined {
  if (!dictionary) {
    const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { DicomMetaDictionary: { dictionary: Record<string, Entry | undefined> } } };
    const dict = dcmjs.data.DicomMetaDictionary.dictionary;
    dictionary = (t) => dict[t];
  }
  return dictionary(tag);
}

function display(key: string): string {
  return `(${key.slice(1, 5).toUpperCase()},${key.slice(5, 9).toUpperCase()})`;
}

function truncate(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

function valueOf(ds: DataSet, key: string, el: Element, vr: string, charset: CharsetDecoder): string {
  if (key === 'x7fe00010') {
    return el.encapsulatedPixelData ? `<pixel data: ${el.fragments?.length ?? 0} fragment(s)>` : `<pixel data: ${el.length} bytes>`;
  }
  if (TEXT_VRS.has(vr)) return truncate(textString(ds, key, charset));
  if (ASCII_VRS.has(vr)) return truncate(asciiString(ds, key));
  const numeric = BINARY_NUMBERS[vr];
  if (numeric) {
    const count = Math.floor(el.length / numeric.size);
    const values: string[] = [];
    for (let i = 0; i < Math.min(count, MAX_NUMBERS); i++) values.push(String(numeric.read(ds, key, i)));
    return values.join('\\') + (count > MAX_NUMBERS ? `\\… (${count} values)` : '');
  }
  if (vr === 'AT') return `${el.length / 4} tag(s)`;
  return `<${el.length} bytes>`;
}

function rows(ds: DataSet, depth: number, inherited: CharsetDecoder, out: TagRow[]): void {
  const charsetValue = asciiString(ds, 'x00080005');
  const charset = charsetValue ? charsetDecoder(charsetValue) : inherited;
  for (const key of Object.keys(ds.elements).sort()) {
    const el = ds.elements[key]!;
    const tag = display(key);
    const group = Number.parseInt(key.slice(1, 5), 16);
    const known = lookup(tag);
    const vr = el.vr ?? known?.vr ?? (el.items ? 'SQ' : 'UN');
    const name = key.slice(5, 9) === '0000' ? 'GroupLength' : group % 2 === 1 ? 'Private' : (known?.name ?? '');
    if (el.items) {
      out.push({ tag, name, vr: 'SQ', value: `${el.items.length} item(s)`, depth });
      el.items.forEach((item, i) => {
        out.push({ tag: '(FFFE,E000)', name: 'Item', vr: '', value: `#${i + 1}`, depth: depth + 1 });
        if (item.dataSet) rows(item.dataSet, depth + 2, charset, out);
      });
      continue;
    }
    out.push({ tag, name, vr, value: valueOf(ds, key, el, vr, charset), depth });
  }
}

/**
 * Every data element of a DICOM file as rows for the tag viewer, nested sequences indented. Values are shown as
 * text (the file's character set applied), numbers as numbers, binary values by their size; long values are cut.
 * The file meta group (0002) is summarised by the transfer syntax the caller gets alongside.
 */
export function listTags(bytes: Uint8Array, source: string): { transferSyntaxUid: string; rows: TagRow[] } {
  const { dataSet, transferSyntaxUid } = readDataSet(bytes, source);
  const out: TagRow[] = [];
  rows(dataSet, 0, charsetDecoder(''), out);
  return { transferSyntaxUid, rows: out };
}
