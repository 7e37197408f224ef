// How long the window's last risk.list took, its answer included (state/goals.ts measures it). The
// refresh of the at-risk list on change events waits at least ten times that (state/queries.tsx), so
// while a sync keeps reporting changes the core spends at most about a tenth of its time on it: over
// 100,000 conversations a call after writes took 1-5 s on a loaded 2-core machine, and every 5 s made
// a first sync of 20,000 messages 6 times slower (docs/benchmarks.md).
export const riskCost = { lastMs: 0 };

/** The least time between two refreshes of the at-risk list while changes keep coming. */
export function riskRefreshMs(): number {
  return Math.max(5000, 10 * riskCost.lastMs);
}
