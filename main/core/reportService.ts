import { CoreError } from '../api/envelope.js';
import type { AnalysisResult } from '../api/analysis.js';
import type { AuditAction } from '../api/audit.js';
import type { Report, ReportLanguage } from '../api/reports.js';
import { ReportLanguageSchema } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DbHandle } from '../db/connection.js';
import type { ReportRepository } from '../db/reportRepository.js';
import type { StudyRepository } from '../db/studyRepository.js';
import { deidentifyReport } from '../reports/deidentify.js';
import { draftFromTemplate } from '../reports/draftReport.js';
import { deidentifySecret, exportsResourceHandler, fileStamp, FORMAT_FILE, writeExport } from '../reports/exportFiles.js';
import { renderDicomSr } from '../reports/export/dicomSr.js';
import { renderDocx } from '../reports/export/docx.js';
import { renderFhir } from '../reports/export/fhir.js';
import { renderPdf } from '../reports/export/pdf.js';
import { renderText } from '../reports/export/text.js';
import { aiProvenance } from '../reports/model.js';
import { toReportDocument } from '../reports/reportDocument.js';
import type { ReportSources } from '../reports/reportSources.js';
import { TemplateError } from '../reports/templateParser.js';
import { summarize, toTemplate, type TemplateStore } from '../reports/templateStore.js';
import type { EventBus } from '../platform/eventBus.js';
import type { Service } from './service.js';

export interface ReportServiceDeps {
  db: Pick<DbHandle, 'transaction'>;
  reports: ReportRepository;
  studies: StudyRepository;
  sources: ReportSources;
  templates: TemplateStore;
  audit: AuditTrail;
  /** Says when a report moved a study's read status, so every worklist shows it at once. */
  events?: Pick<EventBus, 'emit'>;
  dataDir: string;
  clock: () => Date;
}

function templateError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateError) throw new CoreError('invalid_input', err.message);
    throw err;
  }
}

/**
 * Reports, templates and the audit log: drafts filled from a template, the study and the reader's accepted AI
 * findings; edits, preliminary and signed states, addenda; exports to PDF/DOCX/text/FHIR/SR (optionally
 * de-identified) written under `<dataDir>/exports` and served as `/files/exports/...`. Every action is audited.
 */
export function createReportService(deps: ReportServiceDeps): Service {
  const { db, reports, studies, sources, templates, dataDir, clock } = deps;

  const audit = (actor: string, action: AuditAction, report: Report, detail: Record<string, unknown> = {}) => {
    const ai = aiProvenance(report)[0];
    deps.audit.record({
      actor,
      action,
      entityType: 'report',
      entityId: report.id,
      studyId: report.studyId,
      modelPack: ai?.modelPack ?? null,
      modelVersion: ai?.modelVersion ?? null,
      thresholdVersion: ai?.thresholdVersion ?? null,
      detail: { state: report.state, ...detail },
    });
  };
  /** Keeps the worklist's read status in step with the report (the study may have left the index). */
  const studyStatus = (report: Report) => {
    const status = report.state === 'final' ? 'final' : report.state === 'preliminary' ? 'reported' : 'in_progress';
    try {
      studies.setStatus(report.studyId, status);
    } catch (err) {
      if (!(err instanceof CoreError && err.code === 'not_found')) throw err;
      return;
    }
    // After the transaction commits (the listeners read the new status).
    queueMicrotask(() => deps.events?.emit('studies:onDidChange', { studyIds: [report.studyId] }));
  };
  const studyOrNull = (studyId: number): StudyDetail | null => {
    try {
      return sources.study(studyId);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'not_found') return null;
      throw err;
    }
  };

  return {
    async 'reports:get'({ reportId, author }) {
      const r = reports.get(reportId);
      audit(author, 'view', r);
      return r;
    },

    async 'reports:draft'({ studyId, templateId, language, instanceId, withHeatmap, comparisonStudyIds, author }) {
      const study = sources.study(studyId);
      // Studies of different patients are never joined: a comparison with another patient's study is refused.
      const compared = [...new Set(comparisonStudyIds)].map((id) => {
        if (id === studyId) throw new CoreError('invalid_input', `study ${studyId} cannot be compared with itself`);
        const other = sources.study(id);
        if (other.patientRowId !== study.patientRowId) {
          throw new CoreError('invalid_input', `study ${id} belongs to another patient than study ${studyId}: it cannot be a comparison`);
        }
        return other;
      });
      const instances = study.series.flatMap((s) => s.instances);
      if (instanceId !== undefined && !instances.some((i) => i.id === instanceId)) {
        throw new CoreError('invalid_input', `image ${instanceId} is not part of study ${studyId}`);
      }
      const id = templateId ?? `chest-radiograph.${language}`;
      const template = templateError(() => templates.get(id));
      if (!template) throw new CoreError('not_found', `no report template "${id}" (see templates:list)`);
      const reportLanguage: ReportLanguage = ReportLanguageSchema.safeParse(template.language).success ? (template.language as ReportLanguage) : language;
      const analyses: AnalysisResult[] = [];
      for (const i of instances) {
        const a = await sources.analysis(i.id, reportLanguage);
        if (a) analyses.push(a);
      }
      const draft = draftFromTemplate({
        study,
        templateId: id,
        template,
        language: reportLanguage,
        keyInstanceId: instanceId ?? instances[0]?.id ?? null,
        withHeatmap,
        analyses,
        compared,
        author,
        now: clock(),
      });
      const report = db.transaction(() => {
        const r = reports.create(draft);
        audit(author, 'draft', r, { templateId: id, aiFindings: r.aiFindings.length, comparisonStudyIds: compared.map((c) => c.id) });
        studyStatus(r);
        return r;
      });
      return report;
    },

    async 'reports:save'({ reportId, sections, keyImages, expectedUpdatedAt, author }) {
      return db.transaction(() => {
        const r = reports.save(reportId, { sections, ...(keyImages ? { keyImages } : {}), ...(expectedUpdatedAt ? { expectedUpdatedAt } : {}) });
        audit(author, 'edit', r, { sections: sections.map((s) => s.name) });
        return r;
      });
    },

    async 'reports:setState'({ reportId, state, signedBy, author }) {
      return db.transaction(() => {
        const r = reports.setState(reportId, state, signedBy);
        audit(state === 'final' ? (signedBy ?? author) : author, state === 'final' ? 'sign' : 'preliminary', r, state === 'final' ? { signedBy: r.signedBy, signedAt: r.signedAt } : {});
        studyStatus(r);
        return r;
      });
    },

    async 'reports:addendum'({ reportId, text, author }) {
      return db.transaction(() => {
        const r = reports.addAddendum(reportId, text, author);
        audit(author, 'addendum', r, { addendumId: r.addenda[r.addenda.length - 1]!.id });
        return r;
      });
    },

    async 'reports:export'({ reportId, format, deidentify, includeImages, author }) {
      const report = reports.get(reportId);
      const study = studyOrNull(report.studyId);
      const pngs = new Map<number, { png: Uint8Array | null; heatmapPng: Uint8Array | null; heatmapLabel: string | null }>();
      if (includeImages && (format === 'pdf' || format === 'docx')) {
        for (const k of report.keyImages) {
          const png = await sources.thumbnailPng(k.instanceId);
          let heatmapPng: Uint8Array | null = null;
          let heatmapLabel: string | null = null;
          if (k.withHeatmap) {
            // The heatmap of the most probable finding the reader kept on this image.
            const top = report.aiFindings.filter((f) => f.instanceId === k.instanceId).sort((a, b) => b.probability - a.probability)[0];
            const analysis = top ? await sources.analysis(k.instanceId, report.language) : null;
            if (top && analysis) {
              heatmapPng = await sources.heatmapPng(analysis.analysisId, top.label, k.instanceId);
              heatmapLabel = top.label;
            }
          }
          pngs.set(k.instanceId, { png, heatmapPng, heatmapLabel });
        }
      }
      const now = clock();
      let doc = toReportDocument(report, study, pngs, now);
      if (deidentify) doc = deidentifyReport(doc, { secret: deidentifySecret(dataDir) });
      let bytes: Uint8Array | string;
      switch (format) {
        case 'pdf':
          bytes = await renderPdf(doc, { includeImages });
          break;
        case 'docx':
          bytes = await renderDocx(doc, { includeImages });
          break;
        case 'txt':
          bytes = renderText(doc);
          break;
        case 'fhir':
          bytes = JSON.stringify(renderFhir(doc), null, 2);
          break;
        case 'sr':
          bytes = renderDicomSr(doc);
          break;
      }
      const { ext, contentType } = FORMAT_FILE[format];
      const fileName = `report-${report.id}-${report.state}-${fileStamp(now)}${deidentify ? '-deid' : ''}.${ext}`;
      const written = writeExport(dataDir, String(report.id), fileName, bytes);
      audit(author, 'export', report, { format, deidentified: deidentify, file: fileName, bytes: written.bytes });
      return { format, path: written.path, fileName, contentType, bytes: written.bytes, deidentified: deidentify };
    },

    async 'reports:search'({ text, studyId, state, limit }) {
      return reports.search({ text, ...(studyId !== undefined ? { studyId } : {}), ...(state ? { state } : {}), limit });
    },

    async 'templates:list'() {
      return templates.list();
    },

    async 'templates:get'({ templateId }) {
      const t = templateError(() => templates.get(templateId));
      if (!t) throw new CoreError('not_found', `no report template "${templateId}"`);
      return toTemplate(t);
    },

    async 'templates:save'({ templateId, html, author }) {
      const t = templateError(() => templates.save(templateId, html));
      deps.audit.record({ actor: author, action: 'template_save', entityType: 'template', entityId: templateId, detail: { title: t.title, language: t.language } });
      return summarize(t);
    },

    resources: [exportsResourceHandler(dataDir)],
  };
}
