import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, Finding } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';
import { LANGUAGES } from '../i18n/index.js';
import { useCoreQuery } from '../common/useCoreQuery.js';
import { useJob } from '../common/useJob.js';
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
  /** The reader's explicit override of the quality/view gate for a withheld image (audited by the core). */
  overrideGate: (reason: string) => void;
}

/** Maps one finding of the analysis contract onto what the panel shows. */
export function toFindingView(f: Finding): FindingView {
  return {
    id: f.label,
    label: f.label,
    probability: f.probability,
    threshold: f.operatingPoint.status === 'validated' ? f.operatingPoint.threshold : null,
    positive: f.operatingPoint.status === 'validated' && f.positive,
    notCalibrated: f.operatingPoint.status === 'not_calibrated' ? f.operatingPoint.reason : null,
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
  // A withheld image has no findings at all (the contract has no place for them).
  // The reader's decisions show at once (optimistic): local findings belong to the answer they were made on, and a
  // new answer (another image, a re-analysis) starts from what the core says.
  const [local, setLocal] = useState<{ for: AnalysisResult | null; findings: FindingView[] } | null>(null);
  const findings = useMemo(
    () => (local && local.for === result ? local.findings : result?.status === 'shown' ? result.findings.map(toFindingView) : []),
    [local, result],
  );
  const setFindings = (next: FindingView[]) => setLocal({ for: result, findings: next });
  const [failureOf, setFailureOf] = useState<{ instanceId: number | null; message: string } | null>(null);
  const failure = failureOf && failureOf.instanceId === instanceId ? failureOf.message : null;
  const setFailure = (message: string | null) => setFailureOf(message === null ? null : { instanceId, message });

  const { reload } = query;
  // One image's analysis as a job, followed to its end even when it ends before the start call returns.
  const job = useJob('analysis', {
    onFinished: (j) => {
      if (j.state === 'failed') setFailure(j.message ?? 'analysis failed');
      else reload();
    },
  });
  const { start: startJob } = job;
  const analyse = useCallback(() => {
    if (instanceId === null) return;
    setFailure(null);
    void startJob(() => client.invoke('analysis:start', { instanceIds: [instanceId] }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, instanceId, startJob]);
  const startError = job.error;

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

  const overrideGate = useCallback(
    (reason: string) => {
      if (!result || result.status !== 'withheld') return;
      void client.invoke('analysis:overrideGate', { analysisId: result.analysisId, reason }).then((r) => {
        if (!r.ok) setFailure(r.error.message);
        else reload();
      });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, result, reload, instanceId],
  );

  let state: FindingsState['state'] = 'loading';
  if (failure ?? startError) state = { error: (failure ?? startError)! };
  else if (query.status === 'error') state = { error: query.error!.message };
  else if (query.status === 'ready' && !job.running) state = result ? 'ready' : 'none';
  return {
    state,
    findings,
    result,
    overrideGate,
    analysing: job.running,
    modelLabel: result ? `${result.packId} ${result.packVersion}` : null,
    analyse,
    review,
  };
}
