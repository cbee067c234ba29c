import { useCallback, useState } from 'react';
import type { CoreClient } from '../app/coreClient.js';
import { hasOperation } from '../app/CoreClientContext.js';
import type { FindingDecision, FindingView } from './findingView.js';

export interface FindingsState {
  state: 'loading' | 'ready' | 'none' | 'unavailable' | { error: string };
  findings: FindingView[];
  modelLabel: string | null;
  analyse?: () => void;
  review: (f: FindingView, decision: FindingDecision, editedText?: string) => void;
}

/**
 * The AI findings of one image, from the analysis operations of the contract. While the core has none, the panel
 * says so instead of showing anything invented.
 */
export function useFindings(_client: CoreClient, _instanceId: number | null): FindingsState {
  const [findings, setFindings] = useState<FindingView[]>([]);
  const review = useCallback((f: FindingView, decision: FindingDecision, editedText?: string) => {
    setFindings((all) => all.map((x) => (x.id === f.id ? { ...x, review: { decision, editedText: editedText ?? x.review.editedText } } : x)));
  }, []);
  if (!hasOperation('analysis:get')) return { state: 'unavailable', findings, modelLabel: null, review };
  return { state: 'unavailable', findings, modelLabel: null, review };
}
