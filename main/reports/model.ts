import type { Addendum, ReportAiUse, ReportLanguage, ReportSection, ReportState } from '../api/reports.js';
import type { BurnedIn } from './reportSources.js';

/**
 * The plain report model every exporter reads (text, PDF, DOCX, FHIR, DICOM SR). It is self-contained: built from a
 * stored report plus the images chosen for it, so exporters need neither the database nor the index, and
 * de-identification is one pure function from model to model (deidentify.ts).
 */
export interface ReportPatient {
  name: string;
  id: string;
  sex: 'M' | 'F' | 'O' | null;
  /** YYYY-MM-DD or null. */
  birthDate: string | null;
  ageYears: number | null;
}

export interface ReportStudy {
  studyInstanceUid: string;
  /** YYYY-MM-DD or null. */
  date: string | null;
  /** HH:MM:SS or null. */
  time: string | null;
  description: string;
  accessionNumber: string;
  institution: string;
  referringPhysician: string;
  indication: string;
}

/** An image the report refers to (the key image), with optional thumbnails for PDF/DOCX. */
export interface ReportImage {
  instanceId: number | null;
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  modality: string;
  viewPosition: string;
  /**
   * `dicom` when the image is a DICOM object a DICOM SR may reference; a PNG/JPEG file has no DICOM identity (its UIDs
   * are the index's own), so exports name it as a file instead.
   */
  format: 'dicom' | 'png' | 'jpeg';
  /** The file's base name (for non-DICOM images). */
  fileName: string;
  /** Burned In Annotation (0028,0301) of the file; null when unknown. De-identified exports keep only NO. */
  burnedIn: BurnedIn;
  /** PNG bytes of the key image thumbnail and of the AI heatmap overlay, when chosen and available. */
  png: Uint8Array | null;
  heatmapPng: Uint8Array | null;
  /** e.g. the finding the heatmap belongs to. */
  heatmapLabel: string | null;
}

/** Kinds of identifier removed from free text by de-identification, counted per kind. */
export type ScrubKind = 'name' | 'identifier' | 'date' | 'phone' | 'address' | 'email' | 'institution' | 'uid';

/** What de-identification did, so every export can say exactly what was and was not cleaned. */
export interface DeidentificationReport {
  /** Free-text replacements per kind (0 when none was found). */
  freeText: Record<ScrubKind, number>;
  /** Key images left out because their pixels may carry burned-in identity, and those kept (burned-in NO). */
  imagesOmitted: number;
  imagesKept: number;
  /** Days every date was shifted back by (not printed: it would undo the shift). */
  shiftDays: number;
}

export interface ReportDocument {
  id: number;
  title: string;
  language: ReportLanguage;
  state: ReportState;
  sections: ReportSection[];
  /** What the AI did for this study (frozen at signing): the AI section and AI details are generated from it. */
  ai: ReportAiUse;
  addenda: Addendum[];
  author: string;
  createdAt: string;
  updatedAt: string;
  signedBy: string | null;
  signedAt: string | null;
  patient: ReportPatient;
  study: ReportStudy;
  images: ReportImage[];
  /** What de-identification removed or replaced (deidentify.ts); null for an identified export. */
  deidentification: DeidentificationReport | null;
  /** When the export was produced (ISO). */
  generatedAt: string;
}

/** True when any part of the report came from the AI or the AI ran on the study (the AI section is then printed). */
export function hasAiContent(doc: Pick<ReportDocument, 'ai' | 'sections'>): boolean {
  return doc.ai.images.length > 0 || doc.sections.some((s) => s.aiDerived);
}

/**
 * The sections the reader wrote, as exports print them: without `patient` (the header says it, from the same data)
 * and without `ai` (older templates had an editable AI section; the AI section is now always generated from the
 * record, so a stale "not used" can never contradict what ran).
 */
export function readerSections(doc: Pick<ReportDocument, 'sections'>): ReportSection[] {
  return doc.sections.filter((s) => s.name !== 'patient' && s.name !== 'ai');
}
