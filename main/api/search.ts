import { z } from 'zod';
import { IdSchema, IsoDateSchema, ResourcePathSchema } from './common.js';
import { op } from './operation.js';

/** A model pack version: embeddings and probabilities are only comparable within one. */
export const PackRefSchema = z.object({ packId: z.string(), packVersion: z.string() });
export type PackRef = z.infer<typeof PackRefSchema>;

/** A box in image pixels (x, y = top-left corner). */
export const PixelBoxSchema = z.object({
  x: z.number().nonnegative(),
  y: z.number().nonnegative(),
  w: z.number().positive(),
  h: z.number().positive(),
});

/**
 * One finding of an image as the AI called it: positive only at a validated operating point (`threshold`); a label
 * without one has threshold null ("not calibrated") and is never positive.
 */
export const FindingValueSchema = z
  .object({
    label: z.string(),
    probability: z.number(),
    threshold: z.number().nullable(),
    positive: z.boolean(),
  })
  .refine((f) => f.threshold !== null || !f.positive, { message: 'a label without a validated operating point is never positive' });
export type FindingValue = z.infer<typeof FindingValueSchema>;

export const SimilarFiltersSchema = z.object({
  /** Only neighbours where this finding is positive (AI at a validated operating point, or a reference label). */
  finding: z.string().min(1).max(64).optional(),
  dateFrom: IsoDateSchema.optional(),
  dateTo: IsoDateSchema.optional(),
  sex: z.enum(['M', 'F', 'O']).optional(),
  /** Age band in years: ageMin ≤ age < ageMax. */
  ageMin: z.number().min(0).max(150).optional(),
  ageMax: z.number().min(0).max(150).optional(),
  /** Leave out every image of the query's patient (default), not only the query image itself. */
  excludeSamePatient: z.boolean().default(true),
});

export const SimilarFindInputSchema = z.object({
  instanceId: IdSchema,
  k: z.number().int().min(1).max(100).default(10),
  /** Defaults to the pack of the image's newest analysis. */
  packId: z.string().min(1).optional(),
  filters: SimilarFiltersSchema.default({ excludeSamePatient: true }),
  /**
   * Search by region: a box on the query image; its embedding is pooled from the pack's feature map. Packs without a
   * `featureMap` output answer `unsupported` with the reason (see `similar:status`).
   */
  region: PixelBoxSchema.optional(),
  /** `auto`: the approximate graph where one is built (large indexes), else exact. */
  method: z.enum(['auto', 'exact', 'approximate']).default('auto'),
});
export type SimilarFindInput = z.input<typeof SimilarFindInputSchema>;

export const SimilarCaseSchema = z.object({
  instanceId: IdSchema,
  studyId: IdSchema,
  patientId: z.string(),
  /** Cosine similarity of the embeddings, -1..1 (1 = same direction). */
  similarity: z.number(),
  thumbnail: ResourcePathSchema,
  studyDate: IsoDateSchema.nullable(),
  sex: z.enum(['M', 'F', 'O']).nullable(),
  ageYears: z.number().nullable(),
  viewPosition: z.string(),
  findings: z.array(FindingValueSchema),
  referenceLabels: z.array(z.string()),
  /** The study's report text (final first), or null when it has none. */
  reportText: z.string().nullable(),
});
export type SimilarCase = z.infer<typeof SimilarCaseSchema>;

export const SimilarResultSchema = z.object({
  query: z.object({ instanceId: IdSchema, studyId: IdSchema, patientId: z.string() }),
  pack: PackRefSchema,
  method: z.enum(['exact', 'approximate']),
  /** Images with an embedding by this pack version. */
  indexed: z.number().int().nonnegative(),
  /** Images the filters allowed (null: no filter). */
  allowed: z.number().int().nonnegative().nullable(),
  searchMs: z.number().nonnegative(),
  neighbours: z.array(SimilarCaseSchema),
});
export type SimilarResult = z.infer<typeof SimilarResultSchema>;

export const SimilarStatusInputSchema = z.object({ packId: z.string().min(1).optional() });
export const SimilarStatusSchema = z.object({
  pack: PackRefSchema.nullable(),
  indexed: z.number().int().nonnegative(),
  dimensions: z.number().int().nonnegative(),
  quantization: z.enum(['f32', 'i8']),
  /** Whether an approximate (HNSW) graph is in use; it is built from `approximateThreshold` embeddings up. */
  approximate: z.boolean(),
  approximateThreshold: z.number().int().positive(),
  /** Whether the SIMD kernel (usearch) is loaded; null reason when it is. */
  nativeKernel: z.object({ loaded: z.boolean(), reason: z.string().nullable() }),
  regionSearch: z.object({ supported: z.boolean(), reason: z.string().nullable() }),
});
export type SimilarStatus = z.infer<typeof SimilarStatusSchema>;

/** Priors: one of the two identifies the current study. */
export const PriorsGetInputSchema = z
  .object({ studyId: IdSchema.optional(), instanceId: IdSchema.optional(), packId: z.string().min(1).optional() })
  .refine((v) => (v.studyId === undefined) !== (v.instanceId === undefined), 'give exactly one of studyId or instanceId');

export const ChangeKindSchema = z.enum(['new', 'resolved', 'increased', 'decreased', 'stable']);

export const PriorPointSchema = z.object({
  studyId: IdSchema,
  date: IsoDateSchema.nullable(),
  /** The image whose probability is plotted (the study's most positive analysed image for this label). */
  instanceId: IdSchema.nullable(),
  probability: z.number().nullable(),
  /** Called at a validated operating point; null when not analysed, withheld, or the label is not calibrated. */
  positive: z.boolean().nullable(),
  /** Change from the latest earlier study with a value; null for the first one or a study not analysed. */
  change: ChangeKindSchema.nullable(),
  delta: z.number().nullable(),
  previousStudyId: IdSchema.nullable(),
});

export const PriorSeriesSchema = z.object({
  label: z.string(),
  /** The validated operating point's threshold; null when the label is not calibrated (never positive, never new/resolved). */
  threshold: z.number().nullable(),
  /** The stated minimum difference: a smaller probability change is `stable`, whatever boundary it crosses. */
  margin: z.number(),
  points: z.array(PriorPointSchema),
});

export const PriorsSchema = z.object({
  patientId: z.string(),
  currentStudyId: IdSchema,
  pack: PackRefSchema.nullable(),
  /** The patient's studies, oldest first (undated last). */
  studies: z.array(
    z.object({
      studyId: IdSchema,
      date: IsoDateSchema.nullable(),
      instanceIds: z.array(IdSchema),
      analysed: z.boolean(),
      thumbnail: ResourcePathSchema.nullable(),
    }),
  ),
  series: z.array(PriorSeriesSchema),
});
export type Priors = z.infer<typeof PriorsSchema>;

export const searchOperations = {
  'similar:find': op(SimilarFindInputSchema, SimilarResultSchema, 'The k indexed images most similar to an analysed image (cosine of CNN embeddings), with filters.'),
  'similar:status': op(SimilarStatusInputSchema, SimilarStatusSchema, 'What similar-case search can do for a pack: size, exact/approximate, region search support.'),
  'priors:get': op(PriorsGetInputSchema, PriorsSchema, "The patient's studies in time with each finding's probability and its change from the previous study."),
};
