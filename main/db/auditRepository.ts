import type { AuditAction, AuditEntry, AuditQuery } from '../api/audit.js';
import { AuditQuerySchema } from '../api/audit.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { DbHandle } from './connection.js';

/** What a caller supplies for one audit entry; `at` defaults to now. */
export interface NewAuditEntry {
  actor: string;
  action: AuditAction;
  /** `study`, `instance`, `report`, `template`, `analysis`... */
  entityType: string;
  entityId: string | number;
  studyId?: number | null;
  /** Model pack name, version and threshold (calibration) version in force, for AI actions. */
  modelPack?: string | null;
  modelVersion?: string | null;
  thresholdVersion?: string | null;
  detail?: Record<string, unknown>;
  at?: Date;
}

/**
 * Appends one entry to the append-only audit log and returns its id. Any service may call it, inside or outside its
 * own transaction:
 *
 * ```ts
 * import { appendAudit } from '../db/auditRepository.js';
 * appendAudit(ctx.db, { actor: 'Dr Silva', action: 'analyse', entityType: 'instance', entityId: 42, studyId: 7,
 *   modelPack: 'cxr14-densenet121-demo', modelVersion: '1.0.0', thresholdVersion: 'cal-2026-01' });
 * ```
 */
export function appendAudit(db: DbHandle, entry: NewAuditEntry, clock: Clock = systemClock): number {
  const at = (entry.at ?? clock()).toISOString();
  const info = db
    .statement(
      `INSERT INTO audit_log (at, actor, action, entity_type, entity_id, study_id, model_pack, model_version, threshold_version, detail_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      at,
      entry.actor,
      entry.action,
      entry.entityType,
      String(entry.entityId),
      entry.studyId ?? null,
      entry.modelPack ?? null,
      entry.modelVersion ?? null,
      entry.thresholdVersion ?? null,
      JSON.stringify(entry.detail ?? {}),
    );
  return Number(info.lastInsertRowid);
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  study_id: number | null;
  model_pack: string | null;
  model_version: string | null;
  threshold_version: string | null;
  detail_json: string;
}

// One static statement whose filters switch off when their parameter is NULL: bound values only, cached once.
const FILTER = `
  (:action IS NULL OR action = :action)
  AND (:actor IS NULL OR actor = :actor)
  AND (:studyId IS NULL OR study_id = :studyId)
  AND (:entityType IS NULL OR entity_type = :entityType)
  AND (:entityId IS NULL OR entity_id = :entityId)
  AND (:from IS NULL OR at >= :from)
  AND (:to IS NULL OR at <= :to)`;

function filterParams(q: AuditQuery) {
  // A bare date as upper bound means the whole day.
  const to = q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? `${q.to}T23:59:59.999Z` : q.to;
  return {
    action: q.action ?? null,
    actor: q.actor ?? null,
    studyId: q.studyId ?? null,
    entityType: q.entityType ?? null,
    entityId: q.entityId ?? null,
    from: q.from ?? null,
    to: to ?? null,
  };
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action as AuditAction,
    entityType: r.entity_type,
    entityId: r.entity_id,
    studyId: r.study_id,
    modelPack: r.model_pack,
    modelVersion: r.model_version,
    thresholdVersion: r.threshold_version,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
  };
}

/** A page of the audit log, newest first. */
export function listAudit(db: DbHandle, query: AuditQuery = {}): { total: number; offset: number; items: AuditEntry[] } {
  const q = AuditQuerySchema.parse(query);
  const params = filterParams(q);
  const total = (db.statement(`SELECT count(*) AS n FROM audit_log WHERE ${FILTER}`).get(params) as { n: number }).n;
  const rows = db
    .statement(`SELECT * FROM audit_log WHERE ${FILTER} ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset`)
    .all({ ...params, limit: q.limit, offset: q.offset }) as AuditRow[];
  return { total, offset: q.offset, items: rows.map(toEntry) };
}

/** Every matching entry, oldest first (for CSV export); iterates so a long log is not loaded twice. */
export function* iterateAudit(db: DbHandle, query: Omit<AuditQuery, 'offset' | 'limit'> = {}): Generator<AuditEntry> {
  const params = filterParams(query);
  for (const row of db.statement(`SELECT * FROM audit_log WHERE ${FILTER} ORDER BY at, id`).iterate(params)) {
    yield toEntry(row as AuditRow);
  }
}

/** The audit log as one object, for the composition root to hand to the domains that write or read it. */
export class AuditRepository {
  constructor(
    private readonly db: DbHandle,
    private readonly clock: Clock = systemClock,
  ) {}

  append(entry: NewAuditEntry): number {
    return appendAudit(this.db, entry, this.clock);
  }

  list(query: AuditQuery = {}): { total: number; offset: number; items: AuditEntry[] } {
    return listAudit(this.db, query);
  }

  iterate(query: Omit<AuditQuery, 'offset' | 'limit'> = {}): Generator<AuditEntry> {
    return iterateAudit(this.db, query);
  }
}
