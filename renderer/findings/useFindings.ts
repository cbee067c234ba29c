import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, Finding } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';
import { LANGUAGES } from '../i18n/index.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import type { FindingDecision, FindingView } from './findingView.js';

export interface FindingsState {
  state: 'loading' | 'ready' | 'none' | { error: string };
  findings: FindingView[];
  modelLabel: string | null;
  /** The stored analysis as the core gave it (quality flags, findings text, disclaimer). */
  result: AnalysisResult | null;
  analysing: boolean;
  analyse?: () => void;
  review: (f: FindingView, decision: FindingDecision, editedText?: string) => void;
}

/** Maps one finding of the analysis contract onto what the panel shows. */
export function toFindingView(f: Finding): FindingView {
  return {
    id: f.label,
    label: f.label,
    probability: f.probability,
    threshold: f.threshold,
    positive: f.positive,
    location: f.locationText,
    text: f.sentence,
    heatmap: f.heatmap,
    box: f.boxes[0] ?? null,
    contours: f.contours,
    review: f.review ? { decision: f.review.decision, editedText: f.review.text } : { decision: 'pending', editedText: null },
  };
}

/**
 * The AI findings of one image (`analysis:get`, in the UI language), a way to run the analysis when there is none
 * (`analysis:start` as a job, then fetched again when `jobs:onDidFinish` says it ended), and the reader's decisions
 * (`analysis:review`), shown at once and stored by the core.
 */
export function useFindings(client: CoreClient, instanceId: number | null): FindingsState {
  const { i18n } = useTranslation();
  const language = LANGUAGES.find((l) => l === i18n.language) ?? 'en';
  // A transition: the findings list may render after the image, which the reader looks at first.
  const query = useCoreQuery('analysis:get', instanceId === null ? null : { instanceId, language }, { client, transition: true });
  const result = query.data ?? null;
  // The reader's decisions show at once (optimistic): local findings belong to the answer they were made on, and a
  // new answer (another image, a re-analysis) starts from what the core says.
  const [local, setLocal] = useState<{ for: AnalysisResult | null; findings: FindingView[] } | null>(null);
  const findings = useMemo(
    () => (local && local.for === result ? local.findings : result ? result.findings.map(toFindingView) : []),
    [local, result],
  );
  const setFindings = (next: FindingView[]) => setLocal({ for: result, findings: next });
  const [failureOf, setFailureOf] = useState<{ instanceId: number | null; message: string } | null>(null);
  const failure = failureOf && failureOf.instanceId === instanceId ? failureOf.message : null;
  const setFailure = (message: string | null) => setFailureOf(message === null ? null : { instanceId, message });
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const { reload } = query;
  useEffect(() => {
    if (!jobId) return;
    return client.subscribe('jobs:onDidFinish', (job) => {
      if (job.id !== jobId) return;
      setJobId(null);
      if (job.state === 'failed') setFailure(job.message ?? 'analysis failed');
      else reload();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, jobId, reload]);

  const analyse = useCallback(() => {
    if (instanceId === null) return;
    setStarting(true);
    setFailure(null);
    void client.invoke('analysis:start', { instanceIds: [instanceId] }).then((r) => {
      setStarting(false);
      if (!r.ok) setFailure(r.error.message);
      else if (r.value.state === 'done' || r.value.state === 'failed') reload();
      else setJobId(r.value.id);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, instanceId, reload]);

  const review = useCallback(
    (f: FindingView, decision: FindingDecision, editedText?: string) => {
      if (decision === 'pending' || !result) return;
      const previous = findings;
      setFindings(findings.map((x) => (x.id === f.id ? { ...x, review: { decision, editedText: editedText ?? x.review.editedText } } : x)));
      void client
        .invoke('analysis:review', { analysisId: result.analysisId, label: f.label, decision, ...(editedText ? { text: editedText } : {}) })
        .then((r) => {
          // The decision was not stored: show the panel as the core has it, and why.
          if (!r.ok) {
            setFindings(previous);
            setFailure(r.error.message);
          }
        });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, result, findings, instanceId],
  );

  const state: FindingsState['state'] = failure
    ? { error: failure }
    : query.status === 'error'
      ? { error: query.error!.message }
      : query.status === 'ready' && !starting
        ? result
          ? 'ready'
          : 'none'
        : 'loading';
  return {
    state,
    findings,
    result,
    analysing: jobId !== null,
    modelLabel: result ? `${result.packId} ${result.packVersion}` : null,
    analyse,
    review,
  };
}
