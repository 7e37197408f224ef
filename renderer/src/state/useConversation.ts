// One conversation's detail, cached per id so going back and forth is instant; refreshed when the
// core reports a change to it.
import { useCallback, useEffect, useState } from 'react';
import type { ConversationDetail } from '../../../shared/domain/types';
import { useClient, useCoreEvent } from '../rpc/core';

const cache = new Map<number, ConversationDetail>();
const MAX = 100;

function remember(d: ConversationDetail): void {
  cache.delete(d.conversation.id);
  cache.set(d.conversation.id, d);
  if (cache.size > MAX) cache.delete(cache.keys().next().value!);
}

export function useConversation(id: number | null): { detail: ConversationDetail | null; error: string | null; loading: boolean } {
  const client = useClient();
  const [state, setState] = useState<{ id: number | null; detail: ConversationDetail | null; error: string | null; tick: number }>({
    id: null,
    detail: null,
    error: null,
    tick: 0,
  });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (id == null) return;
    let live = true;
    client.call('conversations.get', { id }).then(
      (d) => {
        remember(d);
        if (live) setState({ id, detail: d, error: null, tick });
      },
      (e: Error) => {
        if (live) setState({ id, detail: null, error: e.message, tick });
      },
    );
    return () => {
      live = false;
    };
  }, [client, id, tick]);

  const onChange = useCallback(
    (p: { ids: number[] } | { conversationIds: number[] }) => {
      const ids = 'ids' in p ? p.ids : p.conversationIds;
      if (id != null && ids.includes(id)) {
        cache.delete(id);
        setTick((t) => t + 1);
      }
    },
    [id],
  );
  useCoreEvent('conversations.changed', onChange);
  useCoreEvent('messages.changed', onChange);

  if (id == null) return { detail: null, error: null, loading: false };
  if (state.id === id) return { detail: state.detail, error: state.error, loading: false };
  const cached = cache.get(id);
  return { detail: cached ?? null, error: null, loading: !cached };
}
