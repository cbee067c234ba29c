import type { AuditEntry } from '../api/audit.js';
import { toCsv } from '../platform/csv.js';

/** Column order of the exported CSV (RFC 4180, CRLF line ends, UTF-8; text cells through the one formula guard). */
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

export function auditCsvHeader(): string {
  return toCsv([AUDIT_CSV_COLUMNS]);
}

export function auditCsvRow(e: AuditEntry): string {
  return toCsv([[e.id, e.at, e.actor, e.action, e.entityType, e.entityId, e.studyId, e.modelPack, e.modelVersion, e.thresholdVersion, JSON.stringify(e.detail)]]);
}
