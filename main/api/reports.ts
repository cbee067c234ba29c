import { z } from 'zod';
import { IdSchema, LanguageSchema, ResourcePathSchema, type Language } from './common.js';
import { FindingDecisionSchema } from './analysis.js';
import { op } from './operation.js';

/** draft → preliminary → final. A final report is immutable (repository and trigger); addenda may follow. */
export const ReportStateSchema = z.enum(['draft', 'preliminary', 'final']);
export type ReportState = z.infer<typeof ReportStateSchema>;

/** Languages a shipped template exists in (the UI languages). */
/** Reports are written in the workstation's languages (main/api/common.ts). */
export const ReportLanguageSchema = LanguageSchema;
export type ReportLanguage = Language;

export const ReportSectionSchema = z.object({
  /** Stable name from the template (`findings`, `impression`...). */
  name: z.string().min(1).max(64),
  title: z.string().max(200),
  text: z.string().max(100_000),
  /** The section was filled (in part) from AI-generated findings text; every export marks it. */
  aiDerived: z.boolean(),
});
export type ReportSection = z.infer<typeof ReportSectionSchema>;

/** An AI finding the reader accepted (or edited) and that went into the report; kept as a snapshot. */
export const ReportAiFindingSchema = z.object({
  instanceId: IdSchema.nullable(),
  label: z.string(),
  probability: z.number().min(0).max(1),
  threshold: z.number().min(0).max(1),
  /** The generated sentence in the report's language (after the reader's edit when decision is `edited`). */
  text: z.string(),
  decision: z.enum(['accepted', 'edited']),
  location: z.string().nullable(),
  modelPack: z.string(),
  modelVersion: z.string(),
  thresholdVersion: z.string(),
  /** How sure the AI's call was, and on which side (absent in reports drafted before they were recorded). */
  certainty: z.enum(['probable', 'possible']).nullable().optional(),
  laterality: z.enum(['right', 'left', 'bilateral']).nullable().optional(),
});
export type ReportAiFinding = z.infer<typeof ReportAiFindingSchema>;

/** What the reader did with one AI output: a decision in the viewer (declared once, in analysis.ts), or none. */
export const AiDecisionSchema = z.enum([...FindingDecisionSchema.options, 'unreviewed']);
export type AiDecision = z.infer<typeof AiDecisionSchema>;

/** One label of one analysed image, as the AI showed it to the reader. */
export const AiLabelUseSchema = z.object({
  label: z.string(),
  probability: z.number().min(0).max(1),
  /** The operating threshold in force; null when the label had none (not calibrated: never called). */
  threshold: z.number().min(0).max(1).nullable(),
  /** Where the threshold came from (calibration, pack, default...), as the analysis said. */
  thresholdSource: z.string(),
  /** Called positive at that operating point (a finding shown to the reader). */
  called: z.boolean(),
  certainty: z.enum(['probable', 'possible']).nullable(),
  laterality: z.enum(['right', 'left', 'bilateral']).nullable(),
  /** The generated sentence the reader saw for a called finding. */
  shownText: z.string().nullable(),
  decision: AiDecisionSchema,
  /** The reader's wording when the decision is `edited`. */
  readerText: z.string().nullable(),
});
export type AiLabelUse = z.infer<typeof AiLabelUseSchema>;

/** One image the AI analysed: which model, which thresholds, what it showed (or why it showed nothing). */
export const AiImageUseSchema = z.object({
  instanceId: IdSchema.nullable(),
  /** The stored analysis it came from (its heatmaps); null in de-identified copies and old records. */
  analysisId: IdSchema.nullable(),
  packId: z.string(),
  packVersion: z.string(),
  /** The pack's title and intended use from its manifest (e.g. "Not for clinical use"). */
  packTitle: z.string(),
  intendedUse: z.string(),
  analysedAt: z.string(),
  /** e.g. `calibration #3` or `cxr14-densenet121-demo 1.0.0 shipped thresholds`. */
  thresholdVersion: z.string(),
  /** Why no findings were shown (the quality/view gate); null when findings were shown. */
  withheld: z.string().nullable(),
  labels: z.array(AiLabelUseSchema),
  /** The "AI details" appendix as the viewer showed it (probability, threshold and source, place), in the report's language. */
  details: z.object({ title: z.string(), lines: z.array(z.string()) }).nullable().optional(),
});
export type AiImageUse = z.infer<typeof AiImageUseSchema>;

/**
 * Exactly what the AI did for a report's study: what ran on which image, what was shown, what the reader accepted,
 * edited or rejected. Live for drafts; frozen at signing (`frozenAt`), after which nothing changes it.
 */
export const ReportAiUseSchema = z.object({
  /** When it was frozen (the signing time); null while the report is unsigned and the record is live. */
  frozenAt: z.string().nullable(),
  imagesInStudy: z.number().int().nonnegative(),
  images: z.array(AiImageUseSchema),
});
export type ReportAiUse = z.infer<typeof ReportAiUseSchema>;

export const KeyImageSchema = z.object({
  instanceId: IdSchema,
  /** Also show the AI heatmap of this image (PDF/DOCX thumbnails). */
  withHeatmap: z.boolean().default(false),
});
export type KeyImage = z.infer<typeof KeyImageSchema>;

export const AddendumSchema = z.object({
  id: IdSchema,
  text: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type Addendum = z.infer<typeof AddendumSchema>;

export const ReportSchema = z.object({
  id: IdSchema,
  studyId: IdSchema,
  studyInstanceUid: z.string(),
  templateId: z.string(),
  language: ReportLanguageSchema,
  title: z.string(),
  state: ReportStateSchema,
  sections: z.array(ReportSectionSchema),
  /** The field values the template was filled with (patient, study, image, AI), as a snapshot. */
  fields: z.record(z.string(), z.string()),
  aiFindings: z.array(ReportAiFindingSchema),
  keyImages: z.array(KeyImageSchema),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  addenda: z.array(AddendumSchema),
  /** What the AI did (see ReportAiUseSchema), and the report's AI section as every export prints it (title first). */
  ai: ReportAiUseSchema,
  aiSection: z.array(z.string()),
});
export type Report = z.infer<typeof ReportSchema>;

export const ReportSummarySchema = ReportSchema.pick({
  id: true,
  studyId: true,
  studyInstanceUid: true,
  templateId: true,
  language: true,
  title: true,
  state: true,
  author: true,
  createdAt: true,
  updatedAt: true,
  signedBy: true,
  signedAt: true,
}).extend({
  /** Matched text with the hits wrapped in [ ] (search), else the report's first words. */
  snippet: z.string(),
});
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

export const ReportIdInputSchema = z.object({ reportId: IdSchema });
/** Opening a report is audited as a view by the core's current reader. */
export const ReportGetInputSchema = ReportIdInputSchema;

export const ReportDraftInputSchema = z.object({
  studyId: IdSchema,
  /** e.g. `chest-radiograph.en`; by default the chest radiograph template in `language`. */
  templateId: z.string().min(1).max(120).optional(),
  language: ReportLanguageSchema.default('en'),
  /** Key image; by default the study's first image. */
  instanceId: IdSchema.optional(),
  withHeatmap: z.boolean().default(false),
  /**
   * Earlier studies of the same patient the reader compared this one with (the priors shown beside it); they fill
   * the Comparison section. A study of another patient is refused.
   */
  comparisonStudyIds: z.array(IdSchema).max(20).default([]),
});

export const ReportSaveInputSchema = z.object({
  reportId: IdSchema,
  /** Sections as the reader edited them; sections not named keep their text. */
  sections: z.array(z.object({ name: z.string().min(1), text: z.string().max(100_000) })).default([]),
  keyImages: z.array(KeyImageSchema).optional(),
  /** Optimistic concurrency: the `updatedAt` the editor loaded; a different stored value is a conflict. */
  expectedUpdatedAt: z.string().optional(),
});

export const ReportSetStateInputSchema = z.object({
  reportId: IdSchema,
  /** `final` signs it as the core's current reader (see reader:get); no client names the signer. */
  state: z.enum(['preliminary', 'final']),
});

export const ReportAddendumInputSchema = z.object({
  reportId: IdSchema,
  text: z.string().trim().min(1).max(100_000),
});

export const ExportFormatSchema = z.enum(['pdf', 'docx', 'txt', 'fhir', 'sr']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ReportExportInputSchema = z.object({
  reportId: IdSchema,
  format: ExportFormatSchema,
  /** DICOM PS3.15 Basic Profile for the SR; names/IDs removed and dates shifted in the other formats. */
  deidentify: z.boolean().default(false),
  /** Key image and heatmap thumbnails in PDF/DOCX. */
  includeImages: z.boolean().default(true),
});

export const ReportExportSchema = z.object({
  format: ExportFormatSchema,
  /** Where the file is served, e.g. `/files/exports/12/report-12-20260101T101010.pdf`. */
  path: ResourcePathSchema,
  fileName: z.string(),
  contentType: z.string(),
  bytes: z.number().int().nonnegative(),
  deidentified: z.boolean(),
});
export type ReportExport = z.infer<typeof ReportExportSchema>;

export const ReportSearchInputSchema = z.object({
  /** FTS5 over the report text and addenda (prefix match per word); empty lists the latest. */
  text: z.string().max(200).default(''),
  studyId: IdSchema.optional(),
  state: ReportStateSchema.optional(),
  limit: z.number().int().positive().max(500).default(50),
});

export const TemplateSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  language: z.string(),
  /** `shipped` with the application (read-only), `user` in the data directory (a user copy overrides a shipped id). */
  source: z.enum(['shipped', 'user']),
  sections: z.array(z.object({ name: z.string(), title: z.string() })),
  fields: z.array(z.string()),
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

export const TemplateSchema = TemplateSummarySchema.extend({ html: z.string() });
export type Template = z.infer<typeof TemplateSchema>;

export const TemplateIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,118}$/, 'lower-case letters, digits, ".", "_" and "-"');
export const TemplateGetInputSchema = z.object({ templateId: TemplateIdSchema });
export const TemplateSaveInputSchema = z.object({
  templateId: TemplateIdSchema,
  html: z.string().min(1).max(500_000),
});

export const reportOperations = {
  'reports:get': op(ReportGetInputSchema, ReportSchema, 'One report with its sections, AI findings and addenda (audited as a view).'),
  'reports:draft': op(ReportDraftInputSchema, ReportSchema, 'Create a draft report for a study from a template, filled from study data and accepted findings.'),
  'reports:save': op(ReportSaveInputSchema, ReportSchema, 'Save the reader\'s edits to a draft or preliminary report.'),
  'reports:setState': op(
    ReportSetStateInputSchema,
    ReportSchema,
    'Move a report to preliminary, or sign it (final, immutable; refused while Findings or Impression is empty). Signing freezes what the AI showed.',
  ),
  'reports:addendum': op(ReportAddendumInputSchema, ReportSchema, 'Append an addendum to a final report.'),
  'reports:export': op(ReportExportInputSchema, ReportExportSchema, 'Write the report as PDF, DOCX, text, FHIR R4 or DICOM SR under the data directory.'),
  'reports:search': op(ReportSearchInputSchema, z.array(ReportSummarySchema), 'Full-text search over reports and addenda.'),
  'templates:list': op(z.object({}).strict(), z.array(TemplateSummarySchema), 'Shipped and user report templates.'),
  'templates:get': op(TemplateGetInputSchema, TemplateSchema, 'One template with its HTML.'),
  'templates:save': op(TemplateSaveInputSchema, TemplateSummarySchema, 'Add or replace a user template (validated first).'),
};
