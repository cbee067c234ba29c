import type { CohortNode, Comparison } from './queryLanguage.js';

/**
 * Turns a parsed cohort query into one parameterised SQL statement over the index: one row per image (instance).
 * Every value from the query travels as a bound parameter; only fixed SQL fragments chosen by the tree's shape (and
 * comparison operators from a closed set) are concatenated.
 */

/** Where the AI's per-image probabilities come from; the repository supplies it for the active pack. */
export interface FindingsSource {
  /**
   * A SELECT yielding columns (instance_id, label, probability, threshold) — one row per image and label of the
   * latest analysis by the active pack. It becomes the CTE `ai_findings`.
   */
  sql: string;
  params: unknown[];
}

export interface CohortSqlOptions {
  findings: FindingsSource | null;
}

export interface BuiltSql {
  /** `WITH ... SELECT i.id FROM ... WHERE ...` yielding instance ids; callers wrap it for counts and pages. */
  cte: string;
  cteParams: unknown[];
  where: string;
  whereParams: unknown[];
}

/** A condition that cannot be answered in this database (no analyses, no reports): the message says why. */
export class CohortUnsupportedError extends Error {}

const OPS: Record<Comparison, string> = { '=': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

export function buildCohortSql(tree: CohortNode, options: CohortSqlOptions): BuiltSql {
  const params: unknown[] = [];
  const needFindings = { used: false };

  const visit = (node: CohortNode): string => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${node.items.map(visit).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${visit(node.item)})`;
      case 'probability':
        requireFindings(node.label);
        params.push(node.label, node.value);
        return `EXISTS (SELECT 1 FROM ai_findings f WHERE f.instance_id = i.id AND f.label = ? AND f.probability ${OPS[node.op]} ?)`;
      case 'positive':
        requireFindings(node.label);
        params.push(node.label);
        return 'EXISTS (SELECT 1 FROM ai_findings f WHERE f.instance_id = i.id AND f.label = ? AND f.probability >= f.threshold)';
      case 'reference':
        params.push(node.label);
        return 'EXISTS (SELECT 1 FROM reference_findings rf WHERE rf.instance_id = i.id AND rf.label = ? COLLATE NOCASE)';
      case 'normal':
        // The importer stores no row for "No Finding": an image with no reference row is a normal one.
        return 'NOT EXISTS (SELECT 1 FROM reference_findings rf WHERE rf.instance_id = i.id)';
      case 'text':
        // One FTS5 phrase: the text is quoted (inner quotes doubled) and bound, so FTS operators in it are inert.
        params.push(`"${node.text.replace(/"/g, '""')}"`);
        return 'st.id IN (SELECT r.study_id FROM reports r JOIN reports_fts ON reports_fts.rowid = r.id WHERE reports_fts MATCH ?)';
      case 'field': {
        params.push(node.value);
        const op = OPS[node.op];
        switch (node.field) {
          case 'sex':
            return `p.sex ${op} ?`;
          case 'age':
            return `st.age_years ${op} ?`;
          case 'date':
            return `st.date ${op} ?`;
          case 'view':
            return `i.view_position ${op} ? COLLATE NOCASE`;
          case 'modality':
            return `se.modality ${op} ? COLLATE NOCASE`;
          case 'patient':
            return `st.patient_id ${op} ?`;
          case 'status':
            return `st.status ${op} ?`;
        }
      }
    }
  };
  const requireFindings = (label: string) => {
    if (!options.findings) {
      throw new CohortUnsupportedError(`conditions on AI findings (${label}) need analyses by the active model pack, and there are none in this database`);
    }
    needFindings.used = true;
  };

  const where = visit(tree);
  const useCte = needFindings.used && options.findings;
  return {
    cte: useCte ? `WITH ai_findings AS (${options.findings!.sql}) ` : '',
    cteParams: useCte ? [...options.findings!.params] : [],
    where,
    whereParams: params,
  };
}
