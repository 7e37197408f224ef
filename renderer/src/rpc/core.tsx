// The typed client in React: one per window, plus the connection state for the offline indicator.
import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import { createClient, type CoreClient } from '../../../shared/rpc/client';
import type { CoreEvents, EventName } from '../../../shared/contract/events';
import type { ConnectionState, Transport } from './transport';

export interface Core {
  client: CoreClient;
  transport: Transport;
}

export function makeCore(transport: Transport): Core {
  return { client: createClient(transport), transport };
}

const CoreContext = createContext<Core | null>(null);
export const CoreProvider = CoreContext.Provider;

export function useCore(): Core {
  const c = useContext(CoreContext);
  if (!c) throw new Error('useCore outside CoreProvider');
  return c;
}

export function useClient(): CoreClient {
  return useCore().client;
}

export function useConnection(): ConnectionState {
  const { transport } = useCore();
  return useSyncExternalStore(transport.onState, transport.state);
}

/** Subscribe to core events (ids only) for as long as the component lives. */
export function useCoreEvent<N extends EventName>(name: N, cb: (p: CoreEvents[N]) => void): void {
  const { client } = useCore();
  useEffect(() => client.on(name, cb), [client, name, cb]);
}
