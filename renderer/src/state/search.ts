// Search as you type for the search box and its results list.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../shared/domain/types';
import { useClient } from '../rpc/core';

/**
 * Results as you type: a query goes out on every keystroke unless one is already in flight, in
 * which case only the latest text is sent when it returns (so a slow query never queues a backlog).
 */
export function useSearch(q: string): { hits: SearchHit[]; loading: boolean; error: string | null; query: string } {
  const client = useClient();
  const [state, setState] = useState<{ query: string; hits: SearchHit[]; error: string | null }>({ query: '', hits: [], error: null });
  const inflight = useRef(false);
  const next = useRef<string | null>(null);
  const send = useCallback(
    (first: string) => {
      const go = (query: string) => {
        inflight.current = true;
        const done = (s: { query: string; hits: SearchHit[]; error: string | null }) => {
          inflight.current = false;
          const queued = next.current;
          next.current = null;
          if (queued != null && queued !== query) go(queued);
          else setState(s);
        };
        client.call('search.query', { q: query, limit: 50 }).then(
          (r) => done({ query, hits: r.hits, error: null }),
          (e: Error) => done({ query, hits: [], error: e.message }),
        );
      };
      go(first);
    },
    [client],
  );
  const query = q.trim();
  useEffect(() => {
    if (!query) return;
    if (inflight.current) next.current = query;
    else send(query);
  }, [query, send]);
  return { hits: state.hits, loading: state.query !== query, error: state.query === query ? state.error : null, query };
}
