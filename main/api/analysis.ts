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

/**
 * A label's operating point: the threshold it is called at, validated (shipped in the pack's manifest with its
 * provenance, or set by a site calibration with enough positives and an AUC interval above 0.5), with where it came
 * from; or none, with the reason. A label without one is shown "not calibrated" and is never called.
 */
export const OperatingPointSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('validated'), threshold: z.number(), source: z.enum(['calibration', 'pack']), provenance: z.string() }),
  z.object({ status: z.literal('not_calibrated'), reason: z.string() }),
]);
export type OperatingPointValue = z.infer<typeof OperatingPointSchema>;

export const FindingSchema = z
  .object({
    label: z.string(),
    probability: z.number(),
    operatingPoint: OperatingPointSchema,
    /** The validated operating point's threshold; null when not calibrated. */
    threshold: z.number().nullable(),
    /** Where the validated operating point came from; null when not calibrated. */
    thresholdSource: z.enum(['calibration', 'pack']).nullable(),
    /** Called: probability at or above a validated operating point. Never true without one. */
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
    /** The stated place in words, in the requested language (e.g. "right side, base"); null when not stated or not calibrated. */
    locationText: z.string().nullable(),
    /** The generated sentence for a called finding, in the requested language (words only: numbers are in text.details). */
    sentence: z.string().nullable(),
    /**
     * The finding's heatmap PNG: one absolute scale for all findings (the map's own range times the probability), so a
     * finding at 2% never shows more than 2% heat.
     */
    heatmap: ResourcePathSchema.nullable(),
    review: z.object({ decision: FindingDecisionSchema, text: z.string().nullable(), reviewedAt: z.string() }).nullable(),
  })
  .superRefine((f, ctx) => {
    const calibrated = f.operatingPoint.status === 'validated';
    if (!calibrated && (f.positive || f.sentence !== null || f.certainty !== null || f.threshold !== null || f.locationText !== null)) {
      ctx.addIssue({ code: 'custom', message: `${f.label} has no validated operating point: it cannot be called, have a threshold, location words or a sentence` });
    }
    if (calibrated && f.threshold !== (f.operatingPoint as { threshold: number }).threshold) ctx.addIssue({ code: 'custom', message: `${f.label}: threshold differs from its operating point` });
    if (f.sentence !== null && !f.positive) ctx.addIssue({ code: 'custom', message: `${f.label} is not called: no sentence` });
  });
export type Finding = z.infer<typeof FindingSchema>;

const AnalysisBase = {
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
};

/**
 * An image the quality/view gate stopped: no probabilities, findings, heatmaps or sentences at all (the schema has
 * no place for them), only why. A reader may override explicitly (`analysis:overrideGate`, audited).
 */
export const WithheldAnalysisSchema = z
  .object({
    ...AnalysisBase,
    status: z.literal('withheld'),
    /** One line saying why, in the requested language, and the gate's flags. */
    withheld: z.object({ reason: z.string(), flags: z.array(QualityFlagSchema) }),
  })
  .strict();

/** The reader's explicit override of the gate, shown with everything it let through. */
export const GateOverrideSchema = z.object({ by: z.string(), reason: z.string(), at: z.string(), flags: z.array(QualityFlagSchema) });

/** An analysis shown: the image passed the gate, or a reader overrode it (`override` says who and why). */
export const ShownAnalysisSchema = z
  .object({
    ...AnalysisBase,
    status: z.literal('shown'),
    override: GateOverrideSchema.nullable(),
    lungFieldSource: z.enum(['image', 'template']),
    /** The operating points in force: the site calibration (if any) and how the audit names the set. */
    operatingPoints: z.object({ calibrationId: IdSchema.nullable(), version: z.string() }),
    findings: z.array(FindingSchema),
  })
  .strict();

export const AnalysisResultSchema = z.discriminatedUnion('status', [WithheldAnalysisSchema, ShownAnalysisSchema]);
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;
export type ShownAnalysis = z.infer<typeof ShownAnalysisSchema>;

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

export const GateOverrideInputSchema = z.object({
  analysisId: IdSchema,
  /** Why the reader judges the image readable despite the gate (e.g. "PA film; the lateral tag is wrong"). */
  reason: z.string().trim().min(3).max(500),
});

export const CalibrationRunInputSchema = z.object({
  /** A labels file in the NIH ChestX-ray14 format (labels.csv or Data_Entry_2017): one 0/1 column per label or Finding Labels. */
  labelsCsv: z.string().min(1),
  /** Folder of the images named in the file; defaults to `images/` beside it. */
  imagesDir: z.string().min(1).optional(),
  /** Rows of this split only (labels.csv has `calibration` and `training`); all rows when the file has no split column. */
  split: z.string().min(1).default('calibration'),
  method: z.enum(['youden', 'sensitivity']).default('youden'),
  targetSensitivity: z.number().gt(0).max(1).optional(),
  packId: z.string().min(1).optional(),
});

/**
 * When a site calibration's threshold for a label is used: at least `minPositives` positive and `minNegatives`
 * negative cases in the labelled set, and an AUC whose bootstrap interval (stratified, fixed seed so it is
 * reproducible) lies above 0.5. One definition for the core, the CLI and the settings page.
 */
export const OPERATING_POINT_RULE = { minPositives: 10, minNegatives: 10, bootstrapResamples: 2000, bootstrapSeed: 20240917, level: 0.95 } as const;

export const IntervalSchema = z.object({ low: z.number(), high: z.number() });

export const LabelCalibrationSchema = z.object({
  label: z.string(),
  /** The operating threshold set by this calibration; null when refused. */
  threshold: z.number().nullable(),
  method: z.string(),
  /** Enough positives and negatives, and an AUC interval above 0.5: the threshold is used. */
  validated: z.boolean(),
  /** Why not; null when validated. */
  refusal: z.string().nullable(),
  sensitivity: z.number().nullable(),
  sensitivityCi: IntervalSchema.nullable(),
  specificity: z.number().nullable(),
  specificityCi: IntervalSchema.nullable(),
  auc: z.number().nullable(),
  aucCi: IntervalSchema.nullable(),
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

/** The operating point of every label of a pack version, as analyses are presented now, and the calibration behind. */
export const OperatingPointsSchema = z.object({
  packId: z.string(),
  packVersion: z.string(),
  calibrationId: IdSchema.nullable(),
  /** How the audit log and reports name the set in force. */
  version: z.string(),
  labels: z.array(z.object({ label: z.string(), operatingPoint: OperatingPointSchema })),
  calibration: CalibrationSchema.nullable(),
});
export type OperatingPoints = z.infer<typeof OperatingPointsSchema>;

export const analysisOperations = {
  'analysis:start': op(AnalysisStartInputSchema, JobSchema, 'Analyse images (by id, a study, or all) with the active pack, in batches, as a job.'),
  'analysis:get': op(AnalysisGetInputSchema, AnalysisResultSchema.nullable(), 'The stored analysis of an image with findings, boxes, heatmaps, quality and text; null when none.'),
  'analysis:review': op(AnalysisReviewInputSchema, OkSchema, "Record the reader's accept/reject/edit of one called finding (refused on a withheld image or a label without a validated operating point)."),
  'analysis:overrideGate': op(
    GateOverrideInputSchema,
    OkSchema,
    "Show the findings of an image the quality/view gate withheld, on the reader's explicit decision (with a reason; audited). Applies to the analysis as it is now.",
  ),
  'calibration:run': op(CalibrationRunInputSchema, JobSchema, 'Derive per-label operating points from a labelled set (Youden or a sensitivity target), each validated (positives, AUC bootstrap interval) or refused with the reason, as a job.'),
  'calibration:get': op(CalibrationGetInputSchema, CalibrationSchema.nullable(), 'The calibration in force for a pack version; null when none.'),
  'operatingPoints:get': op(CalibrationGetInputSchema, OperatingPointsSchema, "Each label's operating point in force for a pack version (validated with its provenance, or not calibrated and why)."),
};
