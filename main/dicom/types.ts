import type { DecodedFrame, DisplayParameters, PixelSpacing } from '../images/types.js';

/** What the importer and the viewer need from a DICOM header. Strings are trimmed ('' when absent); numbers null. */
export interface DicomMetadata {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  patientId: string;
  issuerOfPatientId: string;
  /** Display form "Family, Given Middle" of the first non-empty component group. */
  patientName: string;
  patientSex: 'M' | 'F' | 'O' | null;
  /** YYYY-MM-DD. */
  patientBirthDate: string | null;
  /** From Patient's Age (nnnY/M/W/D), in years. */
  patientAgeYears: number | null;
  /** YYYY-MM-DD. */
  studyDate: string | null;
  /** HH:MM:SS. */
  studyTime: string | null;
  studyDescription: string;
  accessionNumber: string;
  referringPhysician: string;
  institutionName: string;
  modality: string;
  seriesNumber: number | null;
  seriesDescription: string;
  bodyPartExamined: string;
  viewPosition: string;
  instanceNumber: number | null;
  imageLaterality: string;
  rows: number;
  columns: number;
  numberOfFrames: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  photometric: string;
  planarConfiguration: number;
  pixelSpacing: PixelSpacing | null;
  hasPixelData: boolean;
  specificCharacterSet: string;
  /** Header values that were out of range and are treated as absent, in words (the import report lists them). */
  warnings: string[];
}

/** A parsed file: its header now, its pixels on demand. */
export interface ParsedDicom {
  meta: DicomMetadata;
  display: DisplayParameters;
  /** Decodes one frame (0-based, default 0). Rejects with a DicomError naming the file and the problem. */
  decodeFrame(index?: number): Promise<DecodedFrame>;
}
