import type { DataSet, Element } from './dicomParserModule.js';
import type { CharsetDecoder } from './charset.js';

/** Raw value bytes of an element (a view, no copy). */
export function elementBytes(dataSet: DataSet, element: Element): Uint8Array {
  const bytes = dataSet.byteArray;
  const end = Math.min(element.dataOffset + element.length, bytes.length);
  return bytes.subarray(element.dataOffset, end);
}

/** Strips trailing padding (space, NUL) and leading spaces. */
function clean(s: string): string {
  return s.replace(/[\0\s]+$/u, '').replace(/^\s+/u, '');
}

/** An ASCII value (UI, CS, DA, TM, IS, DS, AS). */
export function asciiString(dataSet: DataSet, tag: string): string {
  const element = dataSet.elements[tag];
  if (!element || element.length === 0) return '';
  return clean(dataSet.string(tag) ?? '');
}

/** A text value decoded with the data set's character set; multi-valued strings keep their backslashes. */
export function textString(dataSet: DataSet, tag: string, charset: CharsetDecoder): string {
  const element = dataSet.elements[tag];
  if (!element || element.length === 0) return '';
  return clean(charset.decode(elementBytes(dataSet, element)));
}

/** Decimal string values (DS), all of them. */
export function decimals(dataSet: DataSet, tag: string): number[] {
  const s = asciiString(dataSet, tag);
  if (!s) return [];
  return s
    .split('\\')
    .map((v) => Number.parseFloat(v.trim()))
    .filter((v) => Number.isFinite(v));
}

export function decimal(dataSet: DataSet, tag: string): number | null {
  return decimals(dataSet, tag)[0] ?? null;
}

/** The range of an Integer String (PS3.5 6.2): a signed 32-bit integer. */
const IS_MIN = -(2 ** 31);
const IS_MAX = 2 ** 31 - 1;

/**
 * Integer string (IS). A value outside the IS range (writers have put 20-digit numbers there) is treated as absent,
 * and `warn` is told, so one careless header cannot fail the file or store a number no column can hold.
 */
export function integer(dataSet: DataSet, tag: string, warn?: (raw: string) => void): number | null {
  const s = asciiString(dataSet, tag).split('\\')[0]?.trim() ?? '';
  if (!s) return null;
  const n = Number.parseInt(s, 10);
  if (!Number.isFinite(n)) return null;
  if (!Number.isSafeInteger(n) || n < IS_MIN || n > IS_MAX) {
    warn?.(s);
    return null;
  }
  return n;
}

/** An unsigned short (US); null when absent or empty. */
export function ushort(dataSet: DataSet, tag: string, index = 0): number | null {
  const element = dataSet.elements[tag];
  if (!element || element.length < 2 * (index + 1)) return null;
  return dataSet.uint16(tag, index) ?? null;
}

/** DA (YYYYMMDD, or the ACR-NEMA YYYY.MM.DD) as YYYY-MM-DD; null when absent or not a date. */
export function dicomDate(value: string): string | null {
  const digits = value.replace(/[.\-/]/g, '').trim().slice(0, 8);
  if (!/^\d{8}$/.test(digits)) return null;
  const y = Number(digits.slice(0, 4));
  const m = Number(digits.slice(4, 6));
  const d = Number(digits.slice(6, 8));
  if (y < 1800 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

/** TM (HHMMSS.frac, HHMM, HH, or the ACR-NEMA HH:MM:SS) as HH:MM:SS. */
export function dicomTime(value: string): string | null {
  const digits = value.replace(/:/g, '').trim().split('.')[0] ?? '';
  if (!/^\d{2,6}$/.test(digits) || digits.length % 2 !== 0) return null;
  const hh = digits.slice(0, 2);
  const mm = digits.slice(2, 4) || '00';
  const ss = digits.slice(4, 6) || '00';
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return null;
  return `${hh}:${mm}:${ss}`;
}

/** AS (nnnY, nnnM, nnnW, nnnD; a bare number is taken as years) in years, two decimals. */
export function ageInYears(value: string): number | null {
  const match = /^(\d{1,3})\s*([YMWD])?$/i.exec(value.trim());
  if (!match) return null;
  const n = Number(match[1]);
  const unit = (match[2] ?? 'Y').toUpperCase();
  const years = unit === 'Y' ? n : unit === 'M' ? n / 12 : unit === 'W' ? (n * 7) / 365.25 : n / 365.25;
  return Math.round(years * 100) / 100;
}

/**
 * PN in display form: "Family, Given Middle", from the first non-empty component group (alphabetic, then
 * ideographic, then phonetic). Prefix and suffix are kept around it when present.
 */
export function personNameDisplay(raw: string): string {
  const groups = raw.split('\\')[0]!.split('=');
  const group = groups.find((g) => g.replace(/\^/g, '').trim() !== '') ?? '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = group.split('^').map((p) => p.trim());
  const first = [given, middle].filter(Boolean).join(' ');
  let name = family && first ? `${family}, ${first}` : family || first;
  if (prefix) name = `${prefix} ${name}`;
  if (suffix) name = `${name} ${suffix}`;
  return name.trim();
}
