/**
 * The cohort query language: a small boolean language over the whole index, parsed into a syntax tree that
 * cohortSql.ts turns into parameterised SQL (values are never spliced into SQL text).
 *
 * ```
 * query     := or
 * or        := and ("OR" and)*
 * and       := unary ("AND" unary)*
 * unary     := "NOT" unary | "(" or ")" | term
 * term      := LABEL op NUMBER        AI probability of a finding (latest analysis by the active pack), 0..1
 *            | LABEL | ai:LABEL       AI called at a validated operating point (never for a label not calibrated)
 *            | ref:LABEL              reference (ground-truth) label of the image; ref:normal = no positive label
 *            | FIELD op VALUE         sex (M/F/O), age (years), date (YYYY-MM-DD), view (PA/AP/LL...),
 *                                     modality (CR/DX...), patient (ID), status (unread/in_progress/reported/final)
 *            | report:"words"         full text of the study's reports (FTS5 phrase)
 * op        := "=" | "!=" | ">" | ">=" | "<" | "<="
 * ```
 * Keywords are case-insensitive; labels match the pack's labels case-insensitively; quote values with spaces
 * (`ref:"Pleural Thickening"`). Example: `Effusion>0.6 AND sex=F AND age>=60 AND ref:Cardiomegaly AND date>=2020-01-01`.
 */

export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type Field = 'sex' | 'age' | 'date' | 'view' | 'modality' | 'patient' | 'status';

export type CohortNode =
  | { kind: 'and'; items: CohortNode[] }
  | { kind: 'or'; items: CohortNode[] }
  | { kind: 'not'; item: CohortNode }
  | { kind: 'probability'; label: string; op: Comparison; value: number }
  | { kind: 'positive'; label: string }
  | { kind: 'reference'; label: string }
  | { kind: 'normal' }
  | { kind: 'field'; field: Field; op: Comparison; value: string | number }
  | { kind: 'text'; text: string };

/** A parse error with the 1-based column where it happened. */
export class CohortQueryError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
    this.name = 'CohortQueryError';
  }
}

export interface ParseOptions {
  /** The finding labels the active pack knows; a label outside this list is an error that lists them. */
  labels: readonly string[];
}

type Token =
  | { type: 'word'; value: string; pos: number; quoted: boolean }
  | { type: 'op'; value: Comparison; pos: number }
  | { type: 'colon' | 'lparen' | 'rparen'; pos: number }
  | { type: 'end'; pos: number };

const FIELDS: readonly Field[] = ['sex', 'age', 'date', 'view', 'modality', 'patient', 'status'];
const STATUSES = ['unread', 'in_progress', 'reported', 'final'];
const MAX_QUERY_LENGTH = 2000;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(') tokens.push({ type: 'lparen', pos: i++ });
    else if (ch === ')') tokens.push({ type: 'rparen', pos: i++ });
    else if (ch === ':') tokens.push({ type: 'colon', pos: i++ });
    else if (ch === '"') {
      const start = i++;
      let value = '';
      while (i < text.length && text[i] !== '"') value += text[i++];
      if (i >= text.length) throw new CohortQueryError('unterminated quoted value', start + 1);
      i++;
      tokens.push({ type: 'word', value, pos: start, quoted: true });
    } else if ('<>=!'.includes(ch)) {
      const two = text.slice(i, i + 2);
      const op = (['>=', '<=', '!='] as const).find((o) => o === two) ?? (['>', '<', '='] as const).find((o) => o === ch);
      if (!op) throw new CohortQueryError(`unexpected "${ch}"; comparisons are = != > >= < <=`, i + 1);
      tokens.push({ type: 'op', value: op, pos: i });
      i += op.length;
    } else {
      const start = i;
      while (i < text.length && /[^\s()<>=!:"]/.test(text[i]!)) i++;
      tokens.push({ type: 'word', value: text.slice(start, i), pos: start, quoted: false });
    }
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}

/** Parses a cohort query; throws CohortQueryError naming the column and the problem. */
export function parseCohortQuery(text: string, options: ParseOptions): CohortNode {
  if (text.length > MAX_QUERY_LENGTH) throw new CohortQueryError(`query is longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  const tokens = tokenize(text);
  let p = 0;
  const peek = () => tokens[p]!;
  const next = () => tokens[p++]!;
  const isKeyword = (t: Token, kw: string) => t.type === 'word' && !t.quoted && t.value.toUpperCase() === kw;
  const labelIndex = new Map(options.labels.map((l) => [l.toLowerCase(), l]));
  const where = (t: Token) => t.pos + 1;

  const label = (t: Token & { type: 'word' }): string => {
    const known = labelIndex.get(t.value.toLowerCase()) ?? labelIndex.get(t.value.toLowerCase().replace(/ /g, '_'));
    if (!known) {
      throw new CohortQueryError(
        `unknown finding "${t.value}"; known findings: ${options.labels.join(', ')}; fields: ${FIELDS.join(', ')}`,
        where(t),
      );
    }
    return known;
  };

  const parseOr = (): CohortNode => {
    const items = [parseAnd()];
    while (isKeyword(peek(), 'OR')) {
      next();
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (): CohortNode => {
    const items = [parseUnary()];
    for (;;) {
      const t = peek();
      if (isKeyword(t, 'AND')) {
        next();
        items.push(parseUnary());
      } else if ((t.type === 'word' && !isKeyword(t, 'OR')) || t.type === 'lparen') {
        throw new CohortQueryError(`expected AND, OR or the end before "${t.type === 'word' ? t.value : '('}"`, where(t));
      } else break;
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseUnary = (): CohortNode => {
    const t = peek();
    if (isKeyword(t, 'NOT')) {
      next();
      return { kind: 'not', item: parseUnary() };
    }
    if (t.type === 'lparen') {
      next();
      const inner = parseOr();
      const close = next();
      if (close.type !== 'rparen') throw new CohortQueryError('expected ")"', where(close));
      return inner;
    }
    return parseTerm();
  };
  const parseTerm = (): CohortNode => {
    const t = next();
    if (t.type !== 'word') {
      throw new CohortQueryError(t.type === 'end' ? 'the query ended where a condition was expected' : 'expected a condition', where(t));
    }
    if (!t.quoted && (isKeyword(t, 'AND') || isKeyword(t, 'OR'))) throw new CohortQueryError(`"${t.value}" needs a condition before it`, where(t));
    if (peek().type === 'colon') {
      next();
      const v = next();
      if (v.type !== 'word') throw new CohortQueryError(`expected a value after "${t.value}:"`, where(v));
      const prefix = t.value.toLowerCase();
      if (prefix === 'ref') {
        const lower = v.value.toLowerCase();
        if (lower === 'normal' || lower === 'no finding' || lower === 'no_finding') return { kind: 'normal' };
        return { kind: 'reference', label: label(v) };
      }
      if (prefix === 'ai') return { kind: 'positive', label: label(v) };
      if (prefix === 'report' || prefix === 'text') {
        if (!v.value.trim()) throw new CohortQueryError('report text is empty', where(v));
        return { kind: 'text', text: v.value };
      }
      throw new CohortQueryError(`unknown prefix "${t.value}:"; use ref:, ai: or report:`, where(t));
    }
    if (peek().type === 'op') {
      const opToken = next() as Token & { type: 'op' };
      const v = next();
      if (v.type !== 'word') throw new CohortQueryError(`expected a value after "${opToken.value}"`, where(v));
      const fieldName = t.value.toLowerCase() as Field;
      if (!t.quoted && FIELDS.includes(fieldName)) return field(fieldName, opToken.value, v, where(v));
      const known = label(t);
      const value = Number(v.value);
      if (v.quoted || !Number.isFinite(value) || value < 0 || value > 1) {
        throw new CohortQueryError(`a probability for ${known} must be a number from 0 to 1, got "${v.value}"`, where(v));
      }
      return { kind: 'probability', label: known, op: opToken.value, value };
    }
    return { kind: 'positive', label: label(t) };
  };

  const field = (f: Field, op: Comparison, v: Token & { type: 'word' }, col: number): CohortNode => {
    const equalityOnly = ['sex', 'view', 'modality', 'patient', 'status'].includes(f);
    if (equalityOnly && op !== '=' && op !== '!=') throw new CohortQueryError(`${f} compares with = or != only`, col);
    switch (f) {
      case 'sex': {
        const s = v.value.toUpperCase();
        if (!['M', 'F', 'O'].includes(s)) throw new CohortQueryError(`sex is M, F or O, got "${v.value}"`, col);
        return { kind: 'field', field: f, op, value: s };
      }
      case 'age': {
        const n = Number(v.value);
        if (!Number.isFinite(n) || n < 0 || n > 150) throw new CohortQueryError(`age is a number of years, got "${v.value}"`, col);
        return { kind: 'field', field: f, op, value: n };
      }
      case 'date': {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v.value) || Number.isNaN(Date.parse(v.value))) {
          throw new CohortQueryError(`date is YYYY-MM-DD, got "${v.value}"`, col);
        }
        return { kind: 'field', field: f, op, value: v.value };
      }
      case 'status': {
        const s = v.value.toLowerCase();
        if (!STATUSES.includes(s)) throw new CohortQueryError(`status is one of ${STATUSES.join(', ')}, got "${v.value}"`, col);
        return { kind: 'field', field: f, op, value: s };
      }
      default:
        return { kind: 'field', field: f, op, value: v.value };
    }
  };

  if (!text.trim()) throw new CohortQueryError('the query is empty', 1);
  const tree = parseOr();
  const end = peek();
  if (end.type !== 'end') throw new CohortQueryError(end.type === 'rparen' ? 'unmatched ")"' : 'unexpected text', where(end));
  return tree;
}

/** The canonical text of a parsed query (what the UI shows back, and what is stored with an export). */
export function formatCohortQuery(node: CohortNode, nested = false): string {
  const quote = (s: string) => (/^[^\s()<>=!:"]+$/.test(s) ? s : `"${s}"`);
  switch (node.kind) {
    case 'and':
    case 'or': {
      const inner = node.items.map((i) => formatCohortQuery(i, true)).join(node.kind === 'and' ? ' AND ' : ' OR ');
      return nested ? `(${inner})` : inner;
    }
    case 'not':
      return `NOT ${formatCohortQuery(node.item, true)}`;
    case 'probability':
      return `${quote(node.label)}${node.op}${node.value}`;
    case 'positive':
      return `ai:${quote(node.label)}`;
    case 'reference':
      return `ref:${quote(node.label)}`;
    case 'normal':
      return 'ref:normal';
    case 'field':
      return `${node.field}${node.op}${quote(String(node.value))}`;
    case 'text':
      return `report:"${node.text}"`;
  }
}
