import { ELECTRON_APP_ORIGIN, type PreloadApi } from '../../main/api/transport.js';
import type { Transport } from './types.js';

/**
 * Electron mode: calls and events through the preload's `window.cxr` (IPC, validated in the main process), files
 * through the app's own privileged `cxr-resource://app/files/...` protocol.
 */
export function createElectronTransport(api: PreloadApi): Transport {
  return {
    kind: 'electron',
    invoke: (name, input) => api.invoke(name, input),
    subscribe: (name, callback) => api.subscribe(name, callback),
    resourceUrl: (path) => `${ELECTRON_APP_ORIGIN}${path}`,
  };
}
