// The chart drawing code of the Reports view (@mantine/charts over recharts, ~1.3 MB unminified) in a
// chunk of its own: the view's summary and tables need none of it and show as soon as the report
// arrives; each chart comes as this chunk is loaded (lazyCharts.tsx).
export { BarChart, LineChart } from '@mantine/charts';
