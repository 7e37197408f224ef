import { useEffect, useState, useSyncExternalStore } from 'react';
import type { QueueState, QueueStore } from '../state/queue';

/** The current time, refreshed every `everyMs`, for relative times. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function useQueue(store: QueueStore): QueueState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** One value out of the queue's state: the component re-renders only when that value changes. */
export function useQueueSelect<T>(store: QueueStore, select: (s: QueueState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
