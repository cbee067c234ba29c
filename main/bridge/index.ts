/** Browser mode: the HTTP + WebSocket bridge on 127.0.0.1. */
export { startBridge, BRIDGE_HOST, type Bridge, type BridgeOptions } from './startBridge.js';
export { startBrowserMode, type BrowserMode, type BrowserModeOptions } from './browserMode.js';
export type { BridgeCore } from './types.js';
