import { randomUUID } from 'node:crypto';
import type { ImportLimits } from '../api/imports.js';
import type { ImportJobRepository } from '../db/importJobRepository.js';
import type { Description } from '../importer/describeImage.js';
import type { ImportLimitSettings } from '../importer/importLimits.js';
import type { DescribeTask } from '../importer/importWorker.js';
import { runImport, type ImportDeps, type ImportRequest } from '../importer/importJob.js';
import type { JobRunner } from '../platform/jobRunner.js';
import { WorkerPool } from '../platform/workerPool.js';
import { finishingWhileOwned, releasingWhenDone, type HeldLease, type JobLeases } from './jobLeases.js';
import type { Service } from './service.js';

const WORKER_URL = new URL(`../importer/importWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * A reader's JavaScript heap: a file that makes the DICOM parser build millions of elements ends its worker (which
 * is replaced, the file failed) long before it could take the process down.
 */
const WORKER_HEAP_MB = 512;

/** Imports run as jobs; the worker pool is started on the first import and shared by later ones. */
export function createImportService(
  deps: Omit<ImportDeps, 'pool' | 'limits'> & { importJobs: ImportJobRepository; jobs: JobRunner; leases: JobLeases; limitSettings: ImportLimitSettings },
): Service {
  let pool: WorkerPool<DescribeTask, Description> | null = null;
  // An import is owned by this process while it runs (a lease); a job whose lease another process took is stopped.
  const cancel = (jobId: string) => () => deps.jobs.cancel(jobId);
  const start = (request: ImportRequest, id: string = randomUUID(), overrides: Partial<ImportLimits> = {}, lease: HeldLease = deps.leases.acquire(id, 'import', cancel(id))) => {
    pool ??= new WorkerPool<DescribeTask, Description>(WORKER_URL, undefined, undefined, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      announcesReady: true,
    });
    const importDeps: ImportDeps = { ...deps, importJobs: finishingWhileOwned(deps.importJobs, lease), pool, limits: { ...deps.limitSettings.get(), ...overrides } };
    return deps.jobs.start('import', releasingWhenDone(lease, (control) => runImport(importDeps, request, control)), { id });
  };
  return {
    'import:start': async ({ paths, sidecarCsv, limits, analyse }) => start({ roots: paths, sidecarCsv, analyse }, undefined, limits),
    'import:resume': async () => {
      const unfinished = deps.importJobs.unfinished();
      const leases = deps.leases.acquireAll(unfinished.map((u) => u.jobId), 'import', (jobId) => cancel(jobId)());
      return unfinished.map((u, i) => start({ roots: u.roots, resume: true }, u.jobId, {}, leases[i]));
    },
    'import:report': async ({ jobId }) => deps.importJobs.report(jobId),
    'import:reports': async ({ limit }) => deps.importJobs.list(limit),
    'import:limits': async () => deps.limitSettings.get(),
    'import:setLimits': async (changes) => deps.limitSettings.set(changes),
    async dispose() {
      await pool?.close();
    },
  };
}
