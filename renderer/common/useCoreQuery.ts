import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, OperationInput, OperationName, OperationOutput } from '../../main/api/index.js';
import { useCoreClient } from '../app/CoreClientContext.js';
import type { CoreClient } from '../app/coreClient.js';

/**
 * What a component knows about one operation's answer. `data` stays the last answer while a new one loads (a
 * worklist keeps its rows while the filter changes); `error` is the envelope's message, never an exception.
 */
export interface QueryState<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: T | undefined;
  error: { code: string; message: string } | null;
  /** Asks again with the same input (after a write the core does not announce). */
  reload: () => void;
}

export interface QueryOptions {
  /** Core events after which the answer is asked for again (e.g. `studies:onDidChange` for the worklist). */
  refreshOn?: readonly EventName[];
  /** Deliver the answer as a transition, so what the reader looks at first (the image) is drawn first. */
  transition?: boolean;
  /** The client to ask; by default the one of the nearest provider. */
  client?: CoreClient;
  /** Keep showing the previous input's answer while the new one loads (lists); by default it is dropped at once. */
  keepPrevious?: boolean;
}

/**
 * The renderer's one pattern for reading from the core: call `op` with `input` whenever the input changes (compared
 * by value), ignore answers that arrive after a newer question, and ask again on `reload()` or a named event.
 * `input === null` means "nothing to ask yet" (status `idle`). Writes stay plain `invoke` calls.
 */
export function useCoreQuery<N extends OperationName>(op: N, input: OperationInput<N> | null, options: QueryOptions = {}): QueryState<OperationOutput<N>> {
  const fromContext = useCoreClient();
  const client = options.client ?? fromContext;
  const key = input === null ? null : JSON.stringify(input);
  const [tick, setTick] = useState(0);
  // `for` is the input the data answers: a new input never shows the previous one's answer, even for the one render
  // before the effect below runs (unless the caller keeps it on purpose).
  const [state, setState] = useState<Omit<QueryState<OperationOutput<N>>, 'reload'> & { for: string | null }>({
    status: key === null ? 'idle' : 'loading',
    data: undefined,
    error: null,
    for: key,
  });
  // The input travels by ref so the effect depends on its value (the key), not on the caller's object identity.
  const inputRef = useRef(input);
  inputRef.current = input;
  const transition = options.transition ?? false;

  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle', data: undefined, error: null, for: null });
      return;
    }
    let stale = false;
    setState((s) => ({ ...s, status: 'loading', error: null }));
    void client.invoke(op, inputRef.current as OperationInput<N>).then((r) => {
      if (stale) return;
      const apply = () =>
        setState(r.ok ? { status: 'ready', data: r.value, error: null, for: key } : { status: 'error', data: undefined, error: r.error, for: key });
      if (transition) startTransition(apply);
      else apply();
    });
    return () => {
      stale = true;
    };
  }, [client, op, key, tick, transition]);

  const refreshOn = (options.refreshOn ?? []).join('|');
  useEffect(() => {
    if (!refreshOn || key === null) return;
    const offs = refreshOn.split('|').map((name) => client.subscribe(name as EventName, () => setTick((n) => n + 1)));
    return () => offs.forEach((off) => off());
  }, [client, refreshOn, key]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  if (key === null) return { status: 'idle', data: undefined, error: null, reload };
  const current = state.for === key || options.keepPrevious;
  return {
    status: current ? state.status : 'loading',
    data: current ? state.data : undefined,
    error: current ? state.error : null,
    reload,
  };
}
