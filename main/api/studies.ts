import { z } from 'zod';
import { IdSchema, IsoDateSchema, ResourcePathSchema } from './common.js';

export const SexSchema = z.enum(['M', 'F', 'O']).nullable();
export const ReadStatusSchema = z.enum(['unread', 'in_progress', 'reported', 'final']);
export const AiStatusSchema = z.enum(['none', 'queued', 'done', 'failed']);

/** `triage`: studies with called findings first, by how far above their operating points (main/findings/triage.ts). */
export const WorklistSortFieldSchema = z.enum(['date', 'name', 'patientId', 'imported', 'abnormality', 'triage']);

export const WorklistQuerySchema = z.object({
  /**
   * Free text over patient name and ID, accession, study/series description, institution (FTS5, prefix match); text
   * of three characters or more also matches anywhere inside a patient ID or accession number ("99999" finds "00099999").
   */
  text: z.string().max(200).optional(),
  dateFrom: IsoDateSchema.optional(),
  dateTo: IsoDateSchema.optional(),
  modality: z.string().max(16).optional(),
  /** true: only studies with at least one analysed image; false: only studies without. */
  hasAi: z.boolean().optional(),
  /** A finding label: studies where the AI called it positive or a reference label says so. */
  finding: z.string().max(64).optional(),
  status: ReadStatusSchema.optional(),
  sort: z
    .object({ field: WorklistSortFieldSchema, dir: z.enum(['asc', 'desc']) })
    .default({ field: 'date', dir: 'desc' }),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(500).default(50),
});
export type WorklistQuery = z.input<typeof WorklistQuerySchema>;
export type WorklistQueryParsed = z.output<typeof WorklistQuerySchema>;

export const StudySummarySchema = z.object({
  id: IdSchema,
  studyInstanceUid: z.string(),
  patientRowId: IdSchema,
  patientId: z.string(),
  patientName: z.string(),
  sex: SexSchema,
  /** Age in years at the study date, from PatientAge or birth date; null when unknown. */
  ageYears: z.number().nullable(),
  date: IsoDateSchema.nullable(),
  description: z.string(),
  accessionNumber: z.string(),
  modalities: z.array(z.string()),
  institution: z.string(),
  status: ReadStatusSchema,
  aiStatus: AiStatusSchema,
  /** Highest AI probability of any finding in the study (for "most abnormal first"); null when not analysed. */
  maxProbability: z.number().nullable(),
  /** The finding the AI called furthest above its operating point; null when none is called (or not analysed). */
  topFinding: z.string().nullable(),
  /** How many findings the AI called in the study. */
  calledCount: z.number().int().nonnegative(),
  /** Triage sort key (see WorklistSortFieldSchema `triage`); null when not analysed or analysed before triage existed. */
  triageScore: z.number().nullable(),
  imageCount: z.number().int().nonnegative(),
  thumbnail: ResourcePathSchema.nullable(),
  importedAt: z.string(),
});
export type StudySummary = z.infer<typeof StudySummarySchema>;

export const WorklistPageSchema = z.object({
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  items: z.array(StudySummarySchema),
});
export type WorklistPage = z.infer<typeof WorklistPageSchema>;

export const ReferenceFindingSchema = z.object({
  label: z.string(),
  /** Where the reference came from, e.g. `labels.csv` or `bboxes.csv`. */
  source: z.string(),
  /** Expert box in image pixels, when the source gives one. */
  box: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }).nullable(),
});
export type ReferenceFinding = z.infer<typeof ReferenceFindingSchema>;

export const InstanceSchema = z.object({
  id: IdSchema,
  seriesRowId: IdSchema,
  sopInstanceUid: z.string(),
  sopClassUid: z.string(),
  instanceNumber: z.number().int().nullable(),
  format: z.enum(['dicom', 'png', 'jpeg']),
  transferSyntaxUid: z.string().nullable(),
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  frames: z.number().int().positive(),
  bitsStored: z.number().int().positive(),
  photometric: z.string(),
  viewPosition: z.string(),
  bodyPart: z.string(),
  /** Row and column spacing in mm, and which tag it came from; null when unknown (then the ruler says so). */
  pixelSpacingMm: z.tuple([z.number(), z.number()]).nullable(),
  spacingSource: z.enum(['PixelSpacing', 'ImagerPixelSpacing', 'NominalScannedPixelSpacing']).nullable(),
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
  filePath: z.string(),
  contentHash: z.string(),
  thumbnail: ResourcePathSchema,
  /** Display-ready pixels for the viewer (see main/resources for the format). */
  pixels: ResourcePathSchema,
  referenceFindings: z.array(ReferenceFindingSchema),
});
export type Instance = z.infer<typeof InstanceSchema>;

export const SeriesSchema = z.object({
  id: IdSchema,
  seriesInstanceUid: z.string(),
  modality: z.string(),
  seriesNumber: z.number().int().nullable(),
  description: z.string(),
  bodyPart: z.string(),
  instances: z.array(InstanceSchema),
});
export type Series = z.infer<typeof SeriesSchema>;

/**
 * An image filed under this study's patient ID said something else about the patient than the ID already had. The
 * studies stay under the ID (with its issuer), and the reader sees the disagreement instead of a silent merge.
 */
export const IdentityConflictSchema = z.object({
  field: z.enum(['name', 'sex', 'birthDate']),
  /** What the patient ID had (kept). */
  stored: z.string(),
  /** What the image said. */
  incoming: z.string(),
  /** The study that image belongs to, and the file. */
  studyId: IdSchema,
  sourcePath: z.string(),
});
export type IdentityConflict = z.infer<typeof IdentityConflictSchema>;

export const StudyDetailSchema = StudySummarySchema.extend({
  birthDate: IsoDateSchema.nullable(),
  referringPhysician: z.string(),
  series: z.array(SeriesSchema),
  /** Disagreements about this study's patient across the studies filed under the same ID; empty when none. */
  identityConflicts: z.array(IdentityConflictSchema),
});
export type StudyDetail = z.infer<typeof StudyDetailSchema>;

/** One row of the DICOM tag viewer: an element (or a sequence item marker), indented by sequence depth. */
export const DicomTagRowSchema = z.object({
  tag: z.string(),
  name: z.string(),
  vr: z.string(),
  value: z.string(),
  depth: z.number().int().nonnegative(),
});
export const InstanceTagsSchema = z.object({
  instanceId: IdSchema,
  format: z.enum(['dicom', 'png', 'jpeg']),
  transferSyntaxUid: z.string().nullable(),
  rows: z.array(DicomTagRowSchema),
});
export type InstanceTags = z.infer<typeof InstanceTagsSchema>;

export const StudyGetInputSchema = z.object({ studyId: IdSchema });
export const InstanceGetInputSchema = z.object({ instanceId: IdSchema });
export const StudySetStatusInputSchema = z.object({ studyId: IdSchema, status: ReadStatusSchema });

import { op } from './operation.js';
import { OkSchema } from './common.js';

export const studyOperations = {
  'studies:list': op(WorklistQuerySchema, WorklistPageSchema, 'The worklist: filtered, sorted, paginated studies.'),
  'studies:get': op(StudyGetInputSchema, StudyDetailSchema, 'One study with its series, instances and reference findings.'),
  'studies:setStatus': op(StudySetStatusInputSchema, OkSchema, 'Set the reading status of a study.'),
  'instances:get': op(InstanceGetInputSchema, InstanceSchema, 'One image (instance) with its display metadata.'),
  'instances:tags': op(InstanceGetInputSchema, InstanceTagsSchema, 'Every DICOM data element of an image file, for the tag viewer (none for PNG/JPEG).'),
};
