/**
 * Plain records the importer hands to the index. The database layer owns how they are stored; these shapes are the
 * seam between main/importer and main/db.
 */

export interface PatientRecord {
  /** DICOM PatientID (0010,0020), or one derived from a file name / sidecar row for PNG/JPEG. */
  patientId: string;
  /** Issuer of Patient ID when present; together with patientId it identifies the patient. */
  issuer: string;
  /** Display form, "Family, Given" (DICOM "^" separators turned into readable text). */
  name: string;
  sex: 'M' | 'F' | 'O' | null;
  birthDate: string | null; // YYYY-MM-DD
}

export interface StudyRecord {
  studyInstanceUid: string;
  date: string | null; // YYYY-MM-DD
  time: string | null; // HH:MM:SS
  description: string;
  accessionNumber: string;
  referringPhysician: string;
  institution: string;
  /** Patient age in years at the study (PatientAge tag, or birth date vs study date). */
  ageYears: number | null;
}

export interface SeriesRecord {
  seriesInstanceUid: string;
  modality: string;
  seriesNumber: number | null;
  description: string;
  bodyPart: string;
}

export interface InstanceRecord {
  sopInstanceUid: string;
  sopClassUid: string;
  instanceNumber: number | null;
  format: 'dicom' | 'png' | 'jpeg';
  transferSyntaxUid: string | null;
  rows: number;
  columns: number;
  frames: number;
  bitsStored: number;
  photometric: string;
  viewPosition: string;
  bodyPart: string;
  pixelSpacing: { rowMm: number; colMm: number; source: 'PixelSpacing' | 'ImagerPixelSpacing' | 'NominalScannedPixelSpacing' } | null;
  windowCenter: number | null;
  windowWidth: number | null;
  /** Absolute path of the source file (for a file inside a .zip: `/path/archive.zip!/inner/path.dcm`). */
  filePath: string;
  fileSize: number;
  fileMtimeMs: number;
  /** sha256 of the file's bytes, hex. */
  contentHash: string;
  /** Path of the thumbnail PNG, relative to the data directory. */
  thumbnailPath: string;
}

export interface ReferenceFindingRecord {
  label: string;
  source: string;
  box: { x: number; y: number; w: number; h: number } | null;
}

/** Everything one imported image contributes to the index. */
export interface ImageRecord {
  patient: PatientRecord;
  study: StudyRecord;
  series: SeriesRecord;
  instance: InstanceRecord;
  referenceFindings: ReferenceFindingRecord[];
}

export type UpsertOutcome =
  | { outcome: 'imported'; instanceId: number; studyId: number }
  | { outcome: 'updated'; instanceId: number; studyId: number }
  | { outcome: 'skipped'; instanceId: number; studyId: number; reason: string };

/** The `reason` of a 'skipped' outcome for a file indexed before with the same content. */
export const UNCHANGED_REASON = 'unchanged';
