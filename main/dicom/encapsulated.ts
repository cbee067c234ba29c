import dicomParser, { type DataSet, type Element, type Fragment } from './dicomParserModule.js';

/**
 * The compressed bytes of one frame of encapsulated pixel data. Uses, in order: the Extended Offset Table, the Basic
 * Offset Table, one fragment per frame, a single frame made of all fragments, and otherwise frame boundaries found
 * from JPEG/J2K end-of-image markers (dicom-parser's createJPEGBasicOffsetTable).
 */
export function encapsulatedFrame(dataSet: DataSet, element: Element, frameIndex: number, frameCount: number): Uint8Array {
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new Error('encapsulated pixel data has no fragments');

  const extended = extendedOffsetTable(dataSet);
  if (extended && frameIndex < extended.offsets.length) {
    const offset = extended.offsets[frameIndex]!;
    const fragmentIndex = fragments.findIndex((f) => f.offset === offset);
    if (fragmentIndex >= 0) {
      const next = extended.offsets[frameIndex + 1];
      const end = next === undefined ? fragments.length : fragments.findIndex((f) => f.offset === next);
      return gather(dataSet, element, fragments, fragmentIndex, (end < 0 ? fragments.length : end) - fragmentIndex);
    }
  }
  if (frameCount === 1) {
    return gather(dataSet, element, fragments, 0, fragments.length);
  }
  const bot = element.basicOffsetTable ?? [];
  if (bot.length === frameCount) {
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex) as Uint8Array;
  }
  if (fragments.length === frameCount) {
    return gather(dataSet, element, fragments, frameIndex, 1);
  }
  const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element, fragments);
  return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex, table, fragments) as Uint8Array;
}

/** Joins consecutive fragments; a single fragment is returned as a view, without copying. */
function gather(dataSet: DataSet, element: Element, fragments: Fragment[], first: number, count: number): Uint8Array {
  const bytes = dataSet.byteArray as Uint8Array;
  if (count === 1) {
    const f = fragments[first]!;
    return bytes.subarray(f.position, f.position + f.length);
  }
  return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, first, count, fragments) as Uint8Array;
}

/** Extended Offset Table (7FE0,0001) as byte offsets relative to the first fragment, when present. */
function extendedOffsetTable(dataSet: DataSet): { offsets: number[] } | null {
  const element = dataSet.elements['x7fe00001'];
  if (!element || element.length < 8) return null;
  const bytes = dataSet.byteArray as Uint8Array;
  const view = new DataView(bytes.buffer, bytes.byteOffset + element.dataOffset, element.length);
  const offsets: number[] = [];
  for (let i = 0; i + 8 <= element.length; i += 8) offsets.push(Number(view.getBigUint64(i, true)));
  return { offsets };
}
