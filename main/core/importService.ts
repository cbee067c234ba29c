import type { ImportLimits } from '../api/imports.js';
import type { ImportJobRepository } from '../db/importJobRepository.js';
import type { Description } from '../importer/describeImage.js';
import type { ImportLimitSettings } from '../importer/importLimits.js';
import type { DescribeTask } from '../importer/importWorker.js';
import { runImport, type ImportDeps, type ImportRequest } from '../importer/importJob.js';
import type { JobRunner } from '../platform/jobRunner.js';
import { WorkerPool } from '../platform/workerPool.js';
import type { Service } from './service.js';

const WORKER_URL = new URL(`../importer/importWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * A reader's JavaScript heap: a file that makes the DICOM parser build millions of elements ends its worker (which
 * is replaced, the file failed) long before it could take the process down.
 */
const WORKER_HEAP_MB = 512;

/** Imports run as jobs; the worker pool is started on the first import and shared by later ones. */
export function createImportService(
  deps: Omit<ImportDeps, 'pool' | 'limits'> & { importJobs: ImportJobRepository; jobs: JobRunner; limitSettings: ImportLimitSettings },
): Service {
  let pool: WorkerPool<DescribeTask, Description> | null = null;
  const start = (request: ImportRequest, id?: string, overrides: Partial<ImportLimits> = {}) => {
    pool ??= new WorkerPool<DescribeTask, Description>(WORKER_URL, undefined, undefined, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      announcesReady: true,
    });
    const importDeps: ImportDeps = { ...deps, pool, limits: { ...deps.limitSettings.get(), ...overrides } };
    return deps.jobs.start('import', (control) => runImport(importDeps, request, control), { id });
  };
  return {
    'import:start': async ({ paths, sidecarCsv, limits, analyse }) => start({ roots: paths, sidecarCsv, analyse }, undefined, limits),
    'import:resume': async () => deps.importJobs.unfinished().map((u) => start({ roots: u.roots, resume: true }, u.jobId)),
    'import:report': async ({ jobId }) => deps.importJobs.report(jobId),
    'import:reports': async ({ limit }) => deps.importJobs.list(limit),
    'import:limits': async () => deps.limitSettings.get(),
    'import:setLimits': async (changes) => deps.limitSettings.set(changes),
    async dispose() {
      await pool?.close();
    },
  };
}
