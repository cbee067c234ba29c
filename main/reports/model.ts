import type { Addendum, ReportAiFinding, ReportLanguage, ReportSection, ReportState } from '../api/reports.js';

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
  /** PNG bytes of the key image thumbnail and of the AI heatmap overlay, when chosen and available. */
  png: Uint8Array | null;
  heatmapPng: Uint8Array | null;
  /** e.g. the finding the heatmap belongs to. */
  heatmapLabel: string | null;
}

export interface ReportDocument {
  id: number;
  title: string;
  language: ReportLanguage;
  state: ReportState;
  sections: ReportSection[];
  aiFindings: ReportAiFinding[];
  addenda: Addendum[];
  author: string;
  createdAt: string;
  updatedAt: string;
  signedBy: string | null;
  signedAt: string | null;
  patient: ReportPatient;
  study: ReportStudy;
  images: ReportImage[];
  /** True when names, IDs and dates were removed or replaced (deidentify.ts). */
  deidentified: boolean;
  /** When the export was produced (ISO). */
  generatedAt: string;
}

/** The model packs and threshold versions behind the report's AI findings (distinct, in order of appearance). */
export function aiProvenance(doc: Pick<ReportDocument, 'aiFindings'>): Array<{ modelPack: string; modelVersion: string; thresholdVersion: string }> {
  const seen = new Map<string, { modelPack: string; modelVersion: string; thresholdVersion: string }>();
  for (const f of doc.aiFindings) {
    const key = `${f.modelPack}\u0000${f.modelVersion}\u0000${f.thresholdVersion}`;
    if (!seen.has(key)) seen.set(key, { modelPack: f.modelPack, modelVersion: f.modelVersion, thresholdVersion: f.thresholdVersion });
  }
  return [...seen.values()];
}

/** True when any part of the report came from the AI (a section filled from findings text, or a finding kept). */
export function hasAiContent(doc: Pick<ReportDocument, 'aiFindings' | 'sections'>): boolean {
  return doc.aiFindings.length > 0 || doc.sections.some((s) => s.aiDerived);
}
