// One conversation's detail, cached per id so going back and forth is instant; refreshed when the
// core reports a change to it. A request already on its way (the prefetch of the row under the
// cursor) is shared, never sent twice.
import { useCallback, useEffect, useState } from 'react';
import type { ConversationDetail } from '../../../shared/domain/types';
import { useClient, useCoreEvent } from '../rpc/core';
import type { CoreClient } from '../../../shared/rpc/client';

const cache = new Map<number, ConversationDetail>();
const MAX = 100;

const fetchedAt = new Map<number, number>();
/** How long a prefetched copy counts as current (changes while it is shown refetch at once). */
const FRESH_MS = 10_000;

function remember(d: ConversationDetail): void {
  fetchedAt.set(d.conversation.id, Date.now());
  cache.delete(d.conversation.id);
  cache.set(d.conversation.id, d);
  if (cache.size > MAX) cache.delete(cache.keys().next().value!);
}

/** Requests on their way, with the change generation they were sent in (a change makes them stale). */
const inflight = new Map<number, { gen: number; p: Promise<ConversationDetail> }>();
const generation = new Map<number, number>();

function load(client: CoreClient, id: number): Promise<ConversationDetail> {
  const gen = generation.get(id) ?? 0;
  const running = inflight.get(id);
  if (running && running.gen === gen) return running.p;
  const p = client.call('conversations.get', { id }).then(
    (d) => {
      if (inflight.get(id)?.p === p) inflight.delete(id);
      // Only a copy fetched after the last change to it goes into the cache.
      if ((generation.get(id) ?? 0) === gen) remember(d);
      return d;
    },
    (e: unknown) => {
      if (inflight.get(id)?.p === p) inflight.delete(id);
      throw e;
    },
  );
  inflight.set(id, { gen, p });
  return p;
}

/** Load a conversation into the cache without rendering it (the row under the cursor). */
export function prefetchConversation(client: CoreClient, id: number | null): void {
  if (id == null || cache.has(id)) return;
  load(client, id).catch(() => {});
}

/** A cached copy that is current enough to show without asking the core again. */
function fresh(id: number): ConversationDetail | undefined {
  const hit = cache.get(id);
  return hit && Date.now() - (fetchedAt.get(id) ?? 0) < FRESH_MS ? hit : undefined;
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
    // A fresh prefetched copy is used as is (the same object, so the panes do not render twice).
    const hit = fresh(id);
    if (hit) {
      // The prefetched copy is adopted here, in the effect that otherwise loads it: it is the object
      // the render already returned from the cache, so the memoised panes do not render again.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setState({ id, detail: hit, error: null, tick });
      return;
    }
    let live = true;
    load(client, id).then(
      (d) => {
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
      // Whatever changed is no longer a current copy, shown, prefetched or on its way.
      for (const x of ids) {
        cache.delete(x);
        generation.set(x, (generation.get(x) ?? 0) + 1);
      }
      if (id != null && ids.includes(id)) setTick((t) => t + 1);
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
