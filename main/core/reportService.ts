import { CoreError } from '../api/envelope.js';
import type { AnalysisResult } from '../api/analysis.js';
import { LanguageSchema } from '../api/common.js';
import type { AuditAction } from '../api/audit.js';
import type { Report, ReportAiUse, ReportLanguage } from '../api/reports.js';
import { ReportLanguageSchema } from '../api/reports.js';
import type { StudyDetail } from '../api/studies.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { EventBus } from '../platform/eventBus.js';
import type { DbHandle } from '../db/connection.js';
import type { ReportRepository, SigningSnapshot, StoredReport } from '../db/reportRepository.js';
import type { StudyRepository } from '../db/studyRepository.js';
import { aiDetailsLines, aiSectionLines } from '../reports/aiSection.js';
import { aiSectionWords } from '../reports/aiSectionWords.js';
import { aiPacks, aiUseOf, keptFindings, legacyAiUse } from '../reports/aiUse.js';
import { deidentifyReport } from '../reports/deidentify.js';
import { draftFromTemplate } from '../reports/draftReport.js';
import { deidentifySecret, exportsResourceHandler, fileStamp, FORMAT_FILE, writeExport } from '../reports/exportFiles.js';
import { renderDicomSr } from '../reports/export/dicomSr.js';
import { renderDocx } from '../reports/export/docx.js';
import { renderFhir } from '../reports/export/fhir.js';
import { renderPdf } from '../reports/export/pdf.js';
import { renderText } from '../reports/export/text.js';
import { toReportDocument, type KeyImageExtras } from '../reports/reportDocument.js';
import type { ReportSources } from '../reports/reportSources.js';
import { signingProblems } from '../reports/signing.js';
import { TemplateError } from '../reports/templateParser.js';
import { summarize, toTemplate, type TemplateStore } from '../reports/templateStore.js';
import type { Service } from './service.js';

export interface ReportServiceDeps {
  db: Pick<DbHandle, 'transaction'>;
  reports: ReportRepository;
  studies: StudyRepository;
  sources: ReportSources;
  templates: TemplateStore;
  audit: AuditTrail;
  /**
   * Says when a report moved a study's read status (`studies:onDidChange`, so every worklist shows it at once) and
   * when one was signed (`reports:onDidSign`: the network node sends signed reports where a site asked for it).
   */
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
    const ai = aiPacks(report.ai)[0];
    deps.audit.record({
      actor,
      action,
      entityType: 'report',
      entityId: report.id,
      studyId: report.studyId,
      modelPack: ai?.packId ?? null,
      modelVersion: ai?.packVersion ?? null,
      thresholdVersion: ai?.thresholdVersion ?? null,
      detail: { state: report.state, ...detail },
    });
  };
  /** Keeps the worklist's read status in step with the report (the study may have left the index). */
  const studyStatus = (report: Pick<Report, 'state' | 'studyId'>) => {
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

  /** The study's images analysed now, each presented in `language` (as the viewer shows them). */
  const analysesOf = async (study: StudyDetail | null, language: ReportLanguage): Promise<AnalysisResult[]> => {
    const out: AnalysisResult[] = [];
    for (const i of study?.series.flatMap((s) => s.instances) ?? []) {
      const a = await sources.analysis(i.id, language);
      if (a) out.push(a);
    }
    return out;
  };
  const imageCount = (study: StudyDetail | null) => study?.series.reduce((n, s) => n + s.instances.length, 0) ?? 0;

  /**
   * What the AI did for a report: frozen at signing for a final report (never recomputed), live for an unsigned one,
   * and what little is known for a report signed before the record existed.
   */
  const aiOf = async (r: StoredReport): Promise<ReportAiUse> => {
    if (r.frozenAi) return r.frozenAi;
    const study = studyOrNull(r.studyId);
    if (r.state === 'final') return legacyAiUse(r.aiFindings, r.signedAt, imageCount(study));
    return aiUseOf(await analysesOf(study, r.language), (id, v) => sources.pack(id, v), imageCount(study));
  };
  /** The contract's Report: the stored one with its AI record and the AI section every export prints. */
  const present = async (r: StoredReport): Promise<Report> => {
    const { frozenAi: _frozen, ...rest } = r;
    const ai = await aiOf(r);
    return { ...rest, ai, aiSection: [aiSectionWords(r.language).title, ...aiSectionLines(ai, r.language), ...aiDetailsLines(ai, r.language)] };
  };

  /**
   * What signing freezes: each image's analysis as the viewer shows it now, in every UI language (so the viewer
   * shows it unchanged in any language afterwards), and the AI record in the report's language.
   */
  const signingSnapshot = async (r: StoredReport): Promise<SigningSnapshot> => {
    const study = studyOrNull(r.studyId);
    const analyses: SigningSnapshot['analyses'] = [];
    const shown: AnalysisResult[] = [];
    for (const i of study?.series.flatMap((s) => s.instances) ?? []) {
      for (const language of LanguageSchema.options) {
        const result = await sources.analysis(i.id, language);
        if (!result) continue;
        const { signed: _earlier, ...asShown } = result;
        analyses.push({ instanceId: i.id, language, result: asShown });
        if (language === r.language) shown.push(asShown);
      }
    }
    // A study no longer in the index cannot say what its AI showed: freeze what the draft took in, never "not used".
    const ai = study ? await aiUseOf(shown, (id, v) => sources.pack(id, v), imageCount(study)) : legacyAiUse(r.aiFindings, null, 0);
    return { ai, analyses };
  };

  return {
    async 'reports:get'({ reportId }) {
      const author = deps.audit.actor();
      const r = await present(reports.get(reportId));
      audit(author, 'view', r);
      return r;
    },

    async 'reports:draft'({ studyId, templateId, language, instanceId, withHeatmap, comparisonStudyIds }) {
      const author = deps.audit.actor();
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
      const created = db.transaction(() => reports.create(draft));
      const report = await present(created);
      db.transaction(() => {
        audit(author, 'draft', report, { templateId: id, aiFindings: report.aiFindings.length, comparisonStudyIds: compared.map((c) => c.id) });
        studyStatus(report);
      });
      return report;
    },

    async 'reports:save'({ reportId, sections, keyImages, expectedUpdatedAt }) {
      const author = deps.audit.actor();
      const saved = db.transaction(() => reports.save(reportId, { sections, ...(keyImages ? { keyImages } : {}), ...(expectedUpdatedAt ? { expectedUpdatedAt } : {}) }));
      const r = await present(saved);
      audit(author, 'edit', r, { sections: sections.map((s) => s.name) });
      return r;
    },

    async 'reports:setState'({ reportId, state }) {
      // The signer is the core's current reader, asked once: the report, its audit entry and the event name the same one.
      const author = deps.audit.actor();
      const signedBy = state === 'final' ? author : undefined;
      const before = reports.get(reportId);
      let snapshot: SigningSnapshot | undefined;
      if (state === 'final' && before.state !== 'final') {
        const problems = signingProblems(before.sections);
        if (problems.length) throw new CoreError('invalid_input', `report ${reportId} cannot be signed: ${problems.join('; ')}. Write it and save before signing.`);
        snapshot = await signingSnapshot(before);
      }
      const changed = db.transaction(() => reports.setState(reportId, state, signedBy, snapshot));
      const r = await present(changed);
      db.transaction(() => {
        audit(
          author,
          state === 'final' ? 'sign' : 'preliminary',
          r,
          state === 'final' ? { signedBy: r.signedBy, signedAt: r.signedAt, frozenImages: r.ai.images.length, aiKept: keptFindings(r.ai).length } : {},
        );
        studyStatus(r);
      });
      if (r.state === 'final') deps.events?.emit('reports:onDidSign', { reportId: r.id, studyId: r.studyId, signedBy: r.signedBy ?? author });
      return r;
    },

    async 'reports:addendum'({ reportId, text }) {
      const author = deps.audit.actor();
      const added = db.transaction(() => reports.addAddendum(reportId, text, author));
      const r = await present(added);
      audit(author, 'addendum', r, { addendumId: r.addenda[r.addenda.length - 1]!.id });
      return r;
    },

    async 'reports:export'({ reportId, format, deidentify, includeImages }) {
      const author = deps.audit.actor();
      const report = await present(reports.get(reportId));
      const study = studyOrNull(report.studyId);
      const extras = new Map<number, KeyImageExtras>();
      for (const k of report.keyImages) {
        const wantPixels = includeImages && (format === 'pdf' || format === 'docx');
        const extra: KeyImageExtras = { png: null, heatmapPng: null, heatmapLabel: null, burnedIn: await sources.burnedIn(k.instanceId) };
        if (wantPixels) {
          extra.png = await sources.thumbnailPng(k.instanceId);
          if (k.withHeatmap) {
            // The heatmap of the most probable finding the reader kept on this image, as the (signed) view shows it:
            // none when the analysis was redone after signing (the view then has no heatmap for it).
            const top = keptFindings(report.ai)
              .filter((f) => f.instanceId === k.instanceId)
              .sort((a, b) => b.probability - a.probability)[0];
            const analysis = top ? await sources.analysis(k.instanceId, report.language) : null;
            if (top && analysis?.status === 'shown' && analysis.findings.find((f) => f.label === top.label)?.heatmap) {
              extra.heatmapPng = await sources.heatmapPng(analysis.analysisId, top.label, k.instanceId);
              extra.heatmapLabel = top.label;
            }
          }
        }
        extras.set(k.instanceId, extra);
      }
      const now = clock();
      let doc = toReportDocument(report, study, extras, now);
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
      audit(author, 'export', report, {
        format,
        deidentified: deidentify,
        file: fileName,
        bytes: written.bytes,
        ...(doc.deidentification ? { freeTextCleaned: doc.deidentification.freeText, imagesOmitted: doc.deidentification.imagesOmitted } : {}),
      });
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

    async 'templates:save'({ templateId, html }) {
      const t = templateError(() => templates.save(templateId, html));
      deps.audit.record({ action: 'template_save', entityType: 'template', entityId: templateId, detail: { title: t.title, language: t.language } });
      return summarize(t);
    },

    resources: [exportsResourceHandler(dataDir)],
  };
}
