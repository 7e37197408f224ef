// The Reports view as the window shows it: its charts load on first open (recharts is large, and
// most sessions never open it), and while it is shown the queue's and the conversation's keys do
// nothing, so `e` or `j` never act on a conversation that is not on screen. Go-to keys, search,
// the palette, settings and help keep working. The view's chunk and the charts' (lazyCharts.tsx) are
// fetched and run while the window is idle after the queue's first page (usePreloadReports), and the
// report over the range the view opens on is asked for then (kept like any query: until a change
// makes it stale, or 5 minutes unused), so the first open waits for none of them; opened before that,
// the report is asked for at once, while the view's code loads.
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { Group, Loader, Text } from '@mantine/core';
import type { CommandId } from '../../keys/keymap';
import { useCommand } from '../../commands/registry';
import { usePrefetchReport } from '../../state/queries';
import { DEFAULT_PRESET, todayRange } from './format';
import { loadCharts } from './lazyCharts';

let loaded: ComponentType | null = null;
let loading: Promise<ComponentType> | null = null;
/** Load the Reports view's chunk once (a failed load is tried again on the next call). */
function loadReportsView(): Promise<ComponentType> {
  loading ??= import('./ReportsView').then(
    (m) => (loaded = m.ReportsView),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
const LazyReportsView = lazy(() => loadReportsView().then((c) => ({ default: c })));

/** Fetch the Reports view's chunk, then the charts' and the report, when the window is next idle once `ready` (the queue has painted). */
export function usePreloadReports(ready: boolean): void {
  const prefetch = usePrefetchReport();
  useEffect(() => {
    if (!ready || loading) return;
    const preload = () =>
      void loadReportsView()
        .then(loadCharts)
        .then(() => {
          const r = todayRange(DEFAULT_PRESET);
          prefetch(r.since, r.until);
        })
        .catch(() => {}); // opening the view tries again and shows the error
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(preload, { timeout: 10_000 });
      return () => window.cancelIdleCallback(id);
    }
    const t = setTimeout(preload, 1000);
    return () => clearTimeout(t);
  }, [ready, prefetch]);
}

/** Commands that act on the queue or the open conversation: inert while the report is shown. */
const INERT: CommandId[] = [
  'queue.next',
  'queue.prev',
  'conversation.open',
  'conversation.done',
  'conversation.star',
  'conversation.snooze',
  'conversation.waiting',
  'conversation.reopen',
  'queue.select',
  'queue.selectNone',
  'undo',
  'link.confirm',
  'conversation.reply',
  'conversation.replyAll',
  'conversation.forward',
  'conversation.tag',
  'conversation.assignMe',
  'customer.toggle',
];

/** The latest mounted handler wins (commands/registry.tsx): this one does nothing and leaves the key to the page. */
function Inert({ id }: { id: CommandId }) {
  useCommand(id, () => false);
  return null;
}

export function ReportsPage() {
  // Already loaded: drawn in this render, without the Suspense round. Fixed at mount, so the view
  // is never swapped (and its range lost) while it is shown.
  const [ReportsView] = useState(() => loaded);
  const prefetch = usePrefetchReport();
  useEffect(() => {
    if (ReportsView) return; // the view asks for it in this same commit
    const r = todayRange(DEFAULT_PRESET);
    prefetch(r.since, r.until);
  }, [ReportsView, prefetch]);
  return (
    <>
      {INERT.map((id) => (
        <Inert key={id} id={id} />
      ))}
      <Suspense
        fallback={
          <Group gap="xs" p="md">
            <Loader size="sm" />
            <Text size="sm">Opening the report…</Text>
          </Group>
        }
      >
        {ReportsView ? <ReportsView /> : <LazyReportsView />}
      </Suspense>
    </>
  );
}
