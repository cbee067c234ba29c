import type { Report } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import type { ReportDocument, ReportImage } from './model.js';

/**
 * The exporters' model of a stored report. Patient and study come from the report's own snapshot (`fields`), so a
 * signed report exports as it was signed even when the index changed; image UIDs come from the index when the study
 * is still there, else from the snapshot of the key image. `pngs` supplies thumbnails chosen for PDF/DOCX.
 */
export function toReportDocument(
  report: Report,
  study: StudyDetail | null,
  pngs: Map<number, { png: Uint8Array | null; heatmapPng: Uint8Array | null; heatmapLabel: string | null }>,
  generatedAt: Date,
): ReportDocument {
  const f = report.fields;
  const sex = f['patient.sex'];
  const age = Number.parseFloat(f['patient.age'] ?? '');
  const instances = new Map((study?.series ?? []).flatMap((s) => s.instances.map((i) => [i.id, { i, s }] as const)));
  const images: ReportImage[] = [];
  for (const k of report.keyImages) {
    const hit = instances.get(k.instanceId);
    const extra = pngs.get(k.instanceId) ?? { png: null, heatmapPng: null, heatmapLabel: null };
    if (hit) {
      images.push({
        instanceId: k.instanceId,
        sopInstanceUid: hit.i.sopInstanceUid,
        sopClassUid: hit.i.sopClassUid,
        seriesInstanceUid: hit.s.seriesInstanceUid,
        modality: hit.s.modality,
        viewPosition: hit.i.viewPosition,
        ...extra,
        heatmapPng: k.withHeatmap ? extra.heatmapPng : null,
      });
    } else if (images.length === 0 && f['image.sopInstanceUid']) {
      images.push({
        instanceId: k.instanceId,
        sopInstanceUid: f['image.sopInstanceUid'],
        sopClassUid: f['image.sopClassUid'] ?? '1.2.840.10008.5.1.4.1.1.7',
        seriesInstanceUid: f['image.seriesUid'] ?? '',
        modality: f['image.modality'] ?? '',
        viewPosition: f['image.view'] ?? '',
        png: null,
        heatmapPng: null,
        heatmapLabel: null,
      });
    }
  }
  return {
    id: report.id,
    title: report.title,
    language: report.language,
    state: report.state,
    sections: report.sections,
    aiFindings: report.aiFindings,
    addenda: report.addenda,
    author: report.author,
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    signedBy: report.signedBy,
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
    deidentified: false,
    generatedAt: generatedAt.toISOString(),
  };
}
