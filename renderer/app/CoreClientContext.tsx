import { createContext, useContext, type ReactNode } from 'react';
import { isOperationName } from '../../main/api/index.js';
import type { CoreClient } from './coreClient.js';

const CoreClientContext = createContext<CoreClient | null>(null);

/** Makes the transport available to every component below. */
export function CoreClientProvider({ client, children }: { client: CoreClient; children: ReactNode }) {
  return <CoreClientContext.Provider value={client}>{children}</CoreClientContext.Provider>;
}

/** The transport of the nearest provider; a component outside one is a programming error. */
export function useCoreClient(): CoreClient {
  const client = useContext(CoreClientContext);
  if (!client) throw new Error('useCoreClient: no CoreClientProvider above this component');
  return client;
}

/**
 * Whether the contract this renderer was built with has an operation. Panels for domains that are still being
 * written (analysis, similar cases, reports) show only when their operations exist.
 */
export function hasOperation(name: string): boolean {
  return isOperationName(name);
}
