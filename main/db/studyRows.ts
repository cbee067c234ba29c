import { resourcePaths } from '../api/resources.js';
import type { StudySummary } from '../api/studies.js';


/**
 * The columns a StudySummary is built from. `first_instance_id` is the study's first image (lowest series number,
 * then instance number, then id), whose thumbnail stands for the study.
 */
export const STUDY_SUMMARY_COLUMNS = `
  s.id, s.study_instance_uid, s.patient_row_id, s.patient_id, s.patient_name, p.sex, s.age_years, s.date,
  s.description, s.accession_number, s.modalities, s.institution, s.status, s.ai_status, s.max_probability,
  s.top_finding, s.called_count, s.triage_score, s.image_count, s.imported_at,
  (SELECT i.id FROM series se JOIN instances i ON i.series_id = se.id WHERE se.study_id = s.id
   ORDER BY se.series_number IS NULL, se.series_number, se.id, i.instance_number IS NULL, i.instance_number, i.id
   LIMIT 1) AS first_instance_id`;

export interface StudySummaryRow {
  id: number;
  study_instance_uid: string;
  patient_row_id: number;
  patient_id: string;
  patient_name: string;
  sex: StudySummary['sex'];
  age_years: number | null;
  date: string | null;
  description: string;
  accession_number: string;
  modalities: string;
  institution: string;
  status: StudySummary['status'];
  ai_status: StudySummary['aiStatus'];
  max_probability: number | null;
  top_finding: string | null;
  called_count: number;
  triage_score: number | null;
  image_count: number;
  imported_at: string;
  first_instance_id: number | null;
}

export function toStudySummary(r: StudySummaryRow): StudySummary {
  return {
    id: r.id,
    studyInstanceUid: r.study_instance_uid,
    patientRowId: r.patient_row_id,
    patientId: r.patient_id,
    patientName: r.patient_name,
    sex: r.sex,
    ageYears: r.age_years,
    date: r.date,
    description: r.description,
    accessionNumber: r.accession_number,
    modalities: r.modalities ? r.modalities.split(',') : [],
    institution: r.institution,
    status: r.status,
    aiStatus: r.ai_status,
    maxProbability: r.max_probability,
    topFinding: r.top_finding,
    calledCount: r.called_count,
    triageScore: r.triage_score,
    imageCount: r.image_count,
    thumbnail: r.first_instance_id === null ? null : resourcePaths.thumbnail(r.first_instance_id),
    importedAt: r.imported_at,
  };
}
