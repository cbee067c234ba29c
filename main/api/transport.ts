import { z } from 'zod';
import type { Result } from './envelope.js';
import type { OperationInput, OperationName, OperationOutput } from './contract.js';
import type { EventName, EventPayload } from './events.js';

/**
 * How the renderer reaches the core, whichever transport carries it (Electron IPC through the preload, or the
 * WebSocket bridge in a browser). Typed from the contract, so a wrong operation name or input is a compile error.
 */
export interface CoreTransport {
  invoke<N extends OperationName>(name: N, input: OperationInput<N>): Promise<Result<OperationOutput<N>>>;
  /** Returns its own unsubscribe. */
  subscribe<E extends EventName>(name: E, callback: (payload: EventPayload<E>) => void): () => void;
}

/**
 * What the Electron preload exposes as `window.cxr` (contextBridge): these two functions and nothing else.
 * Unknown names are refused in the preload itself; inputs are validated in the main process.
 */
export type PreloadApi = CoreTransport;

/** Header carrying the bridge's per-launch token (HTTP); `token` query parameter where headers cannot be set. */
export const BRIDGE_TOKEN_HEADER = 'x-cxr-token';
export const BRIDGE_TOKEN_QUERY = 'token';
/** The origin the Electron app is served from; resources live under it at `/files/...`. */
export const ELECTRON_APP_ORIGIN = 'cxr-resource://app';

/** Messages a client sends over the bridge's WebSocket (`/ws`). */
export const BridgeClientMessageSchema = z.union([
  z.object({ id: z.union([z.number(), z.string()]), op: z.string().min(1), input: z.unknown().optional() }).strict(),
  z.object({ subscribe: z.string().min(1) }).strict(),
  z.object({ unsubscribe: z.string().min(1) }).strict(),
]);
export type BridgeClientMessage = z.infer<typeof BridgeClientMessageSchema>;

/** Messages the bridge sends: a call's result (same `id`), an event, or a complaint about a malformed message. */
export type BridgeServerMessage =
  | { id: number | string; result: Result<unknown> }
  | { event: string; payload: unknown }
  | { error: { code: 'invalid_input' | 'not_found'; message: string } };
