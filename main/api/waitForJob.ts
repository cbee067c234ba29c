import type { CoreApi } from './contract.js';
import type { EventName, EventPayload } from './events.js';
import type { Job } from './jobs.js';

/** What a client needs to wait on a job: `jobs:get` and the `jobs:onDidFinish` event. */
export interface JobClient {
  readonly api: Pick<CoreApi, 'jobs:get'>;
  subscribe<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): () => void;
}

const ENDED = new Set<Job['state']>(['done', 'failed', 'cancelled']);

/**
 * Resolves with the job once it has ended, as any client of the contract sees it: listen for `jobs:onDidFinish`
 * first, then ask once, so a job that ended in between is not missed.
 */
export function waitForJob(client: JobClient, jobId: string): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    let settled = false;
    const settle = (job: Job) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      resolve(job);
    };
    const unsubscribe = client.subscribe('jobs:onDidFinish', (job) => {
      if (job.id === jobId) settle(job);
    });
    client.api['jobs:get']({ jobId }).then(
      (job) => {
        if (ENDED.has(job.state)) settle(job);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
