import { basename } from 'node:path';
import type { Report } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import type { ReportDocument, ReportImage } from './model.js';
import type { BurnedIn } from './reportSources.js';
import { cleanText } from './plainText.js';

/** Thumbnails and file facts of the key images, gathered by the service for one export. */
export interface KeyImageExtras {
  png: Uint8Array | null;
  heatmapPng: Uint8Array | null;
  heatmapLabel: string | null;
  burnedIn: BurnedIn;
}

/**
 * The exporters' model of a stored report. Patient and study come from the report's own snapshot (`fields`), so a
 * signed report exports as it was signed even when the index changed; image UIDs come from the index when the study
 * is still there, else from the snapshot of the key image. Every typed text is cleaned of control and bidirectional
 * override characters here, once, for all formats.
 */
export function toReportDocument(report: Report, study: StudyDetail | null, extras: Map<number, KeyImageExtras>, generatedAt: Date): ReportDocument {
  const f = Object.fromEntries(Object.entries(report.fields).map(([k, v]) => [k, cleanText(v)]));
  const sex = f['patient.sex'];
  const age = Number.parseFloat(f['patient.age'] ?? '');
  const instances = new Map((study?.series ?? []).flatMap((s) => s.instances.map((i) => [i.id, { i, s }] as const)));
  const images: ReportImage[] = [];
  for (const k of report.keyImages) {
    const hit = instances.get(k.instanceId);
    const extra = extras.get(k.instanceId) ?? { png: null, heatmapPng: null, heatmapLabel: null, burnedIn: null };
    if (hit) {
      images.push({
        instanceId: k.instanceId,
        sopInstanceUid: hit.i.sopInstanceUid,
        sopClassUid: hit.i.sopClassUid,
        seriesInstanceUid: hit.s.seriesInstanceUid,
        modality: hit.s.modality,
        viewPosition: hit.i.viewPosition,
        format: hit.i.format,
        fileName: basename(hit.i.filePath),
        ...extra,
        heatmapPng: k.withHeatmap ? extra.heatmapPng : null,
      });
    } else if (images.length === 0 && f['image.sopInstanceUid']) {
      const format = f['image.format'];
      images.push({
        instanceId: k.instanceId,
        sopInstanceUid: f['image.sopInstanceUid'],
        sopClassUid: f['image.sopClassUid'] ?? '1.2.840.10008.5.1.4.1.1.7',
        seriesInstanceUid: f['image.seriesUid'] ?? '',
        modality: f['image.modality'] ?? '',
        viewPosition: f['image.view'] ?? '',
        // Reports drafted before the format was recorded referred to their key image as DICOM.
        format: format === 'png' || format === 'jpeg' ? format : 'dicom',
        fileName: f['image.fileName'] ?? '',
        burnedIn: null,
        png: null,
        heatmapPng: null,
        heatmapLabel: null,
      });
    }
  }
  return {
    id: report.id,
    title: cleanText(report.title),
    language: report.language,
    state: report.state,
    sections: report.sections.map((s) => ({ ...s, title: cleanText(s.title), text: cleanText(s.text) })),
    ai: report.ai,
    addenda: report.addenda.map((a) => ({ ...a, text: cleanText(a.text), author: cleanText(a.author) })),
    author: cleanText(report.author),
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    signedBy: report.signedBy === null ? null : cleanText(report.signedBy),
    signedAt: report.signedAt,
    patient: {
      name: f['patient.name'] ?? '',
      id: f['patient.id'] ?? '',
      sex: sex === 'M' || sex === 'F' || sex === 'O' ? sex : null,
      birthDate: f['patient.birthDate'] || null,
      ageYears: Number.isFinite(age) ? age : null,
    },
    study: {
      studyInstanceUid: report.studyInstanceUid,
      date: f['study.date'] || null,
      time: f['study.time'] || null,
      description: f['study.description'] ?? '',
      accessionNumber: f['study.accession'] ?? '',
      institution: f['study.institution'] ?? '',
      referringPhysician: f['study.referringPhysician'] ?? '',
      indication: f['study.indication'] ?? '',
    },
    images,
    deidentification: null,
    generatedAt: generatedAt.toISOString(),
  };
}
