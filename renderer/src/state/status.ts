// The linking build's progress and the network check, from the query cache. The linking status is
// read once and then kept current by the links.progress events (state/queries.tsx writes them into
// the cache); the network check is re-read when the core reports a change, and checked again at
// once when the window goes online or offline.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { NetworkStatus } from '../../../shared/contract/network';
import type { LinkingProgress } from '../ui/LinkingBadge';
import { useClient } from '../rpc/core';
import { qk } from './queries';

export function useLinkingProgress(): LinkingProgress | null {
  const client = useClient();
  const { data } = useQuery({
    queryKey: qk.linkingStatus(),
    queryFn: async (): Promise<LinkingProgress> => {
      const s = await client.call('links.status', {});
      return { building: s.building, done: s.done, total: s.total, error: s.error };
    },
  });
  return data ?? null;
}

export function useNetworkStatus(): { browserOnline: boolean; status: NetworkStatus | null } {
  const client = useClient();
  const queries = useQueryClient();
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);
  const { data } = useQuery({ queryKey: qk.network(), queryFn: () => client.call('network.status', {}) });
  useEffect(() => {
    const recheck = (online: boolean) => {
      setBrowserOnline(online);
      client.call('network.status', { refresh: true }).then(
        (s) => queries.setQueryData(qk.network(), s),
        () => undefined, // the core connection has its own indicator
      );
    };
    const onOnline = () => recheck(true);
    const onOffline = () => recheck(false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, [client, queries]);
  return { browserOnline, status: data ?? null };
}
