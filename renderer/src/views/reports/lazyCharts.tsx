// The charts' chunk (draw.ts) loaded once, on idle after startup (ReportsPage's usePreloadReports) or
// when a chart first comes into sight; a failed load is tried again on the next call. Once loaded the
// charts draw at once: a chart suspends (its Suspense shows an empty box) only while the chunk loads,
// not on every first use as React.lazy would (and React holds a revealed fallback for 300 ms).
import { use } from 'react';
import type { BarChartProps, LineChartProps } from '@mantine/charts';
import type * as DrawModule from './draw';

type Draw = typeof DrawModule;
let loaded: Draw | null = null;
let loading: Promise<Draw> | null = null;

export function loadCharts(): Promise<Draw> {
  loading ??= import('./draw').then(
    (m) => (loaded = m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

export function BarChart(props: BarChartProps) {
  const m = loaded ?? use(loadCharts());
  return <m.BarChart {...props} />;
}

export function LineChart(props: LineChartProps) {
  const m = loaded ?? use(loadCharts());
  return <m.LineChart {...props} />;
}
