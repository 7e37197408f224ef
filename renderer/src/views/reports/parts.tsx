// The pieces every chart of the Reports view shares: a card with a title, the chart, its numbers as a
// real table (caption, header cells) and a CSV download of the report table behind it, written by the
// same builder as `canary report --csv` (shared/report-tables.ts).
import { Component, Suspense, useEffect, useRef, useState } from 'react';
import { Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReportView } from '../../../../shared/contract/report';
import { reportTables, tableCsv } from '../../../../shared/report-tables';
import { IconDownload } from '../../ui/icons';
import { csvName, type Range } from './format';

/** Save one of the report's tables as a CSV file (the session's save dialog in Electron, a download in a browser). */
export function downloadCsv(report: ReportView, table: string, range: Range): void {
  const t = reportTables(report).find((x) => x.name === table);
  if (!t) throw new Error(`no report table ${table}`);
  const url = URL.createObjectURL(new Blob([tableCsv(t)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = csvName(t.name, range);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface Column {
  label: string;
  /** Numbers align right. */
  numeric?: boolean;
}

/** The numbers of a chart as a table a screen reader can read (caption, column headers, row headers). */
export function DataTable({ caption, columns, rows, testId, rowKeys }: { caption: string; columns: Column[]; rows: React.ReactNode[][]; testId: string; rowKeys?: string[] }) {
  return (
    // A long table scrolls inside its card: the region takes the keyboard focus so it can be scrolled without a mouse.
    <div className="report-table" role="region" aria-label={caption} tabIndex={0}>
      <Table striped withTableBorder captionSide="top" fz="sm" verticalSpacing={4} horizontalSpacing="xs" stickyHeader data-testid={testId}>
        <Table.Caption className="report-caption">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.label} scope="col" ta={c.numeric ? 'right' : 'left'}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={rowKeys?.[i] ?? i} data-key={rowKeys?.[i]}>
              {r.map((cell, j) =>
                j === 0 ? (
                  <Table.Th key={j} scope="row" fw={500}>
                    {cell}
                  </Table.Th>
                ) : (
                  <Table.Td key={j} ta={columns[j]?.numeric ? 'right' : 'left'} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {cell}
                  </Table.Td>
                ),
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** How far below (or above) the visible part of the view a chart is drawn ahead of being scrolled to. */
const AHEAD_PX = 300;

// The charts in sight are drawn together as the observer reports them (after the summary and the
// tables have been painted: its reports come after a frame); those just below the fold one per later
// task, each after a paint, so they do not hold back the ones in sight (a cold recharts chart takes
// tens of milliseconds).
const drawQueue: (() => void)[] = [];
let drawScheduled = false;
function scheduleDraw(): void {
  if (drawScheduled) return;
  drawScheduled = true;
  const next = () => {
    drawScheduled = false;
    drawQueue.shift()?.();
    if (drawQueue.length) scheduleDraw();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(next, 0));
  else setTimeout(next, 0);
}
function queueDraw(draw: () => void): () => void {
  drawQueue.push(draw);
  scheduleDraw();
  return () => {
    const i = drawQueue.indexOf(draw);
    if (i >= 0) drawQueue.splice(i, 1);
  };
}

/** What a chart shows while it waits to be drawn: an empty box of its height, so nothing moves when it comes. */
function Pending({ height, ref }: { height: number; ref?: React.Ref<HTMLDivElement> }) {
  return <div ref={ref} style={{ height }} data-chart-pending="" aria-hidden="true" />;
}

/** A chart whose code failed to load says so; its numbers stay in the table beside it. */
class ChartFailed extends Component<{ height: number; children: React.ReactNode }, { error: boolean }> {
  override state = { error: false };
  static getDerivedStateFromError() {
    return { error: true };
  }
  override componentDidCatch(e: unknown) {
    console.error('Reports: a chart could not be drawn', e);
  }
  override render() {
    return this.state.error ? (
      <Text size="sm" c="dimmed" ta="center" style={{ height: this.props.height }} role="alert" data-chart-failed="">
        The chart could not be drawn (reopen the view to try again); its numbers are in the table.
      </Text>
    ) : (
      this.props.children
    );
  }
}

/**
 * A chart drawn once it is on screen, or in its turn once near it (the view's charts below the fold
 * cost most of its first drawing otherwise), once the charts' chunk is loaded (lazyCharts.tsx); until
 * then an empty box of the chart's height. Once drawn
 * it stays. The numbers are in the table beside it from the start.
 */
export function WhenVisible({ height, children }: { height: number; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'hidden' | 'near' | 'shown'>(() => (typeof IntersectionObserver === 'undefined' ? 'shown' : 'hidden'));
  useEffect(() => {
    const el = ref.current;
    if (state !== 'hidden' || !el) return;
    // The view scrolls inside .reports; the observer's first report comes with the next frame.
    const root = el.closest<HTMLElement>('.reports');
    const io = new IntersectionObserver(
      (entries) => {
        const e = entries.find((x) => x.isIntersecting);
        if (!e) return;
        const view = root?.getBoundingClientRect() ?? { top: 0, bottom: window.innerHeight };
        setState(e.boundingClientRect.bottom > view.top && e.boundingClientRect.top < view.bottom ? 'shown' : 'near');
      },
      {
        root,
        rootMargin: `${AHEAD_PX}px 0px`,
      },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [state]);
  useEffect(() => (state === 'near' ? queueDraw(() => setState('shown')) : undefined), [state]);
  return state === 'shown' ? (
    <ChartFailed height={height}>
      <Suspense fallback={<Pending height={height} />}>{children}</Suspense>
    </ChartFailed>
  ) : (
    <Pending height={height} ref={ref} />
  );
}

/** A chart's card: title, a line of context, the chart (or what is missing), the table, its CSV. */
export function ChartCard({
  id,
  title,
  note,
  csv,
  children,
  empty,
  wide,
}: {
  id: string;
  title: string;
  note?: React.ReactNode;
  csv?: { report: ReportView; table: string; range: Range };
  children: React.ReactNode;
  /** Shown instead of the chart and table when there is nothing to draw. */
  empty?: string | null;
  wide?: boolean;
}) {
  const headingId = `report-${id}-title`;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby={headingId} data-testid={`report-${id}`} className={wide ? 'report-card report-wide' : 'report-card'}>
      <Stack gap="xs">
        <div className="report-card-head">
          <Title order={3} size="h5" id={headingId}>
            {title}
          </Title>
          {csv && !empty ? (
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<IconDownload size={13} />}
              onClick={() => downloadCsv(csv.report, csv.table, csv.range)}
              aria-label={`Download ${title} as CSV`}
              data-testid={`report-${id}-csv`}
            >
              CSV
            </Button>
          ) : null}
        </div>
        {note ? (
          <Text size="xs" c="dimmed">
            {note}
          </Text>
        ) : null}
        {empty ? (
          <Text size="sm" c="dimmed" py="lg" ta="center" data-testid={`report-${id}-empty`}>
            {empty}
          </Text>
        ) : (
          children
        )}
      </Stack>
    </Paper>
  );
}
