import { z } from 'zod';
import type { Result } from './envelope.js';
import type { OperationInput, OperationName, OperationOutput } from './contract.js';
import type { EventName, EventPayload } from './events.js';

/**
 * One RPC session over any message port, in the style of VS Code's channels: the same protocol and the same code
 * serve Electron IPC and the bridge's WebSocket. A port only moves text messages; `connectRpc` (the client, here in
 * the contract so the renderer can use it) and `serveRpc` (main/platform/rpcServer.ts) speak this protocol over it.
 */
export interface RpcPort {
  /** Sends one message; messages sent while the port is not open are the port's to queue or drop. */
  send(message: string): void;
  /** Every message received. */
  onMessage(listener: (message: string) => void): void;
  /** The other side is gone (the socket closed, the window went away); pending calls fail. */
  onClose(listener: () => void): void;
  /** A port that reconnects by itself (the WebSocket) says when it is open again, so subscriptions are renewed. */
  onOpen?(listener: () => void): void;
}

/** Messages a client sends. */
export const RpcClientMessageSchema = z.union([
  z.object({ id: z.union([z.number(), z.string()]), op: z.string().min(1), input: z.unknown().optional() }).strict(),
  z.object({ subscribe: z.string().min(1) }).strict(),
  z.object({ unsubscribe: z.string().min(1) }).strict(),
]);
export type RpcClientMessage = z.infer<typeof RpcClientMessageSchema>;

/** Messages the server sends: a call's result (same `id`), an event, or a complaint about a malformed message. */
export type RpcServerMessage =
  | { id: number | string; result: Result<unknown> }
  | { event: string; payload: unknown }
  | { error: { code: 'invalid_input' | 'not_found'; message: string } };

/** The client end of a session: typed calls and events, from the contract. */
export interface RpcClient {
  invoke<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>>;
  /** Returns its own unsubscribe. */
  subscribe<E extends EventName>(name: E, callback: (payload: EventPayload<E>) => void): () => void;
}

const LOST: Result<never> = { ok: false, error: { code: 'internal', message: 'the connection to the workstation was lost; try again' } };

/**
 * The client end of a session over `port`: numbers calls and matches their answers, keeps one subscription per event
 * however many listeners it has (renewed whenever the port opens again), and answers calls cut off by a closed port
 * with an error envelope rather than leaving them pending.
 */
export function connectRpc(port: RpcPort): RpcClient {
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const send = (message: RpcClientMessage) => port.send(JSON.stringify(message));

  port.onMessage((data) => {
    let message: RpcServerMessage;
    try {
      message = JSON.parse(data) as RpcServerMessage;
    } catch {
      return;
    }
    if ('result' in message) {
      const settle = pending.get(Number(message.id));
      pending.delete(Number(message.id));
      settle?.(message.result);
    } else if ('event' in message) {
      for (const callback of listeners.get(message.event) ?? []) {
        try {
          callback(message.payload);
        } catch (err) {
          console.error(`[rpc] a listener of ${message.event} threw:`, err);
        }
      }
    } else if ('error' in message) {
      console.warn(`[rpc] the workstation refused a message: ${message.error.message}`);
    }
  });
  port.onClose(() => {
    for (const settle of pending.values()) settle(LOST);
    pending.clear();
  });
  port.onOpen?.(() => {
    for (const name of listeners.keys()) send({ subscribe: name });
  });

  return {
    invoke(name, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        send({ id, op: name, input });
      });
    },
    subscribe(name, callback) {
      let set = listeners.get(name);
      if (!set) {
        listeners.set(name, (set = new Set()));
        send({ subscribe: name });
      }
      const entry = callback as (payload: unknown) => void;
      set.add(entry);
      return () => {
        if (!set.delete(entry) || set.size > 0) return;
        listeners.delete(name);
        send({ unsubscribe: name });
      };
    },
  };
}
