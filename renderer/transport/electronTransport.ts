import { connectRpc } from '../../main/api/rpc.js';
import { ELECTRON_APP_ORIGIN, type PreloadApi } from '../../main/api/transport.js';
import type { Transport } from './types.js';

/**
 * Electron mode: the RPC session (main/api/rpc.ts) over the preload's message port `window.cxr` (every message
 * validated in the main process), files through the app's own privileged `cxr-resource://app/files/...` protocol.
 * The window's session lives as long as the page; a reload starts a new one.
 */
export function createElectronTransport(api: PreloadApi): Transport {
  const session = connectRpc({
    send: (message) => api.send(message),
    onMessage: (listener) => api.onMessage(listener),
    onClose: () => undefined,
  });
  return {
    kind: 'electron',
    invoke: (name, input) => session.invoke(name, input),
    subscribe: (name, callback) => session.subscribe(name, callback),
    resourceUrl: (path) => `${ELECTRON_APP_ORIGIN}${path}`,
  };
}
