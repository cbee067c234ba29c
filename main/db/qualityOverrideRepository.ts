import type { DbHandle } from './connection.js';

export interface QualityOverride {
  analysisId: number;
  actor: string;
  reason: string;
  at: string;
}

/**
 * SQL condition: analysis `alias` may be shown (it passed the quality gate, or a reader overrode the gate for it as
 * it is now). Every query that reads AI results for display, summaries, cohorts or search uses it.
 */
export function shownAnalysisSql(alias: string): string {
  return `(${alias}.quality_ok = 1 OR EXISTS (SELECT 1 FROM quality_overrides qo WHERE qo.analysis_id = ${alias}.id AND qo.analysed_at = ${alias}.created_at))`;
}

/** Readers' overrides of the quality/view gate, one per analysis version. */
export class QualityOverrideRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Records (or replaces) the override of an analysis as it is now; false when there is no such analysis. */
  record(analysisId: number, actor: string, reason: string): boolean {
    const r = this.db
      .statement(
        `INSERT INTO quality_overrides (analysis_id, analysed_at, actor, reason, created_at)
         SELECT id, created_at, ?, ?, ? FROM analyses WHERE id = ?
         ON CONFLICT (analysis_id) DO UPDATE SET analysed_at = excluded.analysed_at, actor = excluded.actor, reason = excluded.reason, created_at = excluded.created_at`,
      )
      .run(actor, reason, this.clock().toISOString(), analysisId);
    return r.changes > 0;
  }

  /** The override in force for an analysis (made on its current version), or null. */
  get(analysisId: number): QualityOverride | null {
    const r = this.db
      .statement(
        `SELECT qo.analysis_id, qo.actor, qo.reason, qo.created_at FROM quality_overrides qo JOIN analyses a ON a.id = qo.analysis_id
         WHERE qo.analysis_id = ? AND qo.analysed_at = a.created_at`,
      )
      .get(analysisId) as { analysis_id: number; actor: string; reason: string; created_at: string } | undefined;
    return r ? { analysisId: r.analysis_id, actor: r.actor, reason: r.reason, at: r.created_at } : null;
  }
}
