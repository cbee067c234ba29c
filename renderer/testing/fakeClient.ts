import type { ErrorCode, EventName, EventPayload, OperationInput, OperationName, OperationOutput, Result } from '../../main/api/index.js';
import type { CoreClient } from '../app/coreClient.js';

type Handlers = { [N in OperationName]?: (input: OperationInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>> };

/**
 * A scripted core for component tests: answers operations from handlers, records every call, and lets the test
 * emit events. It stands in for the transport only; the components under test are real.
 */
export class FakeClient implements CoreClient {
  readonly calls: { op: OperationName; input: unknown }[] = [];
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();

  constructor(private readonly handlers: Handlers) {}

  async invoke<N extends OperationName>(op: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>> {
    this.calls.push({ op, input });
    const handler = this.handlers[op] as ((i: OperationInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>>) | undefined;
    if (!handler) return { ok: false, error: { code: 'not_found', message: `no fake for ${op}` } };
    try {
      return { ok: true, value: await handler(input) };
    } catch (err) {
      // A handler throws `Object.assign(new Error(m), { code: 'conflict' })` to answer with that error code.
      const code = (err as { code?: ErrorCode }).code ?? 'internal';
      return { ok: false, error: { code, message: (err as Error).message } };
    }
  }

  subscribe<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const fn = cb as (p: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const fn of this.listeners.get(event) ?? []) fn(payload);
  }

  resourceUrl(path: string): string {
    return `http://core.test${path}`;
  }

  callsOf<N extends OperationName>(op: N): OperationInput<N>[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.input as OperationInput<N>);
  }
}
