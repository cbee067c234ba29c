import { z } from 'zod';
import { op } from './operation.js';
import { IdSchema, LanguageSchema, OkSchema, ResourcePathSchema } from './common.js';
import { JobSchema } from './jobs.js';


export const AnalysisStartInputSchema = z
  .object({
    instanceIds: z.array(IdSchema).min(1).optional(),
    studyId: IdSchema.optional(),
    all: z.boolean().optional(),
    /** Analyse again even when a result for this pack version exists. */
    force: z.boolean().default(false),
    /** Defaults to the active pack. */
    packId: z.string().min(1).optional(),
  })
  .refine((v) => [v.instanceIds !== undefined, v.studyId !== undefined, v.all === true].filter(Boolean).length === 1, {
    message: 'give exactly one of instanceIds, studyId or all: true',
  });

export const BoxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });

export const QualityFlagSchema = z.object({
  code: z.string(),
  source: z.enum(['dicom', 'image']),
  message: z.string(),
});

export const FindingDecisionSchema = z.enum(['accepted', 'rejected', 'edited']);
export type FindingDecision = z.infer<typeof FindingDecisionSchema>;

/** The patient's side a finding is stated on. */
export const FindingSideSchema = z.enum(['right', 'left', 'both']);
/** Lung zones (upper lung, midlung, base) and pleural sites (apex, lateral chest wall, base). */
export const FindingSiteSchema = z.enum(['upper', 'mid', 'base', 'apex', 'lateral']);
/** Why the text names no place for a finding. */
export const LocationReasonSchema = z.enum([
  'whole_organ',
  'no_map',
  'old_analysis',
  'template_lung_field',
  'peak_on_border',
  'outside_lung_field',
  'sides_unclear',
  'site_not_anatomical',
  'localisation_not_validated',
]);
export const OrganSchema = z.enum(['lung', 'pleura', 'heart', 'diaphragm']);

export const FindingSchema = z.object({
  label: z.string(),
  probability: z.number(),
  threshold: z.number(),
  thresholdSource: z.enum(['calibration', 'pack', 'default']),
  positive: z.boolean(),
  certainty: z.enum(['probable', 'possible']).nullable(),
  severity: z.enum(['small', 'moderate', 'extensive']).nullable(),
  /**
   * Where the findings text places the finding, decided by the finding's anatomical rule against the localisation
   * (main/findings/anatomyRules.ts): `stated` false when the localisation is not confident or the finding has no place
   * (whole-organ findings), with the reason; side and site only when stated.
   */
  location: z.object({
    stated: z.boolean(),
    side: FindingSideSchema.nullable(),
    site: FindingSiteSchema.nullable(),
    reason: LocationReasonSchema.nullable(),
  }),
  /** Fraction of the (approximate) lung field in the CAM's hot region: a localisation fact, never printed in prose. */
  extent: z.number().nullable(),
  organ: OrganSchema,
  /** Boxes around the CAM's hot regions, in image pixels, largest first. */
  boxes: z.array(BoxSchema),
  peak: z.object({ x: z.number(), y: z.number() }).nullable(),
  /**
   * Outline of the CAM's hot region (the region the boxes enclose), as closed polylines [x0, y0, x1, y1, …] in
   * image pixels; empty without a CAM.
   */
  contours: z.array(z.array(z.number())),
  /** The stated place in words, in the requested language (e.g. "right side, base"); null when not stated. */
  locationText: z.string().nullable(),
  /** The generated sentence for a called finding, in the requested language (words only: numbers are in text.details). */
  sentence: z.string().nullable(),
  /**
   * The finding's heatmap PNG: one absolute scale for all findings (the map's own range times the probability), so a
   * finding at 2% never shows more than 2% heat.
   */
  heatmap: ResourcePathSchema.nullable(),
  review: z.object({ decision: FindingDecisionSchema, text: z.string().nullable(), reviewedAt: z.string() }).nullable(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const AnalysisResultSchema = z.object({
  analysisId: IdSchema,
  instanceId: IdSchema,
  packId: z.string(),
  packVersion: z.string(),
  provider: z.string(),
  createdAt: z.string(),
  inferenceMs: z.number(),
  totalMs: z.number(),
  imageSize: z.object({ width: z.number().int(), height: z.number().int() }),
  quality: z.object({ ok: z.boolean(), flags: z.array(QualityFlagSchema) }),
  /** True when the quality gate withheld the findings (they are still listed, for transparency, but not called). */
  findingsWithheld: z.boolean(),
  lungFieldSource: z.enum(['image', 'template']),
  calibrationId: IdSchema.nullable(),
  findings: z.array(FindingSchema),
  text: z.object({
    language: LanguageSchema,
    header: z.string(),
    /** The clinical text: called findings and pertinent negatives, in words only. */
    sentences: z.array(z.object({ label: z.string().nullable(), text: z.string() })),
    /**
     * The "AI details" appendix to print beside the clinical text: a title and one line per assessed finding
     * (probability, operating threshold and its source, called or not, why a place was or was not named).
     */
    details: z.object({ title: z.string(), lines: z.array(z.object({ label: z.string().nullable(), text: z.string() })) }),
  }),
  aiGenerated: z.literal(true),
  disclaimer: z.string(),
  /**
   * Set when this is the analysis as a signed report froze it: what the reader saw at signing, shown unchanged
   * whatever was recalibrated or re-analysed since (an addendum is the only way to change a signed report).
   */
  signed: z.object({ reportId: IdSchema, signedAt: z.string() }).nullable().optional(),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

export const AnalysisGetInputSchema = z.object({
  instanceId: IdSchema,
  packId: z.string().min(1).optional(),
  language: LanguageSchema.default('en'),
});

export const AnalysisReviewInputSchema = z.object({
  analysisId: IdSchema,
  label: z.string().min(1),
  decision: FindingDecisionSchema,
  /** The reader's wording, required when the decision is `edited`. */
  text: z.string().max(2000).optional(),
});

export const CalibrationRunInputSchema = z.object({
  /** A labels file in the NIH ChestX-ray14 format (labels.csv or Data_Entry_2017): one 0/1 column per label or Finding Labels. */
  labelsCsv: z.string().min(1),
  /** Folder of the images named in the file; defaults to `images/` beside it. */
  imagesDir: z.string().min(1).optional(),
  /** Rows of this split only (labels.csv has `calibration` and `development`); all rows when the file has no split column. */
  split: z.string().min(1).default('calibration'),
  method: z.enum(['youden', 'sensitivity']).default('youden'),
  targetSensitivity: z.number().gt(0).max(1).optional(),
  packId: z.string().min(1).optional(),
});

export const LabelCalibrationSchema = z.object({
  label: z.string(),
  threshold: z.number().nullable(),
  method: z.string(),
  sensitivity: z.number().nullable(),
  specificity: z.number().nullable(),
  auc: z.number().nullable(),
  positives: z.number().int(),
  negatives: z.number().int(),
});

export const CalibrationSchema = z.object({
  id: IdSchema,
  packId: z.string(),
  packVersion: z.string(),
  method: z.enum(['youden', 'sensitivity']),
  targetSensitivity: z.number().nullable(),
  source: z.string(),
  imageCount: z.number().int(),
  createdAt: z.string(),
  labels: z.array(LabelCalibrationSchema),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

export const CalibrationGetInputSchema = z.object({ packId: z.string().min(1).optional() });

export const analysisOperations = {
  'analysis:start': op(AnalysisStartInputSchema, JobSchema, 'Analyse images (by id, a study, or all) with the active pack, in batches, as a job.'),
  'analysis:get': op(AnalysisGetInputSchema, AnalysisResultSchema.nullable(), 'The stored analysis of an image with findings, boxes, heatmaps, quality and text; null when none.'),
  'analysis:review': op(AnalysisReviewInputSchema, OkSchema, "Record the reader's accept/reject/edit of one finding."),
  'calibration:run': op(CalibrationRunInputSchema, JobSchema, 'Derive per-label thresholds from a labelled set (Youden or a sensitivity target), as a job.'),
  'calibration:get': op(CalibrationGetInputSchema, CalibrationSchema.nullable(), 'The calibration in force for a pack version; null when none.'),
};
