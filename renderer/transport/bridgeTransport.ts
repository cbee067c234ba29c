import type { OperationInput, OperationName, OperationOutput } from '../../main/api/contract.js';
import type { Result } from '../../main/api/envelope.js';
import type { EventName, EventPayload } from '../../main/api/events.js';
import { BRIDGE_TOKEN_QUERY, type BridgeClientMessage, type BridgeServerMessage } from '../../main/api/transport.js';
import type { Transport } from './types.js';

/**
 * The part of a WebSocket this client uses. The browser's WebSocket and the `ws` package both fit, so the same
 * code runs in the page and in Node integration tests.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface BridgeTransportOptions {
  /** The bridge's address, e.g. `http://127.0.0.1:5123` (no trailing slash needed). */
  baseUrl: string;
  token: string;
  /** Opens a WebSocket; defaults to the global WebSocket. */
  openSocket?: (url: string) => WebSocketLike;
  /** Delay before reconnecting after the socket closed, doubled up to 5 s. */
  reconnectDelayMs?: number;
}

export interface BridgeTransport extends Transport {
  /** Closes the socket for good (tests, page unload). */
  close(): void;
}

const OPEN = 1;
const MAX_RECONNECT_DELAY_MS = 5000;

/**
 * Browser mode: calls and events over one WebSocket to the bridge (`/ws`), files over HTTP with the token in the
 * query (so <img src> works). The socket opens on first use, re-subscribes after a reconnect, and answers calls
 * cut off by a lost connection with an error envelope rather than leaving them pending.
 */
export function createBridgeTransport(options: BridgeTransportOptions): BridgeTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/ws?${BRIDGE_TOKEN_QUERY}=${encodeURIComponent(options.token)}`;
  const openSocket =
    options.openSocket ?? ((url: string) => new (globalThis as unknown as { WebSocket: new (u: string) => WebSocketLike }).WebSocket(url));
  const initialDelay = options.reconnectDelayMs ?? 250;

  let socket: WebSocketLike | null = null;
  let closed = false;
  let nextId = 1;
  let delay = initialDelay;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  const queue: string[] = [];
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const sendNow = (message: BridgeClientMessage) => socket?.send(JSON.stringify(message));

  function connect(): void {
    if (socket || closed) return;
    const ws = openSocket(wsUrl);
    socket = ws;
    ws.onopen = () => {
      delay = initialDelay;
      for (const name of listeners.keys()) sendNow({ subscribe: name });
      for (const data of queue.splice(0)) ws.send(data);
    };
    ws.onmessage = (event) => receive(event.data);
    ws.onerror = () => {
      // A close event follows; that is where pending work is settled.
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      queue.length = 0;
      const lost: Result<unknown> = {
        ok: false,
        error: { code: 'internal', message: 'the connection to the workstation was lost; try again' },
      };
      for (const settle of pending.values()) settle(lost);
      pending.clear();
      // Only come back by ourselves when someone is listening; calls reconnect on demand.
      if (!closed && listeners.size > 0 && !reconnectTimer) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          connect();
        }, delay);
        delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
      }
    };
  }

  function receive(data: unknown): void {
    let message: BridgeServerMessage;
    try {
      message = JSON.parse(String(data)) as BridgeServerMessage;
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
          console.error(`[transport] a listener of ${message.event} threw:`, err);
        }
      }
    } else if ('error' in message) {
      console.warn(`[transport] the bridge refused a message: ${message.error.message}`);
    }
  }

  return {
    kind: 'bridge',
    invoke<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>> {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'the transport is closed' } });
      const id = nextId++;
      const data = JSON.stringify({ id, op: name, input } satisfies BridgeClientMessage);
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        if (socket?.readyState === OPEN) socket.send(data);
        else {
          queue.push(data);
          connect();
        }
      });
    },
    subscribe<E extends EventName>(name: E, callback: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(name);
      if (!set) {
        listeners.set(name, (set = new Set()));
        if (socket?.readyState === OPEN) sendNow({ subscribe: name });
        else connect();
      }
      const entry = callback as (payload: unknown) => void;
      set.add(entry);
      return () => {
        if (!set.delete(entry) || set.size > 0) return;
        listeners.delete(name);
        if (socket?.readyState === OPEN) sendNow({ unsubscribe: name });
      };
    },
    resourceUrl(path: string): string {
      const separator = path.includes('?') ? '&' : '?';
      return `${baseUrl}${path}${separator}${BRIDGE_TOKEN_QUERY}=${encodeURIComponent(options.token)}`;
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close();
    },
  };
}
