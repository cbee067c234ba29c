import { BRIDGE_TOKEN_QUERY } from '../../main/api/transport.js';
import { connectRpc, type RpcPort } from '../../main/api/rpc.js';
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
 * An RpcPort over the bridge's WebSocket that opens on first use, queues messages until it is open, and after a lost
 * connection opens again by itself (with backoff), telling the session so it renews its subscriptions.
 */
function reconnectingSocketPort(url: string, openSocket: (url: string) => WebSocketLike, initialDelay: number): RpcPort & { close(): void } {
  let socket: WebSocketLike | null = null;
  let closed = false;
  let delay = initialDelay;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const queue: string[] = [];
  const messageListeners: Array<(m: string) => void> = [];
  const closeListeners: Array<() => void> = [];
  const openListeners: Array<() => void> = [];
  let everClosed = false;

  const connect = () => {
    if (socket || closed) return;
    const ws = openSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = initialDelay;
      if (everClosed) for (const l of openListeners) l();
      for (const data of queue.splice(0)) ws.send(data);
    };
    ws.onmessage = (event) => {
      for (const l of messageListeners) l(String(event.data));
    };
    ws.onerror = () => {
      // A close event follows; that is where pending work is settled.
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      everClosed = true;
      queue.length = 0;
      for (const l of closeListeners) l();
      if (!closed && !timer) {
        timer = setTimeout(() => {
          timer = null;
          connect();
        }, delay);
        delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
      }
    };
  };

  return {
    send(message) {
      if (closed) return;
      if (socket?.readyState === OPEN) socket.send(message);
      else {
        queue.push(message);
        connect();
      }
    },
    onMessage: (l) => messageListeners.push(l),
    onClose: (l) => closeListeners.push(l),
    onOpen: (l) => openListeners.push(l),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    },
  };
}

/**
 * Browser mode: the RPC session (main/api/rpc.ts) over one WebSocket to the bridge (`/ws`), files over HTTP with the
 * token in the query (so <img src> works).
 */
export function createBridgeTransport(options: BridgeTransportOptions): BridgeTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/ws?${BRIDGE_TOKEN_QUERY}=${encodeURIComponent(options.token)}`;
  const openSocket =
    options.openSocket ?? ((url: string) => new (globalThis as unknown as { WebSocket: new (u: string) => WebSocketLike }).WebSocket(url));
  const port = reconnectingSocketPort(wsUrl, openSocket, options.reconnectDelayMs ?? 250);
  const session = connectRpc(port);
  let closed = false;

  return {
    kind: 'bridge',
    invoke(name, input) {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'the transport is closed' } });
      return session.invoke(name, input);
    },
    subscribe: (name, callback) => session.subscribe(name, callback),
    resourceUrl(path: string): string {
      const separator = path.includes('?') ? '&' : '?';
      return `${baseUrl}${path}${separator}${BRIDGE_TOKEN_QUERY}=${encodeURIComponent(options.token)}`;
    },
    close() {
      closed = true;
      port.close();
    },
  };
}
