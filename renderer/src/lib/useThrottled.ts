// A callback for change events that come in bursts (a first sync reports changes several times a
// second): it runs at once, then at most once every `ms` while calls keep coming, the last call
// never lost.
import { useCallback, useEffect, useRef } from 'react';

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
