import { z } from 'zod';
import { IdSchema, IsoDateSchema, ResourcePathSchema } from './common.js';
import { op } from './operation.js';
import { FindingValueSchema, PackRefSchema } from './search.js';

/** A cohort query in the documented language (see `cohorts:syntax`). */
const CohortQueryTextSchema = z.string().min(1).max(2000);

export const CohortQueryInputSchema = z.object({
  query: CohortQueryTextSchema,
  /** AI conditions use this pack's newest analysed version; defaults to the pack of the newest analysis. */
  packId: z.string().min(1).optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(500).default(50),
});

export const CohortItemSchema = z.object({
  instanceId: IdSchema,
  studyId: IdSchema,
  patientId: z.string(),
  studyDate: IsoDateSchema.nullable(),
  sex: z.enum(['M', 'F', 'O']).nullable(),
  ageYears: z.number().nullable(),
  viewPosition: z.string(),
  thumbnail: ResourcePathSchema,
  referenceLabels: z.array(z.string()),
  findings: z.array(FindingValueSchema),
});
export type CohortItem = z.infer<typeof CohortItemSchema>;

export const CohortPageSchema = z.object({
  /** The query as parsed, in canonical form (what the UI shows back). */
  query: z.string(),
  pack: PackRefSchema.nullable(),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  items: z.array(CohortItemSchema),
});
export type CohortPage = z.infer<typeof CohortPageSchema>;

export const CohortExportInputSchema = z.object({
  query: CohortQueryTextSchema,
  packId: z.string().min(1).optional(),
  /** csv: one row per image (labels, probabilities, paths); coco: COCO-style JSON with boxes. */
  format: z.enum(['csv', 'coco']),
});

export const CohortExportSchema = z.object({
  exportId: IdSchema,
  format: z.enum(['csv', 'coco']),
  query: z.string(),
  rows: z.number().int().nonnegative(),
  /** Boxes written (COCO: AI boxes from the CAM plus reference and reader boxes); 0 for CSV. */
  boxes: z.number().int().nonnegative(),
  /** Where the file is served; it is written under the data directory's exports/cohorts/. */
  path: ResourcePathSchema,
  /** Sources of boxes that this index has no data for (e.g. reader measurements), said plainly. */
  notes: z.array(z.string()),
});
export type CohortExport = z.infer<typeof CohortExportSchema>;

export const CohortSyntaxSchema = z.object({
  /** The language, documented. */
  text: z.string(),
  labels: z.array(z.string()),
  fields: z.array(z.string()),
});

export const cohortOperations = {
  'cohorts:query': op(CohortQueryInputSchema, CohortPageSchema, 'Images of the whole index matching a cohort query (findings, labels, report text, demographics, dates).'),
  'cohorts:export': op(CohortExportInputSchema, CohortExportSchema, 'Write a cohort as CSV or COCO JSON under the data directory; answers its resource path.'),
  'cohorts:syntax': op(z.object({ packId: z.string().min(1).optional() }), CohortSyntaxSchema, 'The cohort query language, with the labels and fields it accepts.'),
};
