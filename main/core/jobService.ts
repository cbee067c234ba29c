import type { Service, CoreContext } from './context.js';

export function createJobService(ctx: CoreContext): Service {
  return {
    'jobs:list': async () => ctx.jobs.list(),
    'jobs:get': async ({ jobId }) => ctx.jobs.get(jobId),
    'jobs:cancel': async ({ jobId }) => {
      ctx.jobs.cancel(jobId);
      return { ok: true as const };
    },
  };
}
