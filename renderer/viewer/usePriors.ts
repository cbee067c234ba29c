import { startTransition, useEffect, useState } from 'react';
import type { StudyDetail } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';

/** Earlier studies of the same patient, newest first, as study ids (from `priors:get`). */
export function usePriors(client: CoreClient, study: StudyDetail | null): number[] {
  const [priors, setPriors] = useState<number[]>([]);
  useEffect(() => {
    setPriors([]);
    if (!study) return;
    let stale = false;
    void client.invoke('priors:get', { studyId: study.id }).then((r) => {
      if (stale || !r.ok) return;
      // Oldest first, undated last: the studies listed before the current one are its priors.
      const at = r.value.studies.findIndex((s) => s.studyId === study.id);
      const earlier = (at >= 0 ? r.value.studies.slice(0, at) : []).filter((s) => s.instanceIds.length > 0);
      startTransition(() => setPriors(earlier.map((s) => s.studyId).reverse()));
    });
    return () => {
      stale = true;
    };
  }, [client, study]);
  return priors;
}
