import { useCallback, useEffect, useRef, useState } from 'react';
import type { Job, Result } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';

export interface JobHandle {
  /** The job this component follows: the one it started, or a running one it re-attached to after a reload. */
  job: Job | null;
  /** True until the core says the job ended (state done, failed or cancelled). */
  running: boolean;
  /** Why the job could not be started (or cancelled), as the core said it. */
  error: string | null;
  /** Starts a job with `begin` (an operation returning a Job) and follows it to its end. */
  start(begin: () => Promise<Result<Job>>): Promise<Job | null>;
  cancel(): void;
}

/** Of two snapshots of one job, the later: an ended job never goes back to running, progress never goes back. */
export function laterSnapshot(a: Job | undefined, b: Job): Job {
  if (!a) return b;
  if (a.finishedAt && !b.finishedAt) return a;
  if (b.finishedAt && !a.finishedAt) return b;
  return b.done + b.failed >= a.done + a.failed ? b : a;
}

const REMEMBERED = 20;

/**
 * Follows one background job of `kind` (import, analysis, calibration...) to its end, whatever the timing:
 * - it listens to job events from mount, before any job starts, and remembers the latest snapshot of each job, so a
 *   job that ends before its start call even returns (a mistyped path, an import with nothing new) is seen ending;
 * - once it knows the job's id it asks `jobs:get` once, for events that went by before the page listened;
 * - with `reattach`, a job of this kind still running when the page (re)loads is found through `jobs:list`.
 * `onFinished` runs once per job, with its final state.
 */
export function useJob(kind: Job['kind'], options: { onFinished?: (job: Job) => void; reattach?: boolean } = {}): JobHandle {
  const client = useCoreClient();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const watched = useRef<string | null>(null);
  const seen = useRef(new Map<string, Job>());
  const notified = useRef(new Set<string>());
  const onFinished = useRef(options.onFinished);
  onFinished.current = options.onFinished;

  const accept = useCallback(
    (j: Job) => {
      if (j.kind !== kind) return;
      const next = laterSnapshot(seen.current.get(j.id), j);
      seen.current.delete(j.id);
      seen.current.set(j.id, next);
      while (seen.current.size > REMEMBERED) seen.current.delete(seen.current.keys().next().value!);
      if (watched.current !== j.id) return;
      setJob(next);
      if (next.finishedAt && !notified.current.has(j.id)) {
        notified.current.add(j.id);
        onFinished.current?.(next);
      }
    },
    [kind],
  );

  useEffect(() => {
    const offProgress = client.subscribe('jobs:onDidProgress', accept);
    const offFinish = client.subscribe('jobs:onDidFinish', accept);
    return () => {
      offProgress();
      offFinish();
    };
  }, [client, accept]);

  const watch = useCallback(
    async (j: Job) => {
      watched.current = j.id;
      accept(j);
      if (j.finishedAt) return;
      const r = await client.invoke('jobs:get', { jobId: j.id });
      if (r.ok) accept(r.value);
    },
    [client, accept],
  );

  const reattach = options.reattach ?? false;
  useEffect(() => {
    if (!reattach) return;
    let stale = false;
    void client.invoke('jobs:list', {}).then((r) => {
      if (stale || !r.ok || watched.current) return;
      const running = r.value.find((j) => j.kind === kind && !j.finishedAt);
      if (running) void watch(running);
    });
    return () => {
      stale = true;
    };
  }, [client, kind, reattach, watch]);

  const start = useCallback(
    async (begin: () => Promise<Result<Job>>) => {
      setError(null);
      const r = await begin();
      if (!r.ok) {
        setError(r.error.message);
        return null;
      }
      await watch(r.value);
      return seen.current.get(r.value.id) ?? r.value;
    },
    [watch],
  );

  const cancel = useCallback(() => {
    const id = watched.current;
    if (!id) return;
    void client.invoke('jobs:cancel', { jobId: id }).then(async (r) => {
      if (!r.ok) setError(r.error.message);
      // The finish event normally follows; asking covers a job that had already ended.
      const now = await client.invoke('jobs:get', { jobId: id });
      if (now.ok) accept(now.value);
    });
  }, [client, accept]);

  return { job, running: job !== null && job.finishedAt === null, error, start, cancel };
}
