/**
 * IPC channel names between the preload and the main process. The preload cannot import this file (a sandboxed
 * preload may only require `electron` and a few built-ins), so it repeats them; electron/preload.test.ts checks
 * that both agree.
 */
export const IPC_CHANNELS = {
  /** One RPC session message (JSON text), in either direction (main/api/rpc.ts). */
  rpc: 'cxr:rpc',
  /** Sent by the preload when a page loads: the window's previous session (a reload) ends and a fresh one starts. */
  open: 'cxr:rpc-open',
} as const;
