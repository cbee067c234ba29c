import { CoreError } from '../api/envelope.js';
import { z } from 'zod';
import { AnalysisResultSchema, type AnalysisResult } from '../api/analysis.js';
import type { Language } from '../api/common.js';
import {
  KeyImageSchema,
  ReportAiFindingSchema,
  ReportAiUseSchema,
  ReportSectionSchema,
  type Addendum,
  type KeyImage,
  type Report,
  type ReportAiFinding,
  type ReportAiUse,
  type ReportLanguage,
  type ReportSection,
  type ReportState,
  type ReportSummary,
} from '../api/reports.js';
import { systemClock, type Clock } from './clock.js';
import type { DbHandle } from './connection.js';
import { toFtsQuery } from './ftsQuery.js';
import { parseJsonColumn } from './jsonColumn.js';

/** What a new draft holds (the service fills it from a template). */
export interface NewReport {
  studyId: number;
  studyInstanceUid: string;
  templateId: string;
  language: ReportLanguage;
  title: string;
  sections: ReportSection[];
  fields: Record<string, string>;
  aiFindings: ReportAiFinding[];
  keyImages: KeyImage[];
  author: string;
}

/** A report as stored: the contract's Report less what the service derives, plus the AI record frozen at signing. */
export type StoredReport = Omit<Report, 'ai' | 'aiSection'> & {
  /** What the AI did, frozen when the report was signed; null while unsigned (and for reports signed before 0900). */
  frozenAi: ReportAiUse | null;
};

/** What signing freezes besides the report itself: the AI record, and each image's analysis as it was shown. */
export interface SigningSnapshot {
  ai: ReportAiUse;
  analyses: Array<{ instanceId: number; language: Language; result: AnalysisResult }>;
}

/** The analysis of an image as a signed report froze it. */
export interface SignedAnalysis {
  reportId: number;
  signedAt: string;
  result: AnalysisResult;
}

interface ReportRow {
  id: number;
  study_id: number;
  study_instance_uid: string;
  template_id: string;
  language: string;
  title: string;
  state: ReportState;
  sections_json: string;
  fields_json: string;
  ai_findings_json: string;
  key_images_json: string;
  body_text: string;
  author: string;
  created_at: string;
  updated_at: string;
  signed_by: string | null;
  signed_at: string | null;
  ai_use_json: string | null;
}

/** The text the full-text index holds: identification fields, then each section's title and text. */
export function reportBodyText(sections: ReportSection[], fields: Record<string, string>): string {
  const ids = ['patient.name', 'patient.id', 'study.accession', 'study.date'].map((k) => fields[k] ?? '').filter(Boolean);
  return [ids.join(' '), ...sections.map((s) => `${s.title}\n${s.text}`)].join('\n\n');
}

/**
 * Reports and addenda. The rules (final is immutable, states only move forward, addenda only on final reports) are
 * checked here to answer with clear errors, and again by the triggers of migration 0200 for any other writer.
 */
export class ReportRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  create(r: NewReport): StoredReport {
    const now = this.clock().toISOString();
    const info = this.db
      .statement(
        `INSERT INTO reports (study_id, study_instance_uid, template_id, language, title, state, sections_json, fields_json,
           ai_findings_json, key_images_json, body_text, author, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.studyId,
        r.studyInstanceUid,
        r.templateId,
        r.language,
        r.title,
        JSON.stringify(r.sections),
        JSON.stringify(r.fields),
        JSON.stringify(r.aiFindings),
        JSON.stringify(r.keyImages),
        reportBodyText(r.sections, r.fields),
        r.author,
        now,
        now,
      );
    return this.get(Number(info.lastInsertRowid));
  }

  /** @throws CoreError('not_found') */
  get(reportId: number): StoredReport {
    const row = this.db.statement('SELECT * FROM reports WHERE id = ?').get(reportId) as ReportRow | undefined;
    if (!row) throw new CoreError('not_found', `no report with id ${reportId}`);
    const addenda = this.db
      .statement('SELECT id, text, author, created_at AS createdAt FROM report_addenda WHERE report_id = ? ORDER BY id')
      .all(reportId) as Addendum[];
    return {
      id: row.id,
      studyId: row.study_id,
      studyInstanceUid: row.study_instance_uid,
      templateId: row.template_id,
      language: row.language as ReportLanguage,
      title: row.title,
      state: row.state,
      sections: parseJsonColumn(z.array(ReportSectionSchema), row.sections_json, `sections of report ${row.id}`),
      fields: parseJsonColumn(z.record(z.string(), z.string()), row.fields_json, `fields of report ${row.id}`),
      aiFindings: parseJsonColumn(z.array(ReportAiFindingSchema), row.ai_findings_json, `AI findings of report ${row.id}`),
      keyImages: parseJsonColumn(z.array(KeyImageSchema), row.key_images_json, `key images of report ${row.id}`),
      author: row.author,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      signedBy: row.signed_by,
      signedAt: row.signed_at,
      addenda,
      frozenAi: row.ai_use_json ? parseJsonColumn(ReportAiUseSchema, row.ai_use_json, `AI record of report ${row.id}`) : null,
    };
  }

  /** Reports of one study, newest first. */
  forStudy(studyId: number): StoredReport[] {
    const ids = this.db.statement('SELECT id FROM reports WHERE study_id = ? ORDER BY updated_at DESC, id DESC').pluck().all(studyId) as number[];
    return ids.map((id) => this.get(id));
  }

  private assertEditable(report: StoredReport, expectedUpdatedAt?: string): void {
    if (report.state === 'final') {
      throw new CoreError('conflict', `report ${report.id} is final (signed by ${report.signedBy} at ${report.signedAt}) and cannot be changed; add an addendum instead`);
    }
    if (expectedUpdatedAt !== undefined && expectedUpdatedAt !== report.updatedAt) {
      throw new CoreError('conflict', `report ${report.id} was changed at ${report.updatedAt} since it was loaded (${expectedUpdatedAt}); reload it before saving`);
    }
  }

  /**
   * Saves the reader's edits: named sections get the new text (a section not in the template is refused), others
   * keep theirs. A section the reader edited keeps its AI-derived mark: the text began as the AI's.
   */
  save(reportId: number, edits: { sections: Array<{ name: string; text: string }>; keyImages?: KeyImage[]; expectedUpdatedAt?: string }): StoredReport {
    return this.db.transaction(() => {
      const report = this.get(reportId);
      this.assertEditable(report, edits.expectedUpdatedAt);
      const sections = report.sections.map((s) => ({ ...s }));
      for (const e of edits.sections) {
        const s = sections.find((x) => x.name === e.name);
        if (!s) throw new CoreError('invalid_input', `report ${reportId} has no section "${e.name}" (sections: ${sections.map((x) => x.name).join(', ')})`);
        s.text = e.text;
      }
      const now = this.nextTimestamp(report.updatedAt);
      this.db
        .statement('UPDATE reports SET sections_json = ?, key_images_json = ?, body_text = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(sections), JSON.stringify(edits.keyImages ?? report.keyImages), reportBodyText(sections, report.fields), now, reportId);
      return this.get(reportId);
    });
  }

  /**
   * draft → preliminary → final; signing (final) needs the signer's name and stamps the time. `snapshot` is what the
   * reader saw (the AI record and each image's analysis): it is written in the same transaction, by the same UPDATE
   * that makes the report final, so a signed report never exists without it (migration 0900 keeps it immutable).
   */
  setState(reportId: number, state: 'preliminary' | 'final', signedBy?: string, snapshot?: SigningSnapshot): StoredReport {
    return this.db.transaction(() => {
      const report = this.get(reportId);
      this.assertEditable(report);
      if (state === 'final' && !signedBy?.trim()) throw new CoreError('invalid_input', `signing report ${reportId} needs the reader's name (signedBy)`);
      const now = this.nextTimestamp(report.updatedAt);
      if (state === 'final') {
        const ai = snapshot ? JSON.stringify({ ...snapshot.ai, frozenAt: now }) : null;
        this.db
          .statement("UPDATE reports SET state = 'final', signed_by = ?, signed_at = ?, updated_at = ?, ai_use_json = ? WHERE id = ?")
          .run(signedBy!.trim(), now, now, ai, reportId);
        const insert = this.db.statement('INSERT INTO report_signed_analyses (report_id, instance_id, language, analysis_id, result_json) VALUES (?, ?, ?, ?, ?)');
        for (const a of snapshot?.analyses ?? []) insert.run(reportId, a.instanceId, a.language, a.result.analysisId, JSON.stringify(a.result));
      } else {
        this.db.statement("UPDATE reports SET state = 'preliminary', updated_at = ? WHERE id = ?").run(now, reportId);
      }
      return this.get(reportId);
    });
  }

  /**
   * The analysis of an image as the most recently signed report of its study froze it, in `language`; null when no
   * signed report froze one. The analysis views consult this first (see findings/analysisViews.ts).
   */
  signedView(instanceId: number, language: Language): SignedAnalysis | null {
    const row = this.db
      .statement(
        `SELECT s.report_id AS reportId, r.signed_at AS signedAt, s.result_json AS json
         FROM report_signed_analyses s JOIN reports r ON r.id = s.report_id
         WHERE s.instance_id = ? AND s.language = ? ORDER BY r.signed_at DESC, s.report_id DESC LIMIT 1`,
      )
      .get(instanceId, language) as { reportId: number; signedAt: string; json: string } | undefined;
    return row ? { reportId: row.reportId, signedAt: row.signedAt, result: parseJsonColumn(AnalysisResultSchema, row.json, `signed analysis of image ${instanceId} in report ${row.reportId}`) } : null;
  }

  /** The signed report that froze an image's analysis (the newest), or null: such an image's findings are as signed. */
  signedReportOf(instanceId: number): { reportId: number; signedAt: string } | null {
    const row = this.db
      .statement(
        `SELECT s.report_id AS reportId, r.signed_at AS signedAt FROM report_signed_analyses s JOIN reports r ON r.id = s.report_id
         WHERE s.instance_id = ? ORDER BY r.signed_at DESC, s.report_id DESC LIMIT 1`,
      )
      .get(instanceId) as { reportId: number; signedAt: string } | undefined;
    return row ?? null;
  }

  /** Appends an addendum to a final report (the only change a final report admits). */
  addAddendum(reportId: number, text: string, author: string): StoredReport {
    return this.db.transaction(() => {
      const report = this.get(reportId);
      if (report.state !== 'final') throw new CoreError('conflict', `report ${reportId} is ${report.state}: edit it instead; addenda are for final reports`);
      this.db.statement('INSERT INTO report_addenda (report_id, text, author, created_at) VALUES (?, ?, ?, ?)').run(reportId, text, author, this.clock().toISOString());
      return this.get(reportId);
    });
  }

  /** Deletes a draft or preliminary report (a final one is refused here and by the trigger). */
  deleteUnsigned(reportId: number): void {
    const report = this.get(reportId);
    if (report.state === 'final') throw new CoreError('conflict', `report ${reportId} is final and cannot be deleted`);
    this.db.statement('DELETE FROM reports WHERE id = ?').run(reportId);
  }

  /** Full-text search over report text and addenda (every word a prefix, all must match); newest first when empty. */
  search(q: { text: string; studyId?: number; state?: ReportState; limit: number }): ReportSummary[] {
    const fts = toFtsQuery(q.text);
    const params = { studyId: q.studyId ?? null, state: q.state ?? null, limit: q.limit };
    const filter = '(:studyId IS NULL OR r.study_id = :studyId) AND (:state IS NULL OR r.state = :state)';
    const rows = (
      fts
        ? this.db
            .statement(
              `SELECT r.*, snippet(reports_fts, -1, '[', ']', '…', 12) AS snippet
               FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid
               WHERE reports_fts MATCH :fts AND ${filter}
               ORDER BY bm25(reports_fts), r.updated_at DESC LIMIT :limit`,
            )
            .all({ ...params, fts })
        : this.db
            .statement(`SELECT r.*, substr(r.body_text, 1, 160) AS snippet FROM reports r WHERE ${filter} ORDER BY r.updated_at DESC, r.id DESC LIMIT :limit`)
            .all(params)
    ) as Array<ReportRow & { snippet: string }>;
    return rows.map((r) => ({
      id: r.id,
      studyId: r.study_id,
      studyInstanceUid: r.study_instance_uid,
      templateId: r.template_id,
      language: r.language as ReportLanguage,
      title: r.title,
      state: r.state,
      author: r.author,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      signedBy: r.signed_by,
      signedAt: r.signed_at,
      snippet: r.snippet.replace(/\s+/g, ' ').trim(),
    }));
  }

  /** Now, but strictly after `previous`, so optimistic-concurrency stamps change on every write even within 1 ms. */
  private nextTimestamp(previous: string): string {
    const now = this.clock().getTime();
    const prev = new Date(previous).getTime();
    return new Date(Math.max(now, prev + 1)).toISOString();
  }
}
