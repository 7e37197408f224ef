// View counts for the navbar, re-queried (at most every 400 ms) when the core reports a change.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationCounts } from '../../../shared/contract/api';
import type { ConversationFilter } from '../../../shared/contract/schemas';
import { useClient, useCoreEvent } from '../rpc/core';

export function useCounts(filter?: ConversationFilter): ConversationCounts | null {
  const client = useClient();
  const [counts, setCounts] = useState<ConversationCounts | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const load = useCallback(() => {
    client.call('conversations.counts', filter ? { filter } : {}).then(setCounts, () => {});
  }, [client, filter]);
  useEffect(() => {
    load();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load]);
  const schedule = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      load();
    }, 400);
  }, [load]);
  useCoreEvent('conversations.changed', schedule);
  useCoreEvent('messages.changed', schedule);
  return counts;
}
