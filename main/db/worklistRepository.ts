import type { WorklistPage, WorklistQueryParsed } from '../api/studies.js';
import type { DbHandle } from './connection.js';
import { toFtsQuery } from './ftsQuery.js';
import { STUDY_SUMMARY_COLUMNS, toStudySummary, type StudySummaryRow } from './studyRows.js';

/**
 * ORDER BY clauses per sort, each served by an index of 0020-create-studies (the id tie-breaker keeps pages stable).
 * 'abnormality' puts unanalysed studies (null probability) last in both directions.
 */
const ORDER_BY: Record<WorklistQueryParsed['sort']['field'], { asc: string; desc: string }> = {
  date: { asc: 's.date ASC, s.id ASC', desc: 's.date DESC, s.id DESC' },
  name: { asc: 's.patient_name COLLATE NOCASE ASC, s.id ASC', desc: 's.patient_name COLLATE NOCASE DESC, s.id DESC' },
  patientId: { asc: 's.patient_id ASC, s.id ASC', desc: 's.patient_id DESC, s.id DESC' },
  imported: { asc: 's.imported_at ASC, s.id ASC', desc: 's.imported_at DESC, s.id DESC' },
  abnormality: {
    asc: 's.max_probability IS NULL, s.max_probability ASC, s.id ASC',
    desc: 's.max_probability DESC, s.id DESC',
  },
};

/**
 * The worklist query. The SQL text is assembled only from the fixed fragments below (which filters are present,
 * which sort); every value is a bound parameter, and each distinct shape is prepared once and cached.
 */
export class WorklistRepository {
  constructor(private readonly db: DbHandle) {}

  query(q: WorklistQueryParsed): WorklistPage {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const match = q.text === undefined ? null : toFtsQuery(q.text);
    if (match !== null) {
      where.push('s.id IN (SELECT rowid FROM study_fts WHERE study_fts MATCH @match)');
      params.match = match;
    }
    if (q.dateFrom !== undefined) {
      where.push('s.date >= @dateFrom');
      params.dateFrom = q.dateFrom;
    }
    if (q.dateTo !== undefined) {
      where.push('s.date <= @dateTo');
      params.dateTo = q.dateTo;
    }
    if (q.modality !== undefined && q.modality.trim() !== '') {
      where.push('s.id IN (SELECT study_id FROM series WHERE modality = @modality)');
      params.modality = q.modality.trim().toUpperCase();
    }
    if (q.hasAi !== undefined) where.push(q.hasAi ? "s.ai_status = 'done'" : "s.ai_status <> 'done'");
    if (q.finding !== undefined && q.finding.trim() !== '') {
      where.push('s.id IN (SELECT study_id FROM study_labels WHERE label = @finding)');
      params.finding = q.finding.trim();
    }
    if (q.status !== undefined) {
      where.push('s.status = @status');
      params.status = q.status;
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const orderSql = ORDER_BY[q.sort.field][q.sort.dir];

    const total = this.db.statement(`SELECT count(*) FROM studies s ${whereSql}`).pluck().get(params) as number;
    if (total === 0 || q.offset >= total) return { total, offset: q.offset, items: [] };

    // Ids first (an index walk, even for a deep page), then the columns of just those rows.
    const ids = this.db
      .statement(`SELECT s.id FROM studies s ${whereSql} ORDER BY ${orderSql} LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({ ...params, limit: q.limit, offset: q.offset }) as number[];
    const rows = this.db
      .statement(
        `SELECT ${STUDY_SUMMARY_COLUMNS} FROM studies s JOIN patients p ON p.id = s.patient_row_id
         WHERE s.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as StudySummaryRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toStudySummary(row)] : [];
    });
    return { total, offset: q.offset, items };
  }
}
