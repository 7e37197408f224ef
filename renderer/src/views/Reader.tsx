// The reading pane and the customer panel for the conversation the window shows.
import { memo, startTransition, useCallback, useDeferredValue, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ConversationDetail } from '../../../shared/domain/types';
import type { QueueStore } from '../state/queue';
import { useClient } from '../rpc/core';
import { type Signal, useSignal } from '../state/signal';
import { prefetchConversation, useConversation } from '../state/useConversation';
import { useQueueSelect } from '../lib/hooks';
import { ConversationPane } from './ConversationPane';
import { CustomerPane } from './CustomerPane';

/**
 * The reading pane and the customer panel for the selected (or otherwise opened) conversation.
 * It alone follows the queue cursor, and through a deferred value, so j/k paints the selection
 * first and the panes catch up without holding up the next key.
 */
export const Reader = memo(function Reader({
  store,
  override,
  focus,
  showCustomer,
  onOpenConversation,
  onReplied,
  shownRef,
  remember,
  onNotify,
}: {
  remember: (label: string, revert: () => Promise<unknown>) => void;
  onNotify: (message: string) => void;
  store: QueueStore;
  override: number | null;
  focus: Signal<'queue' | 'conversation'>;
  showCustomer: boolean;
  onOpenConversation: (id: number) => void;
  onReplied: (conversationId: number) => void;
  shownRef: React.RefObject<ConversationDetail | null>;
}) {
  const selectedId = useQueueSelect(store, (s) => s.selectedId);
  const focused = useSignal(focus) === 'conversation';
  // While j/k is held the panes wait for the cursor to rest (70 ms) and then render in the
  // background (a deferred value, so the next key is not held up); opening (o) or picking a
  // conversation elsewhere shows it at once.
  const immediate = focused || override != null;
  const settled = useSettled(override ?? selectedId, immediate ? 0 : 70);
  const deferred = useDeferredValue(settled);
  const id = immediate ? settled : deferred;
  const client = useClient();
  useEffect(() => prefetchConversation(client, selectedId), [client, selectedId]);
  const { detail, loading, error } = useConversation(id);
  // The messages first: the customer panel follows once they are painted.
  const side = useAfterPaint(detail);
  useLayoutEffect(() => {
    shownRef.current = detail;
  }, [shownRef, detail]);
  const onCompose = useCallback(() => focus.set('conversation'), [focus]);
  return (
    <>
      <ConversationPane detail={detail} loading={loading} error={error} focused={focused} onOpenConversation={onOpenConversation} onNotify={onNotify} onReplied={onReplied} onCompose={onCompose} />
      {showCustomer ? <CustomerPane detail={side} onOpenConversation={onOpenConversation} remember={remember} onNotify={onNotify} /> : null}
    </>
  );
});

/**
 * `value` one frame late: set after the browser has painted the frame that shows the current one
 * (requestAnimationFrame, then a task), in a transition that a key press can interrupt. For what
 * can wait behind the main content, so that content is painted first.
 */
function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(shown, value)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setShown(value)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [value, shown]);
  return shown;
}

/** `value`, but only once it has stopped changing for `ms` (at once when ms is 0 or it is the first value). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const first = useRef(true);
  useEffect(() => {
    if (first.current || ms === 0) {
      first.current = false;
      setSettled(value);
      return;
    }
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return ms === 0 ? value : settled;
}
