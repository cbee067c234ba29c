import type { WebSocket } from 'ws';
import { dispatch, type DispatchOptions } from '../api/dispatch.js';
import { events, type EventName } from '../api/events.js';
import { BridgeClientMessageSchema, type BridgeServerMessage } from '../api/transport.js';
import type { BridgeCore } from './types.js';

function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * Serves one authenticated WebSocket: `{id, op, input}` calls answered with `{id, result}` (through `dispatch`, so
 * inputs are validated exactly as over IPC), and `{subscribe}` / `{unsubscribe}` for events pushed as
 * `{event, payload}`. Subscriptions end with the socket.
 */
export function serveConnection(ws: WebSocket, core: BridgeCore, options: DispatchOptions = {}): void {
  const subscriptions = new Map<EventName, () => void>();
  const send = (message: BridgeServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ error: { code: 'invalid_input', message: 'binary messages are not part of the protocol; send JSON text' } });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      send({ error: { code: 'invalid_input', message: 'message is not valid JSON' } });
      return;
    }
    const parsed = BridgeClientMessageSchema.safeParse(raw);
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
      if (!subscriptions.has(name)) {
        subscriptions.set(name, core.subscribe(name, (payload) => send({ event: name, payload })));
      }
    } else {
      const name = message.unsubscribe as EventName;
      subscriptions.get(name)?.();
      subscriptions.delete(name);
    }
  });

  ws.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}
