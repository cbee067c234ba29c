import type { DisplayParameters, ModalityLutTable, PixelSpacing, VoiLutTable } from '../images/types.js';
import type { DataSet } from './dicomParserModule.js';
import { charsetDecoder, type CharsetDecoder } from './charset.js';
import type { DicomMetadata } from './types.js';
import {
  ageInYears,
  asciiString,
  decimal,
  decimals,
  dicomDate,
  dicomTime,
  elementBytes,
  integer,
  personNameDisplay,
  textString,
  ushort,
} from './values.js';

const PIXEL_DATA_TAGS = ['x7fe00010', 'x7fe00008', 'x7fe00009'];

/** Builds the metadata record; `transferSyntaxUid` and the meta header's SOP class come from readDataSet. */
export function extractMetadata(dataSet: DataSet, transferSyntaxUid: string, metaSopClassUid: string): DicomMetadata {
  const specificCharacterSet = asciiString(dataSet, 'x00080005');
  const charset = charsetDecoder(specificCharacterSet);
  const text = (tag: string) => textString(dataSet, tag, charset);
  const sex = asciiString(dataSet, 'x00100040').toUpperCase();
  const bitsAllocated = ushort(dataSet, 'x00280100') ?? 0;
  const bitsStored = ushort(dataSet, 'x00280101') ?? bitsAllocated;
  const photometric = asciiString(dataSet, 'x00280004').toUpperCase();
  const samplesPerPixel = ushort(dataSet, 'x00280002') ?? (photometric && !photometric.startsWith('MONOCHROME') && photometric !== 'PALETTE COLOR' ? 3 : 1);
  const warnings: string[] = [];
  // Out-of-range numbers are stored as absent; the import report lists the warning with the file.
  const counted = (tag: string, name: string) =>
    integer(dataSet, tag, (raw) => warnings.push(`${name} ${raw} is out of range (an Integer String holds −2147483648 to 2147483647): stored as absent`));
  const frames = counted('x00280008', 'Number of Frames (0028,0008)');
  return {
    transferSyntaxUid,
    sopClassUid: asciiString(dataSet, 'x00080016') || metaSopClassUid,
    sopInstanceUid: asciiString(dataSet, 'x00080018'),
    studyInstanceUid: asciiString(dataSet, 'x0020000d'),
    seriesInstanceUid: asciiString(dataSet, 'x0020000e'),
    patientId: text('x00100020'),
    issuerOfPatientId: text('x00100021'),
    patientName: personNameDisplay(text('x00100010')),
    patientSex: sex === 'M' || sex === 'F' || sex === 'O' ? sex : null,
    patientBirthDate: dicomDate(asciiString(dataSet, 'x00100030')),
    patientAgeYears: ageInYears(asciiString(dataSet, 'x00101010')),
    studyDate: dicomDate(asciiString(dataSet, 'x00080020')),
    studyTime: dicomTime(asciiString(dataSet, 'x00080030')),
    studyDescription: text('x00081030'),
    accessionNumber: text('x00080050'),
    referringPhysician: personNameDisplay(text('x00080090')),
    institutionName: text('x00080080'),
    modality: asciiString(dataSet, 'x00080060'),
    seriesNumber: counted('x00200011', 'Series Number (0020,0011)'),
    seriesDescription: text('x0008103e'),
    bodyPartExamined: asciiString(dataSet, 'x00180015'),
    viewPosition: asciiString(dataSet, 'x00185101'),
    instanceNumber: counted('x00200013', 'Instance Number (0020,0013)'),
    imageLaterality: asciiString(dataSet, 'x00200062') || asciiString(dataSet, 'x00200060'),
    rows: ushort(dataSet, 'x00280010') ?? 0,
    columns: ushort(dataSet, 'x00280011') ?? 0,
    numberOfFrames: frames && frames > 0 ? frames : 1,
    bitsAllocated,
    bitsStored,
    highBit: ushort(dataSet, 'x00280102') ?? Math.max(bitsStored - 1, 0),
    pixelRepresentation: ushort(dataSet, 'x00280103') === 1 ? 1 : 0,
    samplesPerPixel,
    photometric,
    planarConfiguration: ushort(dataSet, 'x00280006') ?? 0,
    pixelSpacing: pixelSpacing(dataSet),
    hasPixelData: PIXEL_DATA_TAGS.some((tag) => {
      const element = dataSet.elements[tag];
      return element !== undefined && (element.length > 0 || element.encapsulatedPixelData === true);
    }),
    specificCharacterSet,
    warnings,
  };
}

function spacingPair(dataSet: DataSet, tag: string): [number, number] | null {
  const values = decimals(dataSet, tag);
  const [row, col = row] = values;
  if (row === undefined || col === undefined || !(row > 0) || !(col > 0)) return null;
  return [row, col];
}

/**
 * Pixel Spacing (patient plane) when given; else Imager Pixel Spacing (detector plane), divided by the Estimated
 * Radiographic Magnification Factor when present so the value approximates the patient plane as Pixel Spacing would
 * (PS3.3 C.8.11.7); else Nominal Scanned Pixel Spacing (digitised film).
 */
function pixelSpacing(dataSet: DataSet): PixelSpacing | null {
  const direct = spacingPair(dataSet, 'x00280030');
  if (direct) return { rowMm: direct[0], colMm: direct[1], source: 'PixelSpacing' };
  const imager = spacingPair(dataSet, 'x00181164');
  if (imager) {
    const magnification = decimal(dataSet, 'x00181114');
    const factor = magnification && magnification > 0 ? magnification : 1;
    return { rowMm: imager[0] / factor, colMm: imager[1] / factor, source: 'ImagerPixelSpacing' };
  }
  const scanned = spacingPair(dataSet, 'x00182010');
  if (scanned) return { rowMm: scanned[0], colMm: scanned[1], source: 'NominalScannedPixelSpacing' };
  return null;
}

/** First item of a sequence, or undefined. */
function firstItem(dataSet: DataSet, tag: string): DataSet | undefined {
  return dataSet.elements[tag]?.items?.[0]?.dataSet;
}

/**
 * Reads a LUT (descriptor + data). The descriptor's first mapped value is signed when the pixel data is; 0 entries
 * means 65536. 8-bit tables may be stored one entry per byte even in OW, so the data length decides.
 */
function readLut(item: DataSet, signedInput: boolean): ModalityLutTable | null {
  const descriptor = item.elements['x00283002'];
  const data = item.elements['x00283006'];
  if (!descriptor || !data || descriptor.length < 6) return null;
  const entries = item.uint16('x00283002', 0) || 65536;
  const firstRaw = item.uint16('x00283002', 1) ?? 0;
  const firstMapped = signedInput && firstRaw > 0x7fff ? firstRaw - 0x10000 : firstRaw;
  let bits = item.uint16('x00283002', 2) ?? 16;
  const table = new Uint16Array(entries);
  if (data.length >= entries * 2) {
    for (let i = 0; i < entries; i++) table[i] = item.uint16('x00283006', i) ?? 0;
  } else if (data.length >= entries) {
    const bytes = elementBytes(item, data);
    for (let i = 0; i < entries; i++) table[i] = bytes[i]!;
    bits = Math.min(bits, 8);
  } else {
    return null;
  }
  // Some writers declare 16 bits for 8-bit tables or the reverse; the largest entry settles the real depth.
  let max = 0;
  for (const v of table) if (v > max) max = v;
  if (max >= 1 << bits) bits = 16;
  if (bits < 1 || bits > 16) bits = 16;
  return { firstMapped, bits, data: table };
}

function voiFunction(value: string): DisplayParameters['voiFunction'] {
  const v = value.toUpperCase();
  return v === 'LINEAR_EXACT' || v === 'SIGMOID' ? v : 'LINEAR';
}

/** Window centre/width pairs of a data set (top level, or a Frame VOI LUT functional group item). */
function windows(dataSet: DataSet, charset: CharsetDecoder): DisplayParameters['windows'] {
  const centers = decimals(dataSet, 'x00281050');
  const widths = decimals(dataSet, 'x00281051');
  const explanations = textString(dataSet, 'x00281055', charset).split('\\');
  const out: DisplayParameters['windows'] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    const width = widths[i]!;
    if (!(width > 0)) continue;
    const window: DisplayParameters['windows'][number] = { center: centers[i]!, width };
    const explanation = explanations[i]?.trim();
    if (explanation) window.explanation = explanation;
    out.push(window);
  }
  return out;
}

/**
 * The display pipeline parameters: Modality LUT Sequence or Rescale Slope/Intercept, windows, VOI LUT Sequence and
 * VOI LUT Function. Enhanced multi-frame objects keep these in the Shared Functional Groups, used when the top level
 * has none.
 */
export function extractDisplay(dataSet: DataSet, meta: DicomMetadata): DisplayParameters {
  const charset = charsetDecoder(meta.specificCharacterSet);
  const signed = meta.pixelRepresentation === 1;
  const shared = firstItem(dataSet, 'x52009229');
  const voiSource = dataSet.elements['x00281050'] ? dataSet : (shared && firstItem(shared, 'x00289132')) ?? dataSet;
  const rescaleSource = dataSet.elements['x00281053'] ? dataSet : (shared && firstItem(shared, 'x00289145')) ?? dataSet;

  const modalityItem = firstItem(dataSet, 'x00283000');
  const modalityLut = modalityItem ? readLut(modalityItem, signed) : null;
  const voiLuts: VoiLutTable[] = [];
  for (const item of dataSet.elements['x00283010']?.items ?? []) {
    // A VOI LUT indexes modality values, which are signed only if the stored values are and no modality LUT applies.
    const lut = item.dataSet ? readLut(item.dataSet, signed && !modalityLut) : null;
    if (lut) voiLuts.push(lut);
  }
  const slope = decimal(rescaleSource, 'x00281053');
  return {
    photometric: meta.photometric,
    rescaleSlope: slope !== null && slope !== 0 ? slope : 1,
    rescaleIntercept: decimal(rescaleSource, 'x00281052') ?? 0,
    modalityLut,
    windows: windows(voiSource, charset),
    voiLuts,
    voiFunction: voiFunction(asciiString(voiSource, 'x00281056')),
  };
}

