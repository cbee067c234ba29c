import type { DataSet } from './dicomParserModule.js';

interface PaletteChannel {
  firstMapped: number;
  data: Uint16Array;
}

/** PALETTE COLOR lookup tables, read once per file. */
export interface Palette {
  red: PaletteChannel;
  green: PaletteChannel;
  blue: PaletteChannel;
  /** Right shift that brings table values to 8 bits. */
  shift: number;
}

function channel(dataSet: DataSet, descriptorTag: string, dataTag: string, signedInput: boolean): PaletteChannel | null {
  const descriptor = dataSet.elements[descriptorTag];
  const data = dataSet.elements[dataTag];
  if (!descriptor || !data || descriptor.length < 6) return null;
  const entries = dataSet.uint16(descriptorTag, 0) || 65536;
  const rawFirst = dataSet.uint16(descriptorTag, 1) ?? 0;
  const firstMapped = signedInput && rawFirst > 0x7fff ? rawFirst - 0x10000 : rawFirst;
  const table = new Uint16Array(entries);
  if (data.length >= entries * 2) {
    for (let i = 0; i < entries; i++) table[i] = dataSet.uint16(dataTag, i) ?? 0;
  } else if (data.length >= entries) {
    const bytes = dataSet.byteArray.subarray(data.dataOffset, data.dataOffset + entries);
    table.set(bytes);
  } else {
    return null;
  }
  return { firstMapped, data: table };
}

/**
 * Reads the red, green and blue tables. Segmented palettes (0028,1221-1223) are reported as unsupported by the
 * caller when this returns null.
 */
export function readPalette(dataSet: DataSet, signedInput: boolean): Palette | null {
  const red = channel(dataSet, 'x00281101', 'x00281201', signedInput);
  const green = channel(dataSet, 'x00281102', 'x00281202', signedInput);
  const blue = channel(dataSet, 'x00281103', 'x00281203', signedInput);
  if (!red || !green || !blue) return null;
  let max = 0;
  for (const t of [red.data, green.data, blue.data]) for (const v of t) if (v > max) max = v;
  // Tables declared 8-bit are sometimes stored in 16-bit words; the largest entry tells the real depth.
  return { red, green, blue, shift: max > 255 ? 8 : 0 };
}

/** Maps palette indices to interleaved 8-bit RGB. */
export function applyPalette(indices: ArrayLike<number>, palette: Palette): Uint8Array {
  const out = new Uint8Array(indices.length * 3);
  const look = (c: PaletteChannel, v: number) => {
    const i = v - c.firstMapped;
    return c.data[i < 0 ? 0 : i >= c.data.length ? c.data.length - 1 : i]! >> palette.shift;
  };
  for (let p = 0; p < indices.length; p++) {
    const v = indices[p]!;
    out[p * 3] = look(palette.red, v);
    out[p * 3 + 1] = look(palette.green, v);
    out[p * 3 + 2] = look(palette.blue, v);
  }
  return out;
}
