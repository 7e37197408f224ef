// The shape every `scripts/bench/*.bench.ts` module exports: `npm run bench` loads them all.

export interface BenchFigure {
  /** What was measured, e.g. "search p95 over 100k messages". */
  metric: string;
  value: number;
  unit: string;
  /** The target in words, e.g. "< 20 ms". */
  target?: string;
  /** Whether the value meets the target (undefined when there is no target). */
  ok?: boolean;
  /** The same work measured without our code on top (bare library, no-op), in the same process. */
  baseline?: { metric: string; value: number; unit: string };
}

export interface Bench {
  name: string;
  /** Runs the benchmark and returns its figures; `quick` shrinks sizes for a smoke run. */
  run(opts: { quick: boolean; log: (line: string) => void }): Promise<BenchFigure[]>;
}

export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}
