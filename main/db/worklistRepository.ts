import type { WorklistPage, WorklistQueryParsed } from '../api/studies.js';
import type { DbHandle } from './connection.js';
import { toFtsQuery, toIdSubstringQuery } from './ftsQuery.js';
import { STUDY_SUMMARY_COLUMNS, toStudySummary, type StudySummaryRow } from './studyRows.js';

type SortField = WorklistQueryParsed['sort']['field'];

/**
 * How a page is found (see {@link WorklistRepository}): by cost ('auto'), or forced: walking the sort index and
 * testing filters per row (the search as a list of matches, or probed per row), or collecting matches and sorting.
 */
export type WorklistPlan = 'auto' | 'walk' | 'walkProbingText' | 'collect';

/**
 * ORDER BY clauses per sort, each served by an index of 0020-create-studies (the id tie-breaker keeps pages stable).
 * 'abnormality' puts unanalysed studies (null probability) last in both directions. `sorted` is the same order
 * written so that no index matches it (unary +), which makes SQLite collect the matching rows and sort them.
 */
const ORDER_BY: Record<SortField, Record<'asc' | 'desc', { indexed: string; sorted: string }>> = {
  date: {
    asc: { indexed: 's.date ASC, s.id ASC', sorted: '+s.date ASC, +s.id ASC' },
    desc: { indexed: 's.date DESC, s.id DESC', sorted: '+s.date DESC, +s.id DESC' },
  },
  name: {
    asc: { indexed: 's.patient_name COLLATE NOCASE ASC, s.id ASC', sorted: '+s.patient_name COLLATE NOCASE ASC, +s.id ASC' },
    desc: { indexed: 's.patient_name COLLATE NOCASE DESC, s.id DESC', sorted: '+s.patient_name COLLATE NOCASE DESC, +s.id DESC' },
  },
  patientId: {
    asc: { indexed: 's.patient_id ASC, s.id ASC', sorted: '+s.patient_id ASC, +s.id ASC' },
    desc: { indexed: 's.patient_id DESC, s.id DESC', sorted: '+s.patient_id DESC, +s.id DESC' },
  },
  imported: {
    asc: { indexed: 's.imported_at ASC, s.id ASC', sorted: '+s.imported_at ASC, +s.id ASC' },
    desc: { indexed: 's.imported_at DESC, s.id DESC', sorted: '+s.imported_at DESC, +s.id DESC' },
  },
  abnormality: {
    asc: { indexed: 's.max_probability IS NULL, s.max_probability ASC, s.id ASC', sorted: '+s.max_probability IS NULL, +s.max_probability ASC, +s.id ASC' },
    desc: { indexed: 's.max_probability DESC, s.id DESC', sorted: '+s.max_probability DESC, +s.id DESC' },
  },
  // Studies without a triage (not analysed) last in both directions (index of 0370-add-study-triage).
  triage: {
    asc: { indexed: 's.triage_score IS NULL, s.triage_score ASC, s.id ASC', sorted: '+s.triage_score IS NULL, +s.triage_score ASC, +s.id ASC' },
    desc: { indexed: 's.triage_score DESC, s.id DESC', sorted: '+s.triage_score DESC, +s.id DESC' },
  },
};

/**
 * One WHERE term in two spellings: `lookup` may drive the query through an index; `check` (unary + on the column)
 * may not, so it is tested row by row while the query walks the sort order's index instead.
 */
interface Term {
  lookup: string;
  check: string;
}

/**
 * How many times dearer one FTS probe for one study (`MATCH ... AND rowid = ?`) is than adding one id to the list of
 * all matches (measured at 100,000 studies: ~50 µs against ~1 µs). Walking a page past few rows, probing wins;
 * past many, listing every match once does.
 */
const FTS_PROBE_COST = 50;

/**
 * The worklist query. The SQL text is assembled only from the fixed fragments in this file (which filters are
 * present, which sort, which plan); every value is a bound parameter, and each distinct shape is prepared once.
 *
 * Plan: the total is counted first (SQLite picks the most selective index). Then the page is found one of two ways,
 * whichever reads fewer rows: walking the sort's index and testing each study against the filters, which reads
 * about (offset + limit) * studies / total rows; or collecting the `total` matching studies and sorting them.
 * A broad filter walks, a narrow one (a rare finding, a specific name) collects — SQLite's own choice depends on
 * statistics that a fresh or growing index does not have, and a wrong one costs 100 ms at 100,000 studies.
 */
export class WorklistRepository {
  constructor(
    private readonly db: DbHandle,
    /** Tests force each plan to check that all of them answer alike; the default chooses by cost. */
    private readonly plan: WorklistPlan = 'auto',
  ) {}

  query(q: WorklistQueryParsed): WorklistPage {
    const terms: Term[] = [];
    const params: Record<string, string | number> = {};
    const sortsByDate = q.sort.field === 'date';

    const match = q.text === undefined ? null : toFtsQuery(q.text);
    // Words match as prefixes; the whole text also matches inside a patient ID or accession (trigram index).
    const idMatch = match === null || q.text === undefined ? null : toIdSubstringQuery(q.text);
    const ftsRows = 'SELECT rowid FROM study_fts WHERE study_fts MATCH @match';
    const textRows = idMatch === null ? ftsRows : `${ftsRows} UNION SELECT rowid FROM study_id_trigram WHERE study_id_trigram MATCH @idMatch`;
    const ftsList = `IN (${textRows})`;
    const textTerm: Term | null = match === null ? null : { lookup: `s.id ${ftsList}`, check: `+s.id ${ftsList}` };
    if (textTerm) {
      terms.push(textTerm);
      params.match = match!;
      if (idMatch !== null) params.idMatch = idMatch;
    }
    if (q.dateFrom !== undefined) {
      // A date range on a date-sorted list is a range of the very index it walks: keep it usable then.
      terms.push({ lookup: 's.date >= @dateFrom', check: sortsByDate ? 's.date >= @dateFrom' : '+s.date >= @dateFrom' });
      params.dateFrom = q.dateFrom;
    }
    if (q.dateTo !== undefined) {
      terms.push({ lookup: 's.date <= @dateTo', check: sortsByDate ? 's.date <= @dateTo' : '+s.date <= @dateTo' });
      params.dateTo = q.dateTo;
    }
    let modalityTerm: Term | null = null;
    if (q.modality !== undefined && q.modality.trim() !== '') {
      // Probed per study: a modality matches half the index, too many rows to collect first.
      const exists = 'EXISTS (SELECT 1 FROM series se WHERE se.study_id = s.id AND se.modality = @modality)';
      modalityTerm = { lookup: exists, check: exists };
      terms.push(modalityTerm);
      params.modality = q.modality.trim().toUpperCase();
    }
    if (q.hasAi !== undefined) {
      terms.push(
        q.hasAi
          ? { lookup: "s.ai_status = 'done'", check: "+s.ai_status = 'done'" }
          : { lookup: "s.ai_status IN ('none', 'queued', 'failed')", check: "+s.ai_status IN ('none', 'queued', 'failed')" },
      );
    }
    let findingTerm: Term | null = null;
    if (q.finding !== undefined && q.finding.trim() !== '') {
      const labels = 'IN (SELECT study_id FROM study_labels WHERE label = @finding)';
      findingTerm = { lookup: `s.id ${labels}`, check: `+s.id ${labels}` };
      terms.push(findingTerm);
      params.finding = q.finding.trim();
    }
    if (q.status !== undefined) {
      terms.push({ lookup: 's.status = @status', check: '+s.status = @status' });
      params.status = q.status;
    }

    const where = (kind: keyof Term) => (terms.length ? `WHERE ${terms.map((t) => t[kind]).join(' AND ')}` : '');
    // A filter on its own is counted in its own index, without reading a row of studies: every study has one FTS
    // row; (modality, study_id) and (label, study_id) list a study once per series or label source.
    const only = terms.length === 1 ? terms[0] : undefined;
    const countSql =
      only === undefined
        ? `SELECT count(*) FROM studies s ${where('lookup')}`
        : only === textTerm
          ? `SELECT count(*) FROM (${textRows})`
          : only === modalityTerm
            ? 'SELECT count(DISTINCT study_id) FROM series WHERE modality = @modality'
            : only === findingTerm
              ? 'SELECT count(DISTINCT study_id) FROM study_labels WHERE label = @finding'
              : `SELECT count(*) FROM studies s ${where('lookup')}`;
    const total = this.db.statement(countSql).pluck().get(params) as number;
    if (total === 0 || q.offset >= total) return { total, offset: q.offset, items: [] };

    // max(id) stands in for the number of studies: exact enough for the choice and answered from the b-tree's edge.
    const studies = (this.db.statement('SELECT max(id) FROM studies').pluck().get() as number | null) ?? total;
    const walkRows = ((q.offset + q.limit) * studies) / total;
    const walk = this.plan === 'auto' ? terms.length === 0 || walkRows <= total : this.plan !== 'collect';
    const probeText = this.plan === 'auto' ? walkRows * FTS_PROBE_COST < total : this.plan === 'walkProbingText';
    if (walk && textTerm && probeText) {
      textTerm.check =
        '(EXISTS (SELECT 1 FROM study_fts f WHERE study_fts MATCH @match AND f.rowid = s.id)' +
        (idMatch === null ? ')' : ' OR EXISTS (SELECT 1 FROM study_id_trigram g WHERE study_id_trigram MATCH @idMatch AND g.rowid = s.id))');
    }
    const order = ORDER_BY[q.sort.field][q.sort.dir];
    const pageSql = walk
      ? `SELECT s.id FROM studies s ${where('check')} ORDER BY ${order.indexed} LIMIT @limit OFFSET @offset`
      : `SELECT s.id FROM studies s ${where('lookup')} ORDER BY ${order.sorted} LIMIT @limit OFFSET @offset`;

    // Ids first (cheap even for a deep page), then the columns of just those rows.
    const ids = this.db.statement(pageSql).pluck().all({ ...params, limit: q.limit, offset: q.offset }) as number[];
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
