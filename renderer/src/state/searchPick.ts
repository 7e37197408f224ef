// The search's results and the highlighted hit: back to the first with each new set of results (in
// the same render, not in an effect that would render the window once more per result).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../shared/domain/types';
import { useSearch } from './search';

export function useSearchPick(q: string) {
  const search = useSearch(q);
  const [hitPick, setHitPick] = useState<{ hits: SearchHit[]; i: number }>({ hits: [], i: 0 });
  const hitIndex = hitPick.hits === search.hits ? hitPick.i : 0;
  /** The latest hits, for stable callbacks. */
  const hitsRef = useRef(search.hits);
  useEffect(() => {
    hitsRef.current = search.hits;
  }, [search.hits]);
  const setHitIndex = useCallback(
    (i: number | ((prev: number) => number)) => {
      setHitPick((p) => {
        const hits = search.hits;
        const prev = p.hits === hits ? p.i : 0;
        return { hits, i: typeof i === 'function' ? i(prev) : i };
      });
    },
    [search.hits],
  );
  return { search, hitIndex, setHitIndex, hitsRef };
}
