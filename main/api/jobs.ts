import { z } from 'zod';

/** Long work (import, analysis, export) runs as a job with an id, progress events and cancellation. */
export const JobKindSchema = z.enum(['import', 'analysis', 'calibration', 'export', 'retrieve']);
export const JobStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const JobSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  state: JobStateSchema,
  /** Units of work done and planned (files for import, images for analysis). */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Units per second over the job so far. */
  rate: z.number().nonnegative(),
  /** Seconds left at the current rate; null until there is a rate. */
  etaSeconds: z.number().nonnegative().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  message: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const JobIdInputSchema = z.object({ jobId: z.string().min(1) });

import { op } from './operation.js';
import { EmptySchema, OkSchema } from './common.js';

export const jobOperations = {
  'jobs:list': op(EmptySchema, z.array(JobSchema), 'Jobs of this launch, newest first.'),
  'jobs:get': op(JobIdInputSchema, JobSchema, 'One job by id.'),
  'jobs:cancel': op(JobIdInputSchema, OkSchema, 'Ask a running job to stop; work already stored is kept.'),
};
