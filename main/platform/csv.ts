import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV reader and the one CSV writer of the workstation (csv-parse / csv-stringify): sidecar label files,
 * calibration sets, audit and cohort exports all go through here, so quoting and the formula guard are written once.
 */

/** RFC 4180 rows of fields: quoted fields, doubled quotes, CRLF or LF, a BOM stripped; blank lines skipped. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
}

/** Rows as objects keyed by the (trimmed) header names; missing cells read as ''. Values are trimmed. */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return rows.map((r) => Object.fromEntries(names.map((h, i) => [h, (r[i] ?? '').trim()])));
}

/**
 * A text cell a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or carriage return: CSV
 * injection) gets a leading `'`, so an actor name or a DICOM field typed as `=HYPERLINK(...)` stays text. Numbers are
 * left alone.
 */
export function neutraliseFormula(value: string | number | null | undefined): string | number | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV (CRLF line ends, fields quoted where needed), every text cell through the formula guard. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return stringify(
    rows.map((r) => r.map(neutraliseFormula)),
    // Quote line breaks of either kind (the record delimiter is CRLF) and edge whitespace a spreadsheet would trim.
    { record_delimiter: 'windows', quoted_match: [/[\r\n]/, /^\s|\s$/], cast: { number: (n) => String(n) } },
  );
}
