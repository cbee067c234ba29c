import { useMemo } from 'react';
import type { Priors, StudyDetail } from '../../main/api/index.js';
import { useCoreQuery } from '../common/useCoreQuery.js';

export type PriorStudy = Priors['studies'][number];

/** Earlier studies of the same patient that have images, newest first (from `priors:get`). */
export function usePriors(study: StudyDetail | null): PriorStudy[] {
  // A transition: the prior list may arrive after the image, which the reader looks at first.
  const { data } = useCoreQuery('priors:get', study ? { studyId: study.id } : null, { transition: true });
  return useMemo(() => {
    if (!data || !study) return [];
    // Oldest first, undated last: the studies listed before the current one are its priors.
    const at = data.studies.findIndex((s) => s.studyId === study.id);
    return (at >= 0 ? data.studies.slice(0, at) : []).filter((s) => s.instanceIds.length > 0).reverse();
  }, [data, study]);
}
