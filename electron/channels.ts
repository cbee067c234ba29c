/**
 * IPC channel names between the preload and the main process. The preload cannot import this file (a sandboxed
 * preload may only require `electron` and a few built-ins), so it repeats them; electron/preload.test.ts checks
 * that both agree.
 */
export const IPC_CHANNELS = {
  invoke: 'cxr:invoke',
  subscribe: 'cxr:subscribe',
  unsubscribe: 'cxr:unsubscribe',
  event: 'cxr:event',
} as const;

/** Command-line switches through which the main process hands the contract's names to the sandboxed preload. */
export const OPERATIONS_SWITCH = '--cxr-operations=';
export const EVENTS_SWITCH = '--cxr-events=';
