import type { Core } from '../createCore.js';

/** What the bridge needs of the core: the operations, the event bus and the resource resolver. */
export type BridgeCore = Pick<Core, 'api' | 'subscribe' | 'resource'>;
