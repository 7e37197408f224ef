import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Text } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { QueueStore } from '../state/queue';
import { useNow, useQueue } from '../lib/hooks';
import { QueueRow, QueueRowSkeleton } from '../ui/QueueRow';
import { viewById } from '../state/views';
import { IconCircleCheck } from '../ui/icons';
import { useCommand } from '../commands/registry';
import { AT_RISK } from '../../../shared/contract/goals';

export const ROW_HEIGHT = 78;
const HIDDEN = { display: 'none' } as const;

function QueuePaneView({ store, onOpen, hidden = false }: { store: QueueStore; onOpen: () => void; hidden?: boolean }) {
  const s = useQueue(store);
  const now = useNow();
  useCommand('queue.select', () => store.toggleChecked());
  useCommand('queue.selectNone', () => store.clearChecked());
  const scrollRef = useRef<HTMLDivElement>(null);
  // useVirtualizer returns fresh functions by design, so React Compiler skips memoizing this
  // component (what the rule reports); the queue is not compiled and re-renders from its store.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virt = useVirtualizer({
    count: s.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virt.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    store.setVisible(first, last);
  }, [store, first, last, s.view]);

  // Keep the cursor's row on screen. Rows have one fixed height, so this is arithmetic on what the
  // virtualizer already knows (offset from scroll events, height from its ResizeObserver): no
  // layout read per j/k, and no scrollToIndex, whose reconcile loop reads the scroll height on the
  // next frames (forcing layout while the reading pane renders).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || s.total === 0) return;
    const top = s.cursor * ROW_HEIGHT;
    const offset = virt.scrollOffset ?? el.scrollTop;
    const height = virt.scrollRect?.height || el.clientHeight;
    if (height === 0) return; // hidden behind search results
    if (top < offset) el.scrollTop = top;
    else if (top + ROW_HEIGHT > offset + height) el.scrollTop = top + ROW_HEIGHT - height;
  }, [virt, s.cursor, s.total, hidden]);

  const onRowClick = useCallback(
    (index: number, e: React.MouseEvent) => {
      const c = store.getState().items[index];
      if (!c) return;
      if (e.metaKey || e.ctrlKey) {
        store.toggleChecked(c.id);
        return;
      }
      store.setCursor(index);
      if (e.detail >= 2) onOpen();
    },
    [store, onOpen],
  );

  const view = viewById(s.view);
  // The head changes with the view and the total, not with the cursor: kept as one element so j/k
  // re-renders only the rows.
  const checkedCount = s.checked.size;
  const head = useMemo(
    () => (
      <div className="pane-head">
        <Text fw={650} size="sm">
          {view.label}
        </Text>
        <Text size="xs" c="dimmed" data-testid="queue-total">
          {s.loaded ? `${s.total.toLocaleString()} conversation${s.total === 1 ? '' : 's'}` : 'Loading…'}
        </Text>
        {checkedCount ? (
          <Text size="xs" c="blue" ml="auto">
            {checkedCount} selected
          </Text>
        ) : null}
      </div>
    ),
    [view.label, s.loaded, s.total, checkedCount],
  );
  return (
    // Hidden rather than unmounted while search results show: typing the first letter does not tear
    // down the list, and clearing the search shows it again where it was.
    <section className="queue" aria-label="Queue" style={hidden ? HIDDEN : undefined}>
      {head}
      <ErrorLine size="sm" p="md">
        {s.error}
      </ErrorLine>
      {s.loaded && s.total === 0 && !s.error ? (
        <div className="empty">
          <IconCircleCheck size={36} />
          <Text fw={600}>Nothing here</Text>
          <Text size="sm" c="dimmed">
            {s.view === 'inbox'
              ? 'Every conversation is answered, snoozed or done.'
              : s.view === 'at-risk'
                ? `No conversation waiting on you has a risk of ${AT_RISK} or more.`
                : `No conversations in ${view.label}.`}
          </Text>
        </div>
      ) : null}
      <div
        ref={scrollRef}
        className="queue-scroll"
        role="listbox"
        aria-label={`${view.label} conversations`}
        aria-activedescendant={s.selectedId != null ? `conv-${s.selectedId}` : undefined}
        tabIndex={0}
        data-testid="queue"
      >
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((vi) => {
            const c = s.items[vi.index];
            return (
              <div key={vi.key} className="qrow-slot" style={{ transform: `translateY(${vi.start}px)`, height: ROW_HEIGHT }}>
                {c ? <QueueRow c={c} index={vi.index} active={vi.index === s.cursor} checked={s.checked.has(c.id)} now={now} onClick={onRowClick} /> : <QueueRowSkeleton />}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** Re-renders only on its own store's changes, never because the window did (opening, typing a search). */
export const QueuePane = memo(QueuePaneView);
