/**
 * Whether a byte buffer looks like DICOM: "DICM" at offset 128 (Part 10), or a data set that starts without preamble
 * (ACR-NEMA style files, or a meta group written without preamble) with a plausible first element of group 0002 or
 * 0008 in little or big endian.
 */
export function sniffDicom(bytes: Uint8Array): boolean {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) {
    return true;
  }
  return looksLikeRawDataSet(bytes);
}

const VR_CODES = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/** Reads the two letters at `offset` as a VR, or null. */
export function vrAt(bytes: Uint8Array, offset: number): string | null {
  if (offset + 2 > bytes.length) return null;
  const vr = String.fromCharCode(bytes[offset]!, bytes[offset + 1]!);
  return VR_CODES.has(vr) ? vr : null;
}

/** A data set without preamble: the first tag is in group 0002 or 0008 with a small element number. */
export function looksLikeRawDataSet(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const groupLe = bytes[0]! | (bytes[1]! << 8);
  const elementLe = bytes[2]! | (bytes[3]! << 8);
  const groupBe = (bytes[0]! << 8) | bytes[1]!;
  const elementBe = (bytes[2]! << 8) | bytes[3]!;
  const plausible = (group: number, element: number) => (group === 0x0002 || group === 0x0008) && element <= 0x0100;
  if (plausible(groupLe, elementLe)) {
    // Explicit VR, or implicit VR with a length that fits the buffer.
    if (vrAt(bytes, 4)) return true;
    const length = bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24);
    return length >= 0 && length <= bytes.length;
  }
  return plausible(groupBe, elementBe) && vrAt(bytes, 4) !== null;
}
