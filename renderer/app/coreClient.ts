import type { EventName, EventPayload, OperationInput, OperationName, OperationOutput, Result } from '../../main/api/index.js';

/**
 * What the UI needs from a transport (renderer/transport's `createTransport()` returns one): call an operation of
 * the contract, listen to core events, and turn a `/files/...` resource path into a URL the browser can fetch.
 * Declared here structurally so components and their tests depend on this shape, not on a concrete transport.
 */
export interface CoreClient {
  invoke<N extends OperationName>(op: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>>;
  subscribe<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  resourceUrl(path: string): string;
}

/** Thrown by {@link call} so UI code can use try/catch; carries the envelope's error code. */
export class CoreCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CoreCallError';
  }
}

/** Invokes an operation and unwraps the result envelope (a failure becomes a {@link CoreCallError}). */
export async function call<N extends OperationName>(
  client: CoreClient,
  op: N,
  input: OperationInput<N>,
): Promise<OperationOutput<N>> {
  const result = await client.invoke(op, input);
  if (!result.ok) throw new CoreCallError(result.error.code, result.error.message);
  return result.value;
}
