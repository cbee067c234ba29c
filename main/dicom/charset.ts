import { TextDecoder } from 'node:util';

/**
 * Decodes DICOM text (PN, LO, SH, LT, ST, UT, UC) by Specific Character Set (0008,0005), with Node's TextDecoder
 * (full ICU). Single-byte and Unicode sets decode directly; ISO 2022 code extensions (multi-valued sets, used by
 * Japanese, Korean and Chinese files) are split at their escape sequences and each run decoded with the set it selects.
 */

const SINGLE: Record<string, string> = {
  '': 'latin1',
  ISO_IR_6: 'latin1',
  ISO_IR_100: 'latin1',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'iso-8859-9',
  ISO_IR_203: 'iso-8859-15',
  ISO_IR_13: 'shift_jis',
  ISO_IR_166: 'windows-874',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** The G1 (high-bit) set each ISO 2022 defined term designates. */
const ISO2022_G1: Record<string, string> = {
  ISO_2022_IR_6: 'latin1',
  ISO_2022_IR_100: 'latin1',
  ISO_2022_IR_101: 'iso-8859-2',
  ISO_2022_IR_109: 'iso-8859-3',
  ISO_2022_IR_110: 'iso-8859-4',
  ISO_2022_IR_144: 'iso-8859-5',
  ISO_2022_IR_127: 'iso-8859-6',
  ISO_2022_IR_126: 'iso-8859-7',
  ISO_2022_IR_138: 'iso-8859-8',
  ISO_2022_IR_148: 'iso-8859-9',
  ISO_2022_IR_203: 'iso-8859-15',
  ISO_2022_IR_13: 'shift_jis',
  ISO_2022_IR_166: 'windows-874',
  ISO_2022_IR_149: 'euc-kr',
  ISO_2022_IR_58: 'gbk',
  ISO_2022_IR_87: 'latin1',
  ISO_2022_IR_159: 'latin1',
};

/** Escape sequences (after ESC) that designate a G1 set, decoded from the high-bit bytes that follow. */
const G1_ESCAPES: Array<[string, string]> = [
  ['-A', 'latin1'],
  ['-B', 'iso-8859-2'],
  ['-C', 'iso-8859-3'],
  ['-D', 'iso-8859-4'],
  ['-L', 'iso-8859-5'],
  ['-G', 'iso-8859-6'],
  ['-F', 'iso-8859-7'],
  ['-H', 'iso-8859-8'],
  ['-M', 'iso-8859-9'],
  ['-b', 'iso-8859-15'],
  ['-T', 'windows-874'],
  [')I', 'shift_jis'], // JIS X 0201 katakana: Shift JIS maps 0xA1-0xDF to the same half-width katakana
  ['$)C', 'euc-kr'],
  ['$)A', 'gbk'],
];

const decoders = new Map<string, TextDecoder>();

function decoder(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = new TextDecoder('latin1');
    }
    decoders.set(label, d);
  }
  return d;
}

function normalise(term: string): string {
  return term.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

/** A decoder for one data set's Specific Character Set value (backslash-separated terms). */
export interface CharsetDecoder {
  decode(bytes: Uint8Array): string;
}

const ESC = 0x1b;

export function charsetDecoder(specificCharacterSet: string): CharsetDecoder {
  const terms = specificCharacterSet.split('\\').map(normalise);
  const first = terms[0] ?? '';
  const usesExtensions = terms.length > 1 || first.startsWith('ISO_2022');
  if (!usesExtensions) {
    const d = decoder(SINGLE[first] ?? 'latin1');
    return { decode: (bytes) => d.decode(bytes) };
  }
  const defaultG1 = ISO2022_G1[first] ?? (first === '' ? 'latin1' : (SINGLE[first] ?? 'latin1'));
  return { decode: (bytes) => decodeIso2022(bytes, defaultG1) };
}

function decodeIso2022(bytes: Uint8Array, defaultG1: string): string {
  if (!bytes.includes(ESC)) return decodeSingleByteRun(bytes, defaultG1);
  let out = '';
  let g1 = defaultG1;
  let g0Multibyte: Uint8Array | null = null; // the escape that selected a JIS multi-byte G0 set, if any
  let i = 0;
  while (i < bytes.length) {
    let next = bytes.indexOf(ESC, i);
    if (next < 0) next = bytes.length;
    const run = bytes.subarray(i, next);
    if (run.length) {
      if (g0Multibyte) {
        const framed = new Uint8Array(g0Multibyte.length + run.length + 3);
        framed.set(g0Multibyte, 0);
        framed.set(run, g0Multibyte.length);
        framed.set([ESC, 0x28, 0x42], g0Multibyte.length + run.length);
        out += decoder('iso-2022-jp').decode(framed);
      } else {
        out += decodeSingleByteRun(run, g1);
      }
    }
    if (next >= bytes.length) break;
    // Read the escape sequence: ESC, intermediate bytes 0x20-0x2F, then one final byte.
    let end = next + 1;
    while (end < bytes.length && bytes[end]! >= 0x20 && bytes[end]! <= 0x2f) end++;
    const escape = bytes.subarray(next, Math.min(end + 1, bytes.length));
    const text = String.fromCharCode(...escape.subarray(1));
    if (text === '(B' || text === '(J') {
      g0Multibyte = null;
    } else if (text === '$B' || text === '$@' || text === '$(D') {
      g0Multibyte = escape;
    } else {
      const designated = G1_ESCAPES.find(([seq]) => seq === text);
      if (designated) g1 = designated[1];
    }
    i = end + 1;
  }
  return out;
}

/** ASCII bytes stay ASCII; bytes with the high bit set are decoded with the current G1 set. */
function decodeSingleByteRun(run: Uint8Array, g1: string): string {
  let hasHigh = false;
  for (const b of run) if (b >= 0x80) { hasHigh = true; break; }
  if (!hasHigh) return decoder('latin1').decode(run);
  return decoder(g1).decode(run);
}
