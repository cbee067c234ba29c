import { z } from 'zod';
import { IdSchema, ResourcePathSchema } from './common.js';
import { op } from './operation.js';

/** What was done. Other domains append entries with `appendAudit` (main/audit/appendAudit.ts). */
export const AuditActionSchema = z.enum([
  'view',
  'analyse',
  'edit',
  'draft',
  'preliminary',
  'sign',
  'addendum',
  'export',
  'import',
  'template_save',
  'calibrate',
  'send',
  'retrieve',
  'override_gate',
  /** The reader the workstation acts as was changed (detail: from, to). */
  'reader_set',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEntrySchema = z.object({
  id: IdSchema,
  /** ISO time the entry was written. */
  at: z.string(),
  actor: z.string(),
  action: AuditActionSchema,
  /** What was acted on: `study`, `instance`, `report`, `template`... and its id. */
  entityType: z.string(),
  entityId: z.string(),
  studyId: IdSchema.nullable(),
  modelPack: z.string().nullable(),
  modelVersion: z.string().nullable(),
  thresholdVersion: z.string().nullable(),
  /** Free-form detail (format, file name, state change...). */
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  action: AuditActionSchema.optional(),
  actor: z.string().max(200).optional(),
  studyId: IdSchema.optional(),
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(200).optional(),
  /** ISO date or time bounds, inclusive. */
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(1000).default(100),
});
export type AuditQuery = z.input<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  items: z.array(AuditEntrySchema),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditExportSchema = z.object({
  path: ResourcePathSchema,
  fileName: z.string(),
  rows: z.number().int().nonnegative(),
});

export const auditOperations = {
  'audit:list': op(AuditQuerySchema, AuditPageSchema, 'The audit log, newest first, filtered.'),
  'audit:export': op(AuditQuerySchema.omit({ offset: true, limit: true }), AuditExportSchema, 'The (filtered) audit log as CSV under the data directory.'),
};
