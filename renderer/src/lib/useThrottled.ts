// A callback for change events that come in bursts (a first sync reports changes several times a
// second): it runs at once, then at most once every `ms` while calls keep coming, the last call
// never lost.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName } from '../../../shared/contract/events';
import { useCore } from '../rpc/core';

export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const last = useRef(-Infinity);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    const wait = last.current + ms - performance.now();
    const run = () => {
      timer.current = null;
      last.current = performance.now();
      latest.current();
    };
    if (wait <= 0) run();
    else timer.current = setTimeout(run, wait);
  }, [ms]);
}

/**
 * A number that goes up when one of `events` arrives, at most once every `ms`: in an effect's
 * dependencies it reloads what the effect reads while a sync keeps reporting changes.
 */
export function useReloadOn(events: readonly EventName[], ms: number): number {
  const { client } = useCore();
  const [tick, setTick] = useState(0);
  const bump = useThrottled(() => setTick((t) => t + 1), ms);
  const key = events.join(' ');
  useEffect(() => {
    const offs = key.split(' ').map((e) => client.on(e as EventName, bump));
    return () => offs.forEach((off) => off());
  }, [client, key, bump]);
  return tick;
}
