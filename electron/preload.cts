/**
 * The preload of the app window (sandboxed, context-isolated). It exposes `window.cxr`, a message port for the RPC
 * session (main/api/rpc.ts) and nothing else: `send` one message to the main process, `onMessage` to receive. Every
 * message is validated in the main process against the contract, so the preload needs to know no operation names.
 * It is CommonJS and self-contained because a sandboxed preload can require nothing but `electron` and a few
 * built-ins.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { PreloadApi } from '../main/api/transport.js' with { 'resolution-mode': 'import' };

/** Must match electron/channels.ts (checked by a test). */
const CHANNELS = { rpc: 'cxr:rpc', open: 'cxr:rpc-open' } as const;

let listener: ((message: string) => void) | null = null;

ipcRenderer.on(CHANNELS.rpc, (_event: unknown, message: unknown) => {
  if (typeof message !== 'string' || !listener) return;
  try {
    listener(message);
  } catch (err) {
    console.error('[preload] the session listener threw:', err);
  }
});
// A fresh page: the main process ends whatever session this window had before (a reload) and starts a new one.
ipcRenderer.send(CHANNELS.open);

const api: PreloadApi = {
  send(message) {
    if (typeof message !== 'string') throw new TypeError('send takes one JSON text message');
    ipcRenderer.send(CHANNELS.rpc, message);
  },
  onMessage(callback) {
    if (typeof callback !== 'function') throw new TypeError('onMessage needs a callback function');
    listener = callback;
  },
};

contextBridge.exposeInMainWorld('cxr', api);
