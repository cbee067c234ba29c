import { z } from 'zod';
import { JobSchema } from './jobs.js';

/**
 * What one import may cost, checked before anything is allocated: a file over a limit is rejected with the limit's
 * name and value, and the import goes on. A site's values live in the settings (`import:setLimits`, or
 * `cxr import --limits --max-...`); `import:start` may override them for one import.
 */
export const ImportLimitsSchema = z.object({
  /** Largest file, or zip member once uncompressed, that is read at all (bytes). */
  maxFileBytes: z.number().int().positive(),
  /** Largest image a header may declare: rows × columns × frames (pixels). */
  maxDeclaredPixels: z.number().int().positive(),
  /**
   * Most memory one file may expand to when decoded (bytes): a frame's samples with its display rendering, an
   * inflated data set, a decoder's output.
   */
  maxDecodedBytes: z.number().int().positive(),
  /** Highest expansion ratio (uncompressed ÷ compressed) of a zip member larger than 1 MiB. */
  maxZipRatio: z.number().positive(),
  /** Longest time one file may take to read, decode and thumbnail (seconds); its worker is then replaced. */
  maxFileSeconds: z.number().positive(),
});
export type ImportLimits = z.infer<typeof ImportLimitsSchema>;

export const ImportStartInputSchema = z.object({
  /** Files, folders (walked recursively), DICOMDIR files and .zip archives. */
  paths: z.array(z.string().min(1)).min(1),
  /**
   * Optional CSV giving patient/study data and reference labels for non-DICOM images, keyed by file name
   * (the NIH ChestX-ray14 label file format is understood). A `labels.csv`/`Data_Entry_*.csv` found beside the
   * images is used automatically.
   */
  sidecarCsv: z.string().min(1).optional(),
  /** Limits for this import only, over the site's (see ImportLimitsSchema). */
  limits: ImportLimitsSchema.partial().optional(),
  /**
   * Analyse each new or changed image with the active pack in the same pass, from the pixels decoded for its
   * thumbnail. Absent: the site's setting (`models:setSettings` analyseOnImport; on when a pack is installed).
   */
  analyse: z.boolean().optional(),
});
export type ImportStartInput = z.infer<typeof ImportStartInputSchema>;

export const ImportFailureSchema = z.object({ path: z.string(), reason: z.string() });
export type ImportFailure = z.infer<typeof ImportFailureSchema>;

/** What an import did, stored with the job and printed by the CLI. */
export const ImportReportSchema = z.object({
  jobId: z.string(),
  state: JobSchema.shape.state,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  roots: z.array(z.string()),
  /** New images indexed. */
  imported: z.number().int().nonnegative(),
  /** Images whose file changed since the last import (content hash differs): re-indexed. */
  updated: z.number().int().nonnegative(),
  /** Files already indexed and unchanged, or not images (e.g. a DICOMDIR, an SR) and skipped on purpose. */
  skipped: z.number().int().nonnegative(),
  /** Skipped files with a reason other than "unchanged" (at most 1000 listed). */
  skippedReasons: z.array(ImportFailureSchema),
  /**
   * Files imported with a note (e.g. an out-of-range InstanceNumber stored as absent), with the note (at most 1000
   * listed).
   */
  warnings: z.array(ImportFailureSchema),
  /** Files that could not be imported, with the reason (at most 1000 listed; failedCount is exact). */
  failed: z.array(ImportFailureSchema),
  failedCount: z.number().int().nonnegative(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const ImportListInputSchema = z.object({ limit: z.number().int().positive().max(500).default(20) });

import { op } from './operation.js';
import { JobIdInputSchema } from './jobs.js';
import { EmptySchema } from './common.js';

export const importOperations = {
  'import:start': op(ImportStartInputSchema, JobSchema, 'Import files, folders, DICOMDIRs and zips in the background.'),
  'import:report': op(JobIdInputSchema, ImportReportSchema, 'The stored report of an import job.'),
  'import:resume': op(EmptySchema, z.array(JobSchema), 'Resume imports a crash left unfinished; files already done are not redone.'),
  'import:reports': op(ImportListInputSchema, z.array(ImportReportSchema), 'The latest import reports, newest first.'),
  'import:limits': op(EmptySchema, ImportLimitsSchema, "The site's import limits (defaults where none was set)."),
  'import:setLimits': op(ImportLimitsSchema.partial(), ImportLimitsSchema, "Changes some of the site's import limits; returns them all."),
};
