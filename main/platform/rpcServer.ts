import { dispatch, type DispatchOptions } from '../api/dispatch.js';
import { events, type EventName, type EventPayload } from '../api/events.js';
import { RpcClientMessageSchema, type RpcPort, type RpcServerMessage } from '../api/rpc.js';
import type { CoreApi } from '../api/contract.js';

/** What a session needs of the core: the operations and the event bus. */
export interface RpcCore {
  readonly api: CoreApi;
  subscribe<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void): () => void;
}

function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * The server end of one session over `port`: `{id, op, input}` calls answered with `{id, result}` through `dispatch`
 * (every input validated by its zod schema), `{subscribe}` / `{unsubscribe}` for events pushed as `{event, payload}`.
 * A malformed message gets an `{error}` answer and costs nothing else; subscriptions end with the port.
 */
export function serveRpc(core: RpcCore, port: RpcPort, options: DispatchOptions = {}): void {
  const subscriptions = new Map<EventName, () => void>();
  let open = true;
  const send = (message: RpcServerMessage) => {
    if (open) port.send(JSON.stringify(message));
  };

  port.onMessage((data) => {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      send({ error: { code: 'invalid_input', message: 'message is not valid JSON' } });
      return;
    }
    const parsed = RpcClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      send({ error: { code: 'invalid_input', message: 'expected {id, op, input}, {subscribe: event} or {unsubscribe: event}' } });
      return;
    }
    const message = parsed.data;
    if ('op' in message) {
      void dispatch(core.api, message.op, message.input, options).then((result) => send({ id: message.id, result }));
    } else if ('subscribe' in message) {
      const name = message.subscribe;
      if (!isEventName(name)) {
        send({ error: { code: 'not_found', message: `unknown event "${name}"` } });
        return;
      }
      if (!subscriptions.has(name)) subscriptions.set(name, core.subscribe(name, (payload) => send({ event: name, payload })));
    } else {
      const name = message.unsubscribe as EventName;
      subscriptions.get(name)?.();
      subscriptions.delete(name);
    }
  });

  port.onClose(() => {
    open = false;
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}
