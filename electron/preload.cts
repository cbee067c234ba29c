/**
 * The preload of the app window (sandboxed, context-isolated). It exposes `window.cxr` with exactly two functions,
 * `invoke` and `subscribe`, and only for names of the contract. It is CommonJS and self-contained because a
 * sandboxed preload can require nothing but `electron` and a few built-ins; the contract's names arrive as
 * command-line switches set by the main process (webPreferences.additionalArguments).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { PreloadApi } from '../main/api/transport.js' with { 'resolution-mode': 'import' };

/** Must match electron/channels.ts (checked by a test). */
const CHANNELS = { invoke: 'cxr:invoke', subscribe: 'cxr:subscribe', unsubscribe: 'cxr:unsubscribe', event: 'cxr:event' } as const;

function namesFromSwitch(prefix: string): Set<string> {
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return new Set(arg ? arg.slice(prefix.length).split(',').filter(Boolean) : []);
}

const operations = namesFromSwitch('--cxr-operations=');
const eventNames = namesFromSwitch('--cxr-events=');
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(CHANNELS.event, (_event: unknown, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const callback of listeners.get(name) ?? []) {
    try {
      callback(payload);
    } catch (err) {
      console.error(`[preload] a listener of ${name} threw:`, err);
    }
  }
});

const api: PreloadApi = {
  invoke(name, input) {
    if (typeof name !== 'string' || !operations.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'not_found', message: `unknown operation "${String(name)}"` } });
    }
    return ipcRenderer.invoke(CHANNELS.invoke, name, input);
  },
  subscribe(name, callback) {
    if (typeof name !== 'string' || !eventNames.has(name)) throw new Error(`unknown event "${String(name)}"`);
    if (typeof callback !== 'function') throw new Error('subscribe needs a callback function');
    let set = listeners.get(name);
    if (!set) {
      listeners.set(name, (set = new Set()));
      ipcRenderer.send(CHANNELS.subscribe, name);
    }
    const entry = callback as (payload: unknown) => void;
    set.add(entry);
    return () => {
      if (!set.delete(entry) || set.size > 0) return;
      listeners.delete(name);
      ipcRenderer.send(CHANNELS.unsubscribe, name);
    };
  },
};

contextBridge.exposeInMainWorld('cxr', api);
