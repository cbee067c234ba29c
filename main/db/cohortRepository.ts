import type { DbHandle } from './connection.js';
import { shownAnalysisSql } from './qualityOverrideRepository.js';
import type { PackKey } from './searchRepository.js';
import { StoredLabelsSchema } from './analysisColumns.js';
import { parseJsonColumn } from './jsonColumn.js';

/** Parts of a cohort statement built by main/cohorts/cohortSql.ts: fixed SQL text plus bound values. */
export interface CohortStatement {
  cte: string;
  cteParams: unknown[];
  where: string;
  whereParams: unknown[];
}

export interface CohortExportRecord {
  query: string;
  pack: PackKey | null;
  format: 'csv' | 'coco';
  path: string;
  rowCount: number;
}

/** The rows of a cohort statement start from these joins (aliases i, se, st, p). */
const FROM = `instances i
  JOIN series se ON se.id = i.series_id
  JOIN studies st ON st.id = se.study_id
  JOIN patients p ON p.id = st.patient_row_id`;

/**
 * Cohort queries over the whole index, and the derived per-label probability table they compare against.
 */
export class CohortRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Brings cohort_findings in step with analyses: copies the per-label probabilities of analyses not yet copied or
   * redone since (their created_at moved on). Deleted analyses take their rows with them (foreign keys). Returns
   * how many analyses were copied.
   */
  syncFindings(): number {
    const stale = this.db
      .statement(
        `SELECT a.id, a.instance_id, a.pack_id, a.pack_version, a.labels, a.probabilities, a.created_at
         FROM analyses a LEFT JOIN cohort_findings_sync s ON s.analysis_id = a.id
         WHERE s.analysis_id IS NULL OR s.analysed_at <> a.created_at`,
      )
      .all() as { id: number; instance_id: number; pack_id: string; pack_version: string; labels: string; probabilities: Buffer; created_at: string }[];
    if (!stale.length) return 0;
    const del = this.db.statement('DELETE FROM cohort_findings WHERE analysis_id = ?');
    const ins = this.db.statement(
      'INSERT INTO cohort_findings (analysis_id, label, instance_id, pack_id, pack_version, probability) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const mark = this.db.statement(
      'INSERT INTO cohort_findings_sync (analysis_id, analysed_at) VALUES (?, ?) ON CONFLICT (analysis_id) DO UPDATE SET analysed_at = excluded.analysed_at',
    );
    this.db.transaction(() => {
      for (const a of stale) {
        const labels = parseJsonColumn(StoredLabelsSchema, a.labels, `labels of analysis ${a.id}`);
        const copy = new Uint8Array(a.probabilities.byteLength);
        copy.set(a.probabilities);
        const probs = new Float32Array(copy.buffer);
        del.run(a.id);
        labels.forEach((label, i) => {
          const p = probs[i];
          if (p !== undefined && Number.isFinite(p)) ins.run(a.id, label, a.instance_id, a.pack_id, a.pack_version, p);
        });
        mark.run(a.id, a.created_at);
      }
    });
    return stale.length;
  }

  /**
   * The SELECT the `ai_findings` CTE of a cohort statement reads: (instance_id, label, probability, threshold) for
   * one pack version, only for analyses shown (passed the quality gate, or overridden by a reader: a withheld image
   * has no probabilities to query). `threshold` is the validated operating point, NULL for a label without one, so
   * that label is never "called" (a comparison with NULL is never true). Thresholds travel as one bound JSON object.
   */
  findingsSource(pack: PackKey, thresholds: Record<string, number>): { sql: string; params: unknown[] } {
    return {
      sql: `SELECT cf.instance_id, cf.label, cf.probability, t.value AS threshold
            FROM cohort_findings cf JOIN analyses a ON a.id = cf.analysis_id LEFT JOIN json_each(?) t ON t.key = cf.label
            WHERE cf.pack_id = ? AND cf.pack_version = ? AND ${shownAnalysisSql('a')}`,
      params: [JSON.stringify(thresholds), pack.packId, pack.packVersion],
    };
  }

  /** Matching image ids, newest study first, one page, and the total. */
  query(s: CohortStatement, page: { offset: number; limit: number }): { total: number; ids: number[] } {
    const total = this.db.statement(`${s.cte}SELECT count(*) FROM ${FROM} WHERE ${s.where}`).pluck().get(...s.cteParams, ...s.whereParams) as number;
    const ids = this.db
      .statement(`${s.cte}SELECT i.id FROM ${FROM} WHERE ${s.where} ORDER BY st.date IS NULL, st.date DESC, i.id LIMIT ? OFFSET ?`)
      .pluck()
      .all(...s.cteParams, ...s.whereParams, page.limit, page.offset) as number[];
    return { total, ids };
  }

  /** Every matching image id (exports), in the same order as `query`. */
  allIds(s: CohortStatement): number[] {
    return this.db
      .statement(`${s.cte}SELECT i.id FROM ${FROM} WHERE ${s.where} ORDER BY st.date IS NULL, st.date DESC, i.id`)
      .pluck()
      .all(...s.cteParams, ...s.whereParams) as number[];
  }

  recordExport(rec: CohortExportRecord): number {
    return this.db
      .statement(
        `INSERT INTO cohort_exports (query, pack_id, pack_version, format, path, row_count, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .pluck()
      .get(rec.query, rec.pack?.packId ?? null, rec.pack?.packVersion ?? null, rec.format, rec.path, rec.rowCount, this.clock().toISOString()) as number;
  }

  /** Path (relative to the data directory) of an export, or null. */
  exportPath(id: number): string | null {
    return (this.db.statement('SELECT path FROM cohort_exports WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
  }
}
