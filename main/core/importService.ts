import type { ImportJobRepository } from '../db/importJobRepository.js';
import type { Description } from '../importer/describeImage.js';
import type { DescribeTask } from '../importer/importWorker.js';
import { runImport, type ImportDeps, type ImportRequest } from '../importer/importJob.js';
import type { JobRunner } from '../platform/jobRunner.js';
import { WorkerPool } from '../platform/workerPool.js';
import type { Service } from './service.js';

const WORKER_URL = new URL(`../importer/importWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Imports run as jobs; the worker pool is started on the first import and shared by later ones. */
export function createImportService(deps: Omit<ImportDeps, 'pool'> & { importJobs: ImportJobRepository; jobs: JobRunner }): Service {
  let pool: WorkerPool<DescribeTask, Description> | null = null;
  const start = (request: ImportRequest, id?: string) => {
    pool ??= new WorkerPool<DescribeTask, Description>(WORKER_URL);
    const importDeps: ImportDeps = { ...deps, pool };
    return deps.jobs.start('import', (control) => runImport(importDeps, request, control), { id });
  };
  return {
    'import:start': async ({ paths, sidecarCsv }) => start({ roots: paths, sidecarCsv }),
    'import:resume': async () => deps.importJobs.unfinished().map((u) => start({ roots: u.roots, resume: true }, u.jobId)),
    'import:report': async ({ jobId }) => deps.importJobs.report(jobId),
    'import:reports': async ({ limit }) => deps.importJobs.list(limit),
    async dispose() {
      await pool?.close();
    },
  };
}
