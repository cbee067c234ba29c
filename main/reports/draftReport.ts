import { basename } from 'node:path';
import type { AnalysisResult } from '../api/analysis.js';
import type { ReportAiFinding, ReportLanguage } from '../api/reports.js';
import type { Instance, StudyDetail } from '../api/studies.js';
import type { NewReport } from '../db/reportRepository.js';
import { sideOf } from './aiUse.js';
import { fillTemplate, type ParsedTemplate } from './templateParser.js';

/**
 * The findings of an analysis that go into a report: those the reader accepted (the generated sentence) or edited
 * (the reader's wording). Rejected and unreviewed findings never enter a report on their own.
 */
export function acceptedFindings(result: AnalysisResult): ReportAiFinding[] {
  // A withheld image has no findings; only labels with a validated operating point can carry a reader's decision.
  if (result.status !== 'shown') return [];
  const thresholdVersion = result.operatingPoints.version;
  const out: ReportAiFinding[] = [];
  for (const f of result.findings) {
    const decision = f.review?.decision;
    if (decision !== 'accepted' && decision !== 'edited') continue;
    if (f.operatingPoint.status !== 'validated') continue;
    const text = decision === 'edited' ? (f.review!.text ?? '') : (f.sentence ?? f.label);
    out.push({
      instanceId: result.instanceId,
      label: f.label,
      probability: f.probability,
      threshold: f.operatingPoint.threshold,
      text,
      decision,
      location: f.locationText,
      modelPack: result.packId,
      modelVersion: result.packVersion,
      thresholdVersion,
      certainty: f.certainty,
      laterality: sideOf(f),
    });
  }
  return out;
}

const SEX: Record<string, string> = { M: 'M', F: 'F', O: 'O' };

/**
 * The Comparison line: each compared study as "date (modality, description)", newest first. Dates and DICOM values
 * only, so it reads the same in every report language; an undated study says so with "?".
 */
export function comparisonText(studies: readonly StudyDetail[]): string {
  return [...studies]
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
    .map((s) => {
      const detail = [s.modalities.join('/'), s.description.trim()].filter(Boolean).join(', ');
      return `${s.date ?? '?'}${detail ? ` (${detail})` : ''}`;
    })
    .join('; ');
}

/**
 * The template fields' values for a study, its key image and the accepted findings (see TEMPLATE_FIELDS). `ai.model`
 * names every pack that ran on the study, accepted findings or not: "not used" is only ever true.
 */
export function fieldValues(
  study: StudyDetail,
  key: { instance: Instance; modality: string; seriesUid: string } | null,
  findings: ReportAiFinding[],
  author: string,
  now: Date,
  analyses: readonly AnalysisResult[] = [],
  compared: readonly StudyDetail[] = [],
): Record<string, string> {
  const packs = [...new Set([...analyses.map((a) => `${a.packId} ${a.packVersion}`), ...findings.map((f) => `${f.modelPack} ${f.modelVersion}`)])];
  const imageCount = study.series.reduce((n, s) => n + s.instances.length, 0);
  const values: Record<string, string> = {
    'patient.name': study.patientName,
    'patient.id': study.patientId,
    'patient.sex': study.sex ? (SEX[study.sex] ?? '') : '',
    'patient.birthDate': study.birthDate ?? '',
    'patient.age': study.ageYears === null ? '' : String(Math.floor(study.ageYears)),
    'study.date': study.date ?? '',
    'study.time': '',
    'study.description': study.description,
    'study.accession': study.accessionNumber,
    'study.uid': study.studyInstanceUid,
    'study.institution': study.institution,
    'study.referringPhysician': study.referringPhysician,
    'study.indication': '',
    'study.comparison': comparisonText(compared),
    'image.view': key?.instance.viewPosition ?? '',
    'image.modality': key?.modality ?? '',
    'image.count': String(imageCount),
    'ai.findings': findings.map((f) => f.text.trim()).filter(Boolean).join('\n'),
    'ai.model': packs.join(', '),
    'report.date': now.toISOString().slice(0, 10),
    'reader.name': author,
  };
  if (key) {
    values['image.sopInstanceUid'] = key.instance.sopInstanceUid;
    values['image.sopClassUid'] = key.instance.sopClassUid;
    values['image.seriesUid'] = key.seriesUid;
    values['image.format'] = key.instance.format;
    values['image.fileName'] = basename(key.instance.filePath);
  }
  return values;
}

/** A new draft for `study` from `template`, filled with the study data and the accepted findings of its images. */
export function draftFromTemplate(input: {
  study: StudyDetail;
  templateId: string;
  template: ParsedTemplate;
  language: ReportLanguage;
  keyInstanceId: number | null;
  withHeatmap: boolean;
  analyses: AnalysisResult[];
  /** Earlier studies of the same patient the reader compared with (checked by the caller). */
  compared?: readonly StudyDetail[];
  author: string;
  now: Date;
}): NewReport {
  const { study } = input;
  let key: { instance: Instance; modality: string; seriesUid: string } | null = null;
  for (const s of study.series) {
    for (const i of s.instances) if (i.id === input.keyInstanceId) key = { instance: i, modality: s.modality, seriesUid: s.seriesInstanceUid };
  }
  // Findings of the key image first, then the study's other images.
  const ordered = [...input.analyses].sort((a, b) => Number(b.instanceId === input.keyInstanceId) - Number(a.instanceId === input.keyInstanceId));
  const findings = ordered.flatMap(acceptedFindings);
  const fields = fieldValues(study, key, findings, input.author, input.now, input.analyses, input.compared ?? []);
  return {
    studyId: study.id,
    studyInstanceUid: study.studyInstanceUid,
    templateId: input.templateId,
    language: input.language,
    title: input.template.title,
    sections: fillTemplate(input.template, fields),
    fields,
    aiFindings: findings,
    keyImages: key ? [{ instanceId: key.instance.id, withHeatmap: input.withHeatmap }] : [],
    author: input.author,
  };
}
