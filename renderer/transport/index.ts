import type { PreloadApi } from '../../main/api/transport.js';
import { createBridgeTransport } from './bridgeTransport.js';
import { createElectronTransport } from './electronTransport.js';
import { readLaunchToken } from './launchToken.js';
import type { Transport } from './types.js';

export type { Transport } from './types.js';
export { createBridgeTransport, type BridgeTransport, type BridgeTransportOptions, type WebSocketLike } from './bridgeTransport.js';
export { createElectronTransport } from './electronTransport.js';
export { readLaunchToken } from './launchToken.js';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser. */
    readonly cxr?: PreloadApi;
  }
}

/** Thrown by createTransport in a browser page opened without the bridge's token. */
export class MissingTokenError extends Error {
  constructor() {
    super(
      'This page was opened without its access token. Open the address printed by "npm start" ' +
        '(it ends in #token=...), or restart the workstation to get a new one.',
    );
    this.name = 'MissingTokenError';
  }
}

/**
 * Chooses the transport once at start: the preload's IPC inside Electron, otherwise the bridge this page was served
 * from. Throws MissingTokenError in a browser page without a token.
 */
export function createTransport(win: Window = window): Transport {
  if (win.cxr) return createElectronTransport(win.cxr);
  const token = readLaunchToken(win);
  if (!token) throw new MissingTokenError();
  return createBridgeTransport({ baseUrl: win.location.origin, token });
}
