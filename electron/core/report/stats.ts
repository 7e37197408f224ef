// The report's arithmetic, documented because tests recompute it by hand: nearest-rank percentiles,
// UTC weeks starting on Monday, and the wait buckets.
import type { P50P90 } from '../../../shared/contract/report';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * Nearest-rank percentile: the smallest sample such that at least p% of the samples are ≤ it, i.e.
 * sorted[ceil(p/100 · n) − 1]. Always one of the samples (no interpolation); null for no samples.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * p50 and p90 of the samples: the same nearest-rank values, found by selection (Hoare's quickselect
 * on a Float64Array copy, linear on average) rather than by sorting every group's samples: the report
 * takes them for hundreds of groups per call.
 */
export function p50p90(samples: number[]): P50P90 {
  const n = samples.length;
  if (n === 0) return { p50: null, p90: null };
  const a = Float64Array.from(samples);
  const rank = (p: number) => Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  const k90 = rank(90);
  select(a, k90, 0, n - 1);
  // Everything left of k90 is now ≤ a[k90]: the median is among them.
  const k50 = rank(50);
  if (k50 < k90) select(a, k50, 0, k90 - 1);
  return { p50: a[k50]!, p90: a[k90]! };
}

/** Puts the k-th smallest of a[lo..hi] at a[k], smaller or equal values before it and greater or equal after. */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The Monday (UTC) of the week holding `ms`, as YYYY-MM-DD. */
export function weekOf(ms: number): string {
  const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(dayStart - weekday * DAY_MS).toISOString().slice(0, 10);
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Wait buckets of the escalation wait distribution: lower bound inclusive, upper exclusive. */
export const WAIT_BUCKETS: { bucket: string; max: number }[] = [
  { bucket: '< 1 h', max: HOUR_MS },
  { bucket: '1–4 h', max: 4 * HOUR_MS },
  { bucket: '4–24 h', max: DAY_MS },
  { bucket: '1–3 d', max: 3 * DAY_MS },
  { bucket: '3–7 d', max: 7 * DAY_MS },
  { bucket: '≥ 7 d', max: Infinity },
];

/** [start, end) in epoch ms of the UTC days since..until (both inclusive); open ends when absent. */
export function rangeOf(since?: string, until?: string): { from: number; to: number } {
  return {
    from: since ? Date.parse(`${since}T00:00:00Z`) : -Infinity,
    to: until ? Date.parse(`${until}T00:00:00Z`) + DAY_MS : Infinity,
  };
}
