// View counts for the navbar, from the query cache (re-queried at most every 400 ms while the core
// reports changes: state/queries.tsx). The previous counts stay on screen while a new filter's load.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ConversationCounts } from '../../../shared/contract/api';
import type { ConversationFilter } from '../../../shared/contract/schemas';
import { useClient } from '../rpc/core';
import { qk } from './queries';

export function useCounts(filter?: ConversationFilter): ConversationCounts | null {
  const client = useClient();
  const { data } = useQuery({
    queryKey: qk.counts(filter),
    queryFn: () => client.call('conversations.counts', filter ? { filter } : {}),
    placeholderData: keepPreviousData,
  });
  return data ?? null;
}
