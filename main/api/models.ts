import { z } from 'zod';
import { op } from './operation.js';
import { EmptySchema } from './common.js';

export const ExecutionProviderSchema = z.enum(['cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
export const ProviderSettingSchema = z.union([z.literal('auto'), ExecutionProviderSchema]);
export type ProviderSettingValue = z.infer<typeof ProviderSettingSchema>;

/** A model pack found in one of the models directories. */
export const ModelPackSchema = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  dir: z.string(),
  intendedUse: z.string(),
  labels: z.array(z.string()),
  input: z.object({ width: z.number().int().positive(), height: z.number().int().positive(), channels: z.number().int().positive() }),
  /** Length of the embedding output (similar-case search), null when the pack has none. */
  embeddingDim: z.number().int().positive().nullable(),
  hasCam: z.boolean(),
  /** Thresholds shipped in the manifest (a site calibration overrides them). */
  packThresholds: z.record(z.string(), z.number()),
  /** The model card's text (markdown), when the pack has one. */
  card: z.string().nullable(),
  active: z.boolean(),
});
export type ModelPack = z.infer<typeof ModelPackSchema>;

/** A folder that looks like a pack but whose manifest could not be read. */
export const BrokenPackSchema = z.object({ dir: z.string(), error: z.string() });

export const ModelListSchema = z.object({
  packs: z.array(ModelPackSchema),
  broken: z.array(BrokenPackSchema),
  activePackId: z.string().nullable(),
  provider: ProviderSettingSchema,
  /** Whether imports analyse new images in the same pass (the site's setting; by default on when a pack is installed). */
  analyseOnImport: z.boolean(),
  /** Providers the installed onnxruntime offers on this platform (a listed GPU provider may still fail at load). */
  offeredProviders: z.array(z.string()),
  /**
   * What actually happened in this launch: the provider the loaded model runs on (null before the first analysis
   * loads it), every provider that created a session, and those tried that failed, with the reason.
   */
  providers: z.object({
    inUse: z.string().nullable(),
    loaded: z.array(z.string()),
    failed: z.array(z.object({ provider: z.string(), reason: z.string() })),
  }),
  modelsDirs: z.array(z.string()),
});
export type ModelList = z.infer<typeof ModelListSchema>;

export const ModelVerifyInputSchema = z.object({ id: z.string().min(1).optional() });
export const PackVerificationSchema = z.object({
  id: z.string().nullable(),
  version: z.string().nullable(),
  dir: z.string(),
  ok: z.boolean(),
  problems: z.array(z.string()),
});
export type PackVerificationResult = z.infer<typeof PackVerificationSchema>;

export const ModelInstallInputSchema = z.object({
  /** A pack folder (manifest.json + model file). */
  path: z.string().min(1),
  /** Replace an installed pack with the same id. */
  replace: z.boolean().default(false),
});

export const ModelSettingsInputSchema = z.object({
  activePackId: z.string().min(1).optional(),
  provider: ProviderSettingSchema.optional(),
  /** Analyse new images during import, from the pixels the import decodes (default: on when a pack is installed). */
  analyseOnImport: z.boolean().optional(),
});
export const ModelSettingsSchema = z.object({ activePackId: z.string().nullable(), provider: ProviderSettingSchema, analyseOnImport: z.boolean() });
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

export const modelOperations = {
  'models:list': op(EmptySchema, ModelListSchema, 'Model packs in the models directories, the active one and the execution provider setting.'),
  'models:verify': op(ModelVerifyInputSchema, z.array(PackVerificationSchema), 'Check sha256, manifest and ONNX inputs/outputs of one pack or all.'),
  'models:install': op(ModelInstallInputSchema, ModelPackSchema, 'Verify a pack folder and copy it into the per-user models directory.'),
  'models:setSettings': op(ModelSettingsInputSchema, ModelSettingsSchema, 'Choose the active pack, the execution provider (auto, cuda, dml, coreml, webgpu, cpu) and whether imports analyse new images.'),
};
