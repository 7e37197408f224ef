// A bounded memo for the scorer's pure helpers: one X handle, post or day is read against each of its
// candidates, so the same argument comes back many times in a row.

/**
 * `fn` with its results kept by argument, at most `max` of them (then it starts afresh). Results are
 * shared between callers: return frozen objects or values nobody changes.
 */
export function memoize<K, V>(fn: (key: K) => V, max = 4096): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let v = kept.get(key);
    if (v === undefined) {
      if (kept.size >= max) kept.clear();
      v = fn(key);
      kept.set(key, v);
    }
    return v;
  };
}
