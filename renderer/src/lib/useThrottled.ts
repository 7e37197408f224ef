// A callback for change events that come in bursts, throttled (lib/throttle.ts), and a reload
// counter built on it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EventName } from '../../../shared/contract/events';
import { useCore } from '../rpc/core';
import { throttle } from './throttle';

export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const t = useMemo(() => throttle(() => latest.current(), ms), [ms]);
  useEffect(() => () => t.cancel(), [t]);
  return t;
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
