import type { JobRunner } from '../platform/jobRunner.js';
import type { Service } from './service.js';

/** Every kind of job (import, analysis, calibration, export...) is listed, watched and cancelled the same way. */
export function createJobService(deps: { jobs: JobRunner }): Service {
  const { jobs } = deps;
  return {
    'jobs:list': async () => jobs.list(),
    'jobs:get': async ({ jobId }) => jobs.get(jobId),
    'jobs:cancel': async ({ jobId }) => {
      jobs.cancel(jobId);
      return { ok: true as const };
    },
  };
}
