import { ImportJobRepository } from '../db/importJobRepository.js';
import type { Description } from '../importer/describeImage.js';
import type { DescribeTask } from '../importer/importWorker.js';
import { runImport, type ImportRequest } from '../importer/importJob.js';
import type { CoreContext, Service } from './context.js';
import { WorkerPool } from './workerPool.js';

const WORKER_URL = new URL(`../importer/importWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Imports run as jobs; the worker pool is started on the first import and shared by later ones. */
export function createImportService(ctx: CoreContext): Service {
  const jobs = new ImportJobRepository(ctx.db);
  let pool: WorkerPool<DescribeTask, Description> | null = null;
  const start = (request: ImportRequest, id?: string) => {
    pool ??= new WorkerPool<DescribeTask, Description>(WORKER_URL);
    const deps = { db: ctx.db, dataDir: ctx.config.dataDir, events: ctx.events, pool };
    return ctx.jobs.start('import', (control) => runImport(deps, request, control), { id });
  };
  return {
    'import:start': async ({ paths, sidecarCsv }) => start({ roots: paths, sidecarCsv }),
    'import:resume': async () => jobs.unfinished().map((u) => start({ roots: u.roots, resume: true }, u.jobId)),
    'import:report': async ({ jobId }) => jobs.report(jobId),
    'import:reports': async ({ limit }) => jobs.list(limit),
    async dispose() {
      await pool?.close();
    },
  };
}
