import { startTransition, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisResult, Finding } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';
import { LANGUAGES } from '../i18n/index.js';
import type { FindingDecision, FindingView } from './findingView.js';

export interface FindingsState {
  state: 'loading' | 'ready' | 'none' | 'unavailable' | { error: string };
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
  const [result, setResult] = useState<AnalysisResult | null>(null);
  const [state, setState] = useState<FindingsState['state']>('loading');
  const [findings, setFindings] = useState<FindingView[]>([]);
  const [jobId, setJobId] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (instanceId === null) return;
    let stale = false;
    setState('loading');
    void client.invoke('analysis:get', { instanceId, language }).then((r) => {
      if (stale) return;
      if (!r.ok) {
        setState(r.error.code === 'not_found' && /unknown operation/.test(r.error.message) ? 'unavailable' : { error: r.error.message });
        return;
      }
      // A transition: the findings list may render after the image, which the reader looks at first.
      startTransition(() => {
        setResult(r.value);
        // A withheld image has no findings at all (the contract has no place for them).
        setFindings(r.value?.status === 'shown' ? r.value.findings.map(toFindingView) : []);
        setState(r.value ? 'ready' : 'none');
      });
    });
    return () => {
      stale = true;
    };
  }, [client, instanceId, language, tick]);

  useEffect(() => {
    if (!jobId) return;
    return client.subscribe('jobs:onDidFinish', (job) => {
      if (job.id !== jobId) return;
      setJobId(null);
      if (job.state === 'failed') setState({ error: job.message ?? 'analysis failed' });
      else setTick((n) => n + 1);
    });
  }, [client, jobId]);

  const analyse = useCallback(() => {
    if (instanceId === null) return;
    setState('loading');
    void client.invoke('analysis:start', { instanceIds: [instanceId] }).then((r) => {
      if (!r.ok) setState({ error: r.error.message });
      else if (r.value.state === 'done' || r.value.state === 'failed') setTick((n) => n + 1);
      else setJobId(r.value.id);
    });
  }, [client, instanceId]);

  const review = useCallback(
    (f: FindingView, decision: FindingDecision, editedText?: string) => {
      if (decision === 'pending' || !result) return;
      const previous = findings;
      setFindings((all) => all.map((x) => (x.id === f.id ? { ...x, review: { decision, editedText: editedText ?? x.review.editedText } } : x)));
      void client
        .invoke('analysis:review', { analysisId: result.analysisId, label: f.label, decision, ...(editedText ? { text: editedText } : {}) })
        .then((r) => {
          // The decision was not stored: show the panel as the core has it, and why.
          if (!r.ok) {
            setFindings(previous);
            setState({ error: r.error.message });
          }
        });
    },
    [client, result, findings],
  );

  const overrideGate = useCallback(
    (reason: string) => {
      if (!result || result.status !== 'withheld') return;
      void client.invoke('analysis:overrideGate', { analysisId: result.analysisId, reason }).then((r) => {
        if (!r.ok) setState({ error: r.error.message });
        else setTick((n) => n + 1);
      });
    },
    [client, result],
  );

  return {
    state,
    findings,
    result,
    overrideGate,
    analysing: jobId !== null,
    modelLabel: result ? `${result.packId} ${result.packVersion}` : null,
    analyse,
    review,
  };
}
