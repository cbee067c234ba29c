import type { RpcClient } from './rpc.js';

/**
 * How the renderer reaches the core, whichever transport carries it (Electron IPC through the preload, or the
 * WebSocket bridge in a browser): the RPC session's client, typed from the contract.
 */
export type CoreTransport = RpcClient;

/**
 * What the Electron preload exposes as `window.cxr` (contextBridge): a message port for the RPC session and nothing
 * else. Every message is validated in the main process.
 */
export interface PreloadApi {
  /** Sends one session message (JSON text) to the main process. */
  send(message: string): void;
  /** Sets the one listener for messages from the main process. */
  onMessage(listener: (message: string) => void): void;
}

/** Header carrying the bridge's per-launch token (HTTP); `token` query parameter where headers cannot be set. */
export const BRIDGE_TOKEN_HEADER = 'x-cxr-token';
export const BRIDGE_TOKEN_QUERY = 'token';
/** The origin the Electron app is served from; resources live under it at `/files/...`. */
export const ELECTRON_APP_ORIGIN = 'cxr-resource://app';
