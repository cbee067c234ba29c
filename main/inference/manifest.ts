import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** A tensor dimension: a fixed size, or a symbolic name (e.g. `batch`) for a dynamic one. */
const DimSchema = z.union([z.number().int().positive(), z.string().min(1)]);

const OutputSpecSchema = z.object({
  shape: z.array(DimSchema).min(1),
  meaning: z.string().optional(),
});

/** The record of how a pack's shipped thresholds were set. */
export const ThresholdProvenanceSchema = z.object({
  /** The labelled set they were set on (name, version, split): not the model's training data. */
  dataset: z.string().min(1),
  /** e.g. "Youden's J", "sensitivity >= 0.9". */
  method: z.string().min(1),
  /** Size of that set, where known. */
  images: z.number().int().positive().optional(),
  date: z.string().optional(),
  /** Per-label evidence where the pack maker published it. */
  labels: z.record(z.string(), z.object({ positives: z.number().int().nonnegative().optional(), auc: z.number().optional() })).optional(),
});
export type ThresholdProvenance = z.infer<typeof ThresholdProvenanceSchema>;

/**
 * The manifest of a model pack (`manifest.json`). Everything the application knows about a model comes from here:
 * labels and their order, input size and normalisation, output names and shapes, optional operating thresholds.
 * The outputs object is keyed by ONNX output name; the names below are the roles the application understands.
 */
export const ModelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'pack id: letters, digits, dot, dash, underscore'),
  version: z.string().min(1),
  title: z.string().min(1),
  task: z.literal('cxr-multilabel-classification'),
  file: z.string().min(1).refine((f) => !f.includes('/') && !f.includes('\\') && !f.includes('..'), 'file must be a plain file name in the pack folder'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
  intendedUse: z.string().default(''),
  labels: z.array(z.string().min(1)).min(1),
  input: z.object({
    name: z.string().min(1),
    layout: z.literal('NCHW'),
    channels: z.union([z.literal(1), z.literal(3)]),
    height: z.number().int().positive(),
    width: z.number().int().positive(),
    source: z.string().optional(),
    resize: z.string().optional(),
    normalize: z.object({ mean: z.array(z.number()).min(1), std: z.array(z.number().positive()).min(1) }),
  }),
  outputs: z
    .object({
      probabilities: OutputSpecSchema,
      logits: OutputSpecSchema.optional(),
      embedding: OutputSpecSchema.optional(),
      cam: OutputSpecSchema.optional(),
    })
    .catchall(OutputSpecSchema),
  card: z.string().nullable().optional(),
  /**
   * Operating thresholds per label shipped with the pack. They are used (a label called at them) only with their
   * provenance below; a site calibration's validated operating point takes precedence.
   */
  thresholds: z.record(z.string(), z.number().min(0).max(1)).optional(),
  /**
   * Whether the pack's CAM localisation was validated against expert annotations, and how. The findings text names a
   * side or a zone only for a pack that says so (absent: never), as findings are called only at validated thresholds.
   */
  localisation: z.object({ validated: z.boolean(), evidence: z.string().min(1) }).optional(),
  /** Where what the pack ships comes from. */
  provenance: z
    .object({
      /** How the shipped thresholds were set: on which data, by which method. Without it they are not used. */
      thresholds: ThresholdProvenanceSchema.optional(),
    })
    .optional(),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** A manifest that parsed, plus the consistency checks the schema alone cannot express. */
export function checkManifestConsistency(m: ModelManifest): string[] {
  const problems: string[] = [];
  const L = m.labels.length;
  if (new Set(m.labels).size !== L) problems.push('labels contain duplicates');
  const { mean, std } = m.input.normalize;
  if (mean.length !== m.input.channels || std.length !== m.input.channels) {
    problems.push(`input.normalize needs ${m.input.channels} mean and std values (got ${mean.length} and ${std.length})`);
  }
  const last = (shape: (string | number)[]) => shape[shape.length - 1];
  if (m.outputs.probabilities.shape.length !== 2 || last(m.outputs.probabilities.shape) !== L) {
    problems.push(`outputs.probabilities.shape must be [batch, ${L}] (one per label)`);
  }
  if (m.outputs.logits && (m.outputs.logits.shape.length !== 2 || last(m.outputs.logits.shape) !== L)) {
    problems.push(`outputs.logits.shape must be [batch, ${L}]`);
  }
  if (m.outputs.embedding && (m.outputs.embedding.shape.length !== 2 || typeof last(m.outputs.embedding.shape) !== 'number')) {
    problems.push('outputs.embedding.shape must be [batch, D] with a numeric D');
  }
  const cam = m.outputs.cam?.shape;
  if (cam && (cam.length !== 4 || cam[1] !== L || typeof cam[2] !== 'number' || typeof cam[3] !== 'number')) {
    problems.push(`outputs.cam.shape must be [batch, ${L}, H, W] with numeric H and W`);
  }
  for (const label of Object.keys(m.thresholds ?? {})) {
    if (!m.labels.includes(label)) problems.push(`thresholds names "${label}", which is not one of the labels`);
  }
  return problems;
}

/** What the rest of the application derives from a manifest (sizes and dims are never hard-coded elsewhere). */
export interface PackGeometry {
  labels: string[];
  inputName: string;
  width: number;
  height: number;
  channels: number;
  embeddingDim: number | null;
  /** CAM grid rows and columns, null when the pack has no CAM output. */
  camGrid: { rows: number; cols: number } | null;
}

export function packGeometry(m: ModelManifest): PackGeometry {
  const emb = m.outputs.embedding?.shape;
  const cam = m.outputs.cam?.shape;
  return {
    labels: m.labels,
    inputName: m.input.name,
    width: m.input.width,
    height: m.input.height,
    channels: m.input.channels,
    embeddingDim: emb && typeof emb[1] === 'number' ? emb[1] : null,
    camGrid: cam && typeof cam[2] === 'number' && typeof cam[3] === 'number' ? { rows: cam[2], cols: cam[3] } : null,
  };
}

export class ManifestError extends Error {}

/** Reads and validates `<dir>/manifest.json`; throws ManifestError naming the file and each problem. */
export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = join(dir, 'manifest.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new ManifestError(`${file}: no manifest.json in this folder (a model pack needs manifest.json and the model file)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ManifestError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) throw new ManifestError(`${file}: invalid manifest:\n${z.prettifyError(parsed.error)}`);
  const problems = checkManifestConsistency(parsed.data);
  if (problems.length) throw new ManifestError(`${file}: inconsistent manifest: ${problems.join('; ')}`);
  return parsed.data;
}
