import type { AuditEntry } from '../api/audit.js';

/** Column order of the exported CSV (RFC 4180, CRLF line ends, UTF-8). */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'study_id',
  'model_pack',
  'model_version',
  'threshold_version',
  'detail',
] as const;

/**
 * Quotes one CSV field. A leading `=`, `+`, `-`, `@` is prefixed with `'` so that a spreadsheet opening the export
 * never runs a formula someone typed as an actor name (CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function auditCsvHeader(): string {
  return AUDIT_CSV_COLUMNS.join(',') + '\r\n';
}

export function auditCsvRow(e: AuditEntry): string {
  return (
    [
      e.id,
      e.at,
      e.actor,
      e.action,
      e.entityType,
      e.entityId,
      e.studyId,
      e.modelPack,
      e.modelVersion,
      e.thresholdVersion,
      JSON.stringify(e.detail),
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

/** The whole CSV for a list of entries (header first). */
export function auditToCsv(entries: Iterable<AuditEntry>): string {
  let out = auditCsvHeader();
  for (const e of entries) out += auditCsvRow(e);
  return out;
}
