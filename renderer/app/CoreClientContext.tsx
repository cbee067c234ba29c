import { createContext, useContext, type ReactNode } from 'react';
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

