import { useEffect, useState } from 'react';
import type { StudyDetail, StudySummary } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';

/**
 * Earlier studies of the same patient, newest first. The worklist query has no patient filter, so the patient ID
 * is searched as text and the results narrowed to the same patient row.
 */
export function usePriors(client: CoreClient, study: StudyDetail | null): StudySummary[] {
  const [priors, setPriors] = useState<StudySummary[]>([]);
  useEffect(() => {
    setPriors([]);
    if (!study || !study.patientId) return;
    let stale = false;
    void client
      .invoke('studies:list', { text: study.patientId, sort: { field: 'date', dir: 'desc' }, limit: 100 })
      .then((r) => {
        if (stale || !r.ok) return;
        setPriors(
          r.value.items.filter(
            (s) => s.patientRowId === study.patientRowId && s.id !== study.id && (!study.date || !s.date || s.date <= study.date),
          ),
        );
      });
    return () => {
      stale = true;
    };
  }, [client, study]);
  return priors;
}
