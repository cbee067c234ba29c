import { z } from 'zod';
import { QualityFlagSchema } from '../api/analysis.js';

/**
 * What the JSON columns of `analyses` and `calibrations` hold, as the repositories read them back (parseJsonColumn):
 * typed values instead of `unknown` cast at each use. The domains that write these shapes (inference/quality.ts,
 * findings/localize.ts, findings/calibrate.ts) check at compile time that their types and these agree.
 */

/** `analyses.quality`: the quality/view gate's verdict, flags and the image statistics it decided on. */
export const StoredQualitySchema = z.object({
  ok: z.boolean(),
  flags: z.array(QualityFlagSchema),
  stats: z.record(z.string(), z.number()),
});
export type StoredQuality = z.infer<typeof StoredQualitySchema>;

const BoxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
const PointSchema = z.object({ x: z.number(), y: z.number() });

/** One connected part of a CAM's hot region (findings/localize.ts HotRegion). */
const HotRegionSchema = z.object({
  box: BoxSchema,
  peak: PointSchema,
  share: z.number(),
  side: z.enum(['right', 'left', 'midline']),
  zone: z.enum(['upper', 'middle', 'lower']),
  lateral: z.boolean(),
  inLungField: z.boolean(),
});

/** `analyses.localisations`: per label, the CAM's boxes, peak and extent, and the facts place words are decided on. */
export const StoredLocalisationSchema = z.object({
  boxes: z.array(BoxSchema),
  peak: PointSchema,
  extent: z.number(),
  /** Absent in analyses stored before the facts were recorded: their place is never stated. */
  facts: z
    .object({
      version: z.literal(2),
      lungField: z.enum(['image', 'template']),
      peakCell: z.object({ row: z.number(), col: z.number(), rows: z.number(), cols: z.number() }),
      peakOnBorder: z.boolean(),
      peakInLungField: z.boolean(),
      regions: z.array(HotRegionSchema),
    })
    .optional(),
});
export const StoredLocalisationsSchema = z.record(z.string(), StoredLocalisationSchema);
export type StoredLocalisation = z.infer<typeof StoredLocalisationSchema>;

const IntervalSchema = z.object({ low: z.number(), high: z.number() });

/**
 * `calibrations.labels`: one entry per label. Rows written before operating points were validated lack `validated`
 * (and are then never validated); the evidence fields are optional for the same reason.
 */
export const StoredCalibrationLabelSchema = z.object({
  label: z.string(),
  threshold: z.number().nullable(),
  method: z.string().optional(),
  validated: z.boolean().optional(),
  refusal: z.string().nullable().optional(),
  sensitivity: z.number().nullable().optional(),
  sensitivityCi: IntervalSchema.nullable().optional(),
  specificity: z.number().nullable().optional(),
  specificityCi: IntervalSchema.nullable().optional(),
  auc: z.number().nullable().optional(),
  aucCi: IntervalSchema.nullable().optional(),
  positives: z.number().int().optional(),
  negatives: z.number().int().optional(),
});
export const StoredCalibrationLabelsSchema = z.array(StoredCalibrationLabelSchema);
export type StoredCalibrationLabel = z.infer<typeof StoredCalibrationLabelSchema>;

/** `analyses.labels`: the pack's labels in output order. */
export const StoredLabelsSchema = z.array(z.string());
