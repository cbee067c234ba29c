import { useEffect, useState } from 'react';
import type { Job } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';

/** Jobs this view started, kept current from `jobs:onDidProgress` / `jobs:onDidFinish`, keyed by the caller's key. */
export function useJobs(client: CoreClient): [Map<string, Job>, (key: string, job: Job) => void] {
  const [jobs, setJobs] = useState<Map<string, Job>>(new Map());
  useEffect(() => {
    const update = (j: Job) =>
      setJobs((current) => {
        const entry = [...current.entries()].find(([, job]) => job.id === j.id);
        if (!entry) return current;
        const next = new Map(current);
        next.set(entry[0], j);
        return next;
      });
    const offP = client.subscribe('jobs:onDidProgress', update);
    const offF = client.subscribe('jobs:onDidFinish', update);
    return () => {
      offP();
      offF();
    };
  }, [client]);
  const track = (key: string, job: Job) => setJobs((current) => new Map(current).set(key, job));
  return [jobs, track];
}
