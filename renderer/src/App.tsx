// The window: views with counts on the left, the queue (or search results), the open conversation,
// and the customer panel. Every action is a command from keys/keymap.ts, reachable by key, by the
// Ctrl/⌘ K palette and by buttons.
import { memo, startTransition, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Badge, Group, Kbd, NavLink, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { Spotlight, createSpotlight, type SpotlightActionData } from '@mantine/spotlight';
import { notifications } from '@mantine/notifications';
import type { ConversationDetail, ConversationSummary, SearchHit } from '../../shared/domain/types';
import { COMMANDS, KeyDispatcher, keyLabel, loadKeymap, loadKeysEnabled, saveKeymap, saveKeysEnabled, type CommandId, type Keymap } from './keys/keymap';
import { useClient, useConnection, useCore, useCoreEvent } from './rpc/core';
import { QueueStore } from './state/queue';
import { VIEWS, viewById, type ViewId } from './state/views';
import { useCounts } from './state/counts';
import { Signal, useSignal } from './state/signal';
import { prefetchConversation, useConversation } from './state/useConversation';
import { useQueueSelect } from './lib/hooks';
import { QueuePane } from './views/QueuePane';
import { ConversationPane } from './views/ConversationPane';
import { CustomerPane } from './views/CustomerPane';
import { SearchResults } from './views/SearchResults';
import { FirstRun } from './views/FirstRun';
import { AccountFilter } from './views/AccountFilter';
import { Settings, type SettingsTab } from './views/Settings';
import { TagDialog } from './views/TagDialog';
import { CONFIRM_LINK_EVENT } from './views/LinkPanel';
import { COMPOSE_EVENT, REPLIED_EVENT, type ComposeDetail } from './views/Composer';
import type { AppInfo, ConversationCounts } from '../../shared/contract/api';
import { CheatSheet } from './ui/CheatSheet';
import { NetworkBadge } from './ui/NetworkBadge';
import { LinkingBadge } from './ui/LinkingBadge';
import { SnoozeModal } from './ui/SnoozeModal';
import {
  IconCircleCheck,
  IconClock,
  IconFlame,
  IconHourglass,
  IconInbox,
  IconKeyboard,
  IconLayers,
  IconMail,
  IconSearch,
  IconSnooze,
  IconSettings,
  IconUser,
  IconWifiOff,
  IconX,
} from './ui/icons';

const VIEW_ICON: Record<ViewId, React.ReactNode> = {
  inbox: <IconInbox size={16} />,
  escalated: <IconFlame size={16} />,
  email: <IconMail size={16} />,
  x: <IconX size={14} />,
  waiting: <IconHourglass size={16} />,
  snoozed: <IconSnooze size={16} />,
  done: <IconCircleCheck size={16} />,
  all: <IconLayers size={16} />,
};

const GO: Partial<Record<CommandId, ViewId>> = {
  'go.inbox': 'inbox',
  'go.escalated': 'escalated',
  'go.email': 'email',
  'go.x': 'x',
  'go.waiting': 'waiting',
  'go.snoozed': 'snoozed',
  'go.done': 'done',
  'go.all': 'all',
};

const [paletteStore, palette] = createSpotlight();

// The dialogs re-render only when their own props change, not with every keystroke in the search box.
const CheatSheetM = memo(CheatSheet);
const SnoozeModalM = memo(SnoozeModal);
const TagDialogM = memo(TagDialog);

const SHELL: React.CSSProperties = {
  display: 'grid',
  gridTemplateRows: '52px minmax(0, 1fr)',
  gridTemplateColumns: '210px minmax(0, 1fr)',
  height: '100dvh',
  overflow: 'hidden',
};
const SHELL_HEADER: React.CSSProperties = { gridColumn: '1 / -1', background: 'var(--mantine-color-body)', minWidth: 0 };
const SHELL_NAV: React.CSSProperties = { padding: 6, minHeight: 0, overflowY: 'auto', background: 'var(--mantine-color-body)' };
const SHELL_MAIN: React.CSSProperties = { height: '100%', minHeight: 0, minWidth: 0 };

const STATUS_WORD = { open: 'Moved to the inbox', waiting: 'Marked waiting', snoozed: 'Snoozed', done: 'Marked done' } as const;

function ConnectionBadge() {
  const state = useConnection();
  const { transport } = useCore();
  if (state === 'open') return null;
  const never = !transport.everOpened();
  return (
    <Badge
      color={state === 'closed' ? 'red' : 'gray'}
      variant="light"
      leftSection={<IconWifiOff size={12} />}
      data-testid="offline"
      role="status"
    >
      {state === 'closed' ? 'Offline: reconnecting…' : never ? 'Connecting…' : 'Reconnecting…'}
    </Badge>
  );
}

/**
 * Results as you type: a query goes out on every keystroke unless one is already in flight, in
 * which case only the latest text is sent when it returns (so a slow query never queues a backlog).
 */
function useSearch(q: string): { hits: SearchHit[]; loading: boolean; error: string | null; query: string } {
  const client = useClient();
  const [state, setState] = useState<{ query: string; hits: SearchHit[]; error: string | null }>({ query: '', hits: [], error: null });
  const inflight = useRef(false);
  const next = useRef<string | null>(null);
  const send = useCallback(
    (query: string) => {
      inflight.current = true;
      const done = (s: { query: string; hits: SearchHit[]; error: string | null }) => {
        inflight.current = false;
        const queued = next.current;
        next.current = null;
        if (queued != null && queued !== query) send(queued);
        else setState(s);
      };
      client.call('search.query', { q: query, limit: 50 }).then(
        (r) => done({ query, hits: r.hits, error: null }),
        (e: Error) => done({ query, hits: [], error: e.message }),
      );
    },
    [client],
  );
  const query = q.trim();
  useEffect(() => {
    if (!query) return;
    if (inflight.current) next.current = query;
    else send(query);
  }, [query, send]);
  return { hits: state.hits, loading: state.query !== query, error: state.query === query ? state.error : null, query };
}

/**
 * The reading pane and the customer panel for the selected (or otherwise opened) conversation.
 * It alone follows the queue cursor, and through a deferred value, so j/k paints the selection
 * first and the panes catch up without holding up the next key.
 */
const Reader = memo(function Reader({
  store,
  override,
  focus,
  showCustomer,
  run,
  onOpenConversation,
  shown,
  remember,
  onNotify,
}: {
  remember: (label: string, revert: () => Promise<unknown>) => void;
  onNotify: (message: string) => void;
  store: QueueStore;
  override: number | null;
  focus: Signal<'queue' | 'conversation'>;
  showCustomer: boolean;
  run: (id: CommandId) => void;
  onOpenConversation: (id: number) => void;
  shown: React.MutableRefObject<ConversationDetail | null>;
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
  shown.current = detail;
  return (
    <>
      <ConversationPane detail={detail} loading={loading} error={error} focused={focused} run={run} onOpenConversation={onOpenConversation} onNotify={onNotify} />
      {showCustomer ? <CustomerPane detail={side} onOpenConversation={onOpenConversation} remember={remember} onNotify={onNotify} /> : null}
    </>
  );
});

const Palette = memo(function Palette({ actions }: { actions: SpotlightActionData[] }) {
  return (
    <Spotlight
      store={paletteStore}
      actions={actions}
      shortcut={null}
      nothingFound="No command matches"
      highlightQuery
      limit={30}
      scrollable
      maxHeight={420}
      searchProps={{ placeholder: 'Type a command…', 'aria-label': 'Command' } as never}
    />
  );
});

const ViewNav = memo(function ViewNav({
  counts,
  active,
  onPick,
}: {
  counts: ConversationCounts | null;
  active: ViewId | null;
  onPick: (v: ViewId) => void;
}) {
  return (
    <>
      {VIEWS.map((v, i) => {
        const n = counts?.[v.count];
        const prev = VIEWS[i - 1];
        return (
          <div key={v.id}>
            {prev && prev.group !== v.group ? <div className="nav-sep" /> : null}
            <NavLink
              label={v.label}
              leftSection={VIEW_ICON[v.id]}
              rightSection={
                n != null && n > 0 ? (
                  <Text size="xs" c={v.id === 'escalated' ? 'red' : 'dimmed'} fw={v.id === 'escalated' ? 700 : 500} data-testid={`count-${v.id}`}>
                    {n.toLocaleString()}
                  </Text>
                ) : null
              }
              active={active === v.id}
              onClick={() => onPick(v.id)}
              data-testid={`view-${v.id}`}
              className="nav-link"
            />
          </div>
        );
      })}
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

const SKIPPED = 'canary.firstRun.skipped';

/** Show the first-run screen when the database holds nothing and no account is set up. */
function useFirstRun(): { show: boolean; info: AppInfo | null; hide: (remember: boolean) => void } {
  const client = useClient();
  const [state, setState] = useState<{ show: boolean; info: AppInfo | null }>({ show: false, info: null });
  useEffect(() => {
    let live = true;
    Promise.all([client.call('stats.get', {}), client.call('app.info', {})]).then(
      ([stats, info]) => {
        let skipped = false;
        try {
          skipped = localStorage.getItem(SKIPPED) === info.dbPath;
        } catch {
          // no storage: ask every time
        }
        if (live) setState({ show: stats.conversations === 0 && stats.accounts === 0 && !skipped, info });
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);
  const hide = useCallback(
    (remember: boolean) => {
      if (remember && state.info) {
        try {
          localStorage.setItem(SKIPPED, state.info.dbPath);
        } catch {
          // not remembered
        }
      }
      setState((s) => ({ ...s, show: false }));
    },
    [state.info],
  );
  return { ...state, hide };
}

export function App() {
  const client = useClient();
  const firstRun = useFirstRun();
  const store = useMemo(() => new QueueStore(client), [client]);
  // Only what the window itself needs, so moving the cursor re-renders the list and not the window.
  const queueView = useQueueSelect(store, (s) => s.view);
  const checkedCount = useQueueSelect(store, (s) => s.checked.size);
  const [accountId, setAccountId] = useState<number | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const extra = useMemo(
    () => (accountId != null || tag != null ? { ...(accountId != null ? { accountId } : {}), ...(tag != null ? { tag } : {}) } : undefined),
    [accountId, tag],
  );
  const counts = useCounts(extra);
  const pickScope = useCallback(
    (next: { accountId: number | null; tag: string | null }) => {
      setAccountId(next.accountId);
      setTag(next.tag);
      store.setExtra({ ...(next.accountId != null ? { accountId: next.accountId } : {}), ...(next.tag != null ? { tag: next.tag } : {}) });
    },
    [store],
  );
  const pickAccount = useCallback((id: number | null) => pickScope({ accountId: id, tag }), [pickScope, tag]);
  const pickTag = useCallback((t: string | null) => pickScope({ accountId, tag: t }), [pickScope, accountId]);
  /** The conversations the tag dialog edits (open while non-empty). */
  const [tagTargets, setTagTargets] = useState<ConversationSummary[]>([]);
  // Where the keyboard works, queue or reading pane: a signal only the reading pane follows, so
  // opening a conversation does not re-render the window.
  const focusSignal = useMemo(() => new Signal<'queue' | 'conversation'>('queue'), []);
  const setFocus = focusSignal.set;
  /** A conversation opened from elsewhere (search, the customer panel, an escalation) rather than the queue cursor. */
  const [override, setOverride] = useState<number | null>(null);
  const [showCustomer, setShowCustomer] = useState(true);
  const [helpOpen, setHelpOpen] = useState(false);
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [keymap, setKeymap] = useState(loadKeymap);
  const [settings, setSettings] = useState<{ open: boolean; tab: SettingsTab }>({ open: false, tab: 'accounts' });
  const [keysEnabled, setKeysEnabled] = useState(loadKeysEnabled);
  const [q, setQ] = useState('');
  const search = useSearch(q);
  // The highlighted hit, back to the first with each new set of results (in the same render, not
  // in an effect that would render the window once more per result).
  const [hitPick, setHitPick] = useState<{ hits: SearchHit[]; i: number }>({ hits: [], i: 0 });
  const hitIndex = hitPick.hits === search.hits ? hitPick.i : 0;
  const searchHits = useRef(search.hits);
  searchHits.current = search.hits;
  const setHitIndex = useCallback((i: number | ((prev: number) => number)) => {
    setHitPick((p) => {
      const hits = searchHits.current;
      const prev = p.hits === hits ? p.i : 0;
      return { hits, i: typeof i === 'function' ? i(prev) : i };
    });
  }, []);
  const searching = q.trim().length > 0;
  const searchRef = useRef<HTMLInputElement>(null);

  /** The conversation the reading pane shows (kept by <Reader>, read by commands). */
  const shown = useRef<ConversationDetail | null>(null);

  useEffect(() => {
    store.onError = (m) => notifications.show({ color: 'red', title: 'Canary', message: m });
    store.setView('inbox');
  }, [store]);

  // A reply usually moves its conversation out of the current view: keep showing it.
  useEffect(() => {
    const onReplied = (e: Event) => {
      setOverride((e as CustomEvent<number>).detail);
      setFocus('conversation');
    };
    window.addEventListener(REPLIED_EVENT, onReplied);
    return () => window.removeEventListener(REPLIED_EVENT, onReplied);
  }, []);

  const invalidate = useCallback(() => store.invalidateSoon(), [store]);
  useCoreEvent('conversations.changed', invalidate);
  useCoreEvent('messages.changed', invalidate);

  const targets = useCallback(() => {
    const d = shown.current;
    if (override != null && d && d.conversation.id === override) return [d.conversation];
    return store.targets();
  }, [override, store]);

  const announce = useCallback((message: string) => {
    notifications.show({ message: <span>{message} · <Kbd size="xs">Z</Kbd> to undo</span>, autoClose: 3000, withCloseButton: false, 'aria-label': message } as never);
  }, []);

  const setStatus = useCallback(
    async (status: 'open' | 'waiting' | 'snoozed' | 'done', snoozeUntil: number | null = null, label?: string) => {
      const t = targets();
      if (!t.length) return;
      const ok = await store.setStatus(t, status, snoozeUntil, label);
      if (ok) announce(`${label ?? STATUS_WORD[status]}${t.length > 1 ? ` (${t.length})` : ''}`);
    },
    [targets, store, announce],
  );

  const openConversation = useCallback(
    (id: number) => {
      setOverride(id);
      setFocus('conversation');
      store.selectId(id);
    },
    [store],
  );

  const run = useCallback(
    (id: CommandId): boolean => {
      const view = GO[id];
      if (view) {
        setQ('');
        setOverride(null);
        setFocus('queue');
        store.setView(view);
        return true;
      }
      switch (id) {
        case 'queue.next':
        case 'queue.prev':
          if (searching && focusSignal.get() === 'queue') {
            setHitIndex((i) => Math.max(0, Math.min(search.hits.length - 1, i + (id === 'queue.next' ? 1 : -1))));
            return true;
          }
          setOverride(null);
          store.moveCursor(id === 'queue.next' ? 1 : -1);
          return true;
        case 'conversation.open':
          if (searching && focusSignal.get() === 'queue') {
            const h = search.hits[hitIndex];
            if (h) openConversation(h.conversationId);
            return true;
          }
          if ((override ?? store.getState().selectedId) == null) return false;
          // The pane takes the keyboard focus itself once it shows the conversation (one style and
          // layout pass instead of one here on the old content and another after rendering).
          if (focusSignal.get() === 'conversation') document.getElementById('conversation-scroll')?.focus({ preventScroll: true });
          setFocus('conversation');
          return true;
        case 'conversation.back':
          if (focusSignal.get() === 'conversation') {
            setFocus('queue');
            setOverride(null);
            document.querySelector<HTMLElement>('[data-testid="queue"]')?.focus({ preventScroll: true });
            return true;
          }
          if (searching) {
            setQ('');
            return true;
          }
          if (checkedCount) {
            store.clearChecked();
            return true;
          }
          return false;
        case 'conversation.done':
          void setStatus('done');
          return true;
        case 'conversation.waiting':
          void setStatus('waiting');
          return true;
        case 'conversation.reopen':
          void setStatus('open');
          return true;
        case 'conversation.snooze':
          if (!targets().length) return false;
          setSnoozeOpen(true);
          return true;
        case 'conversation.star': {
          const t = targets();
          if (!t.length) return false;
          const on = !(t[0]!.priority > 0);
          void store.setPriority(t, on ? 1 : 0).then((ok) => ok && announce(on ? 'Starred' : 'Unstarred'));
          return true;
        }
        case 'queue.select':
          store.toggleChecked();
          return true;
        case 'queue.selectNone':
          store.clearChecked();
          return true;
        case 'search.focus':
          searchRef.current?.focus();
          searchRef.current?.select();
          return true;
        case 'undo':
          void store.undo().then((label) => {
            notifications.show({ message: label ? `Undone: ${label}` : 'Nothing to undo', autoClose: 2000, withCloseButton: false });
          });
          return true;
        case 'help.cheatsheet':
          setHelpOpen((v) => !v);
          return true;
        case 'palette.open':
          palette.toggle();
          return true;
        case 'conversation.forward':
          if (shown.current?.conversation.channel !== 'email') return false;
          setFocus('conversation');
          window.dispatchEvent(new CustomEvent<ComposeDetail>(COMPOSE_EVENT, { detail: { all: false, forward: true } }));
          return true;
        case 'conversation.tag': {
          const t = targets();
          if (!t.length) return false;
          setTagTargets(t);
          return true;
        }
        case 'conversation.reply':
        case 'conversation.replyAll':
          if (!shown.current) return false;
          setFocus('conversation');
          window.dispatchEvent(new CustomEvent<ComposeDetail>(COMPOSE_EVENT, { detail: { all: id === 'conversation.replyAll' } }));
          return true;
        case 'link.confirm':
          window.dispatchEvent(new Event(CONFIRM_LINK_EVENT));
          return true;
        case 'settings.open':
          setSettings({ open: true, tab: 'accounts' });
          return true;
        case 'customer.toggle':
          setShowCustomer((v) => !v);
          return true;
        case 'keys.toggle':
          setKeysEnabled((v) => {
            saveKeysEnabled(!v);
            return !v;
          });
          return true;
        default:
          return false;
      }
    },
    [store, searching, focusSignal, setFocus, search.hits, hitIndex, openConversation, override, checkedCount, setStatus, targets, announce],
  );

  // One dispatcher for the window; it reads the latest `run` through a ref.
  const runRef = useRef(run);
  runRef.current = run;
  const enabledRef = useRef(keysEnabled);
  enabledRef.current = keysEnabled;
  const modalOpen = helpOpen || snoozeOpen || settings.open || tagTargets.length > 0;
  const modalRef = useRef(modalOpen);
  modalRef.current = modalOpen;
  useEffect(() => {
    const d = new KeyDispatcher(
      keymap,
      (id) => {
        // While a dialog is open only the palette and the cheat sheet toggle pass through.
        if (modalRef.current && id !== 'palette.open' && id !== 'help.cheatsheet') return false;
        if (paletteStore.getState().opened && id !== 'palette.open') return false;
        return runRef.current(id);
      },
      () => enabledRef.current,
    );
    window.addEventListener('keydown', d.handle);
    return () => window.removeEventListener('keydown', d.handle);
  }, [keymap]);

  const hitsRef = useRef(search.hits);
  hitsRef.current = search.hits;
  const pickHit = useCallback(
    (i: number) => {
      setHitIndex(i);
      const h = hitsRef.current[i];
      if (h) openConversation(h.conversationId);
    },
    [openConversation],
  );
  const rememberUndo = useCallback((label: string, revert: () => Promise<unknown>) => store.pushUndo(label, revert), [store]);
  const notify = useCallback((message: string) => {
    notifications.show({ message, autoClose: 3000, withCloseButton: false });
  }, []);
  const pickView = useCallback(
    (v: ViewId) => {
      setQ('');
      setOverride(null);
      store.setView(v);
    },
    [store],
  );
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const toggleKeys = useCallback((on: boolean) => {
    saveKeysEnabled(on);
    setKeysEnabled(on);
  }, []);
  const closeSnooze = useCallback(() => setSnoozeOpen(false), []);
  const closeTags = useCallback(() => setTagTargets([]), []);
  const pickSnooze = useCallback(
    (until: number, label: string) => {
      setSnoozeOpen(false);
      void setStatus('snoozed', until, `Snoozed: ${label.toLowerCase()}`);
    },
    [setStatus],
  );
  const openFromQueue = useCallback(() => {
    setOverride(null);
    setFocus('conversation');
  }, []);
  const runCommand = useCallback((id: CommandId) => void runRef.current(id), []);

  const paletteActions: SpotlightActionData[] = useMemo(
    () =>
      COMMANDS.filter((c) => c.id !== 'palette.open').map((c) => ({
        id: c.id,
        label: c.title,
        description: c.group,
        rightSection: keymap[c.id][0] ? <Kbd size="xs">{keyLabel(keymap[c.id][0]!).join(' ')}</Kbd> : undefined,
        onClick: () => {
          // Let the palette close before the command moves focus.
          setTimeout(() => runRef.current(c.id), 0);
        },
      })),
    [keymap],
  );

  const onSearchKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setHitIndex((i) => Math.max(0, Math.min(search.hits.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const h = search.hits[hitIndex];
      if (h) {
        openConversation(h.conversationId);
        e.currentTarget.blur();
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (q) setQ('');
      else e.currentTarget.blur();
    }
  };

  // The top bar as one element kept between renders: opening a conversation or a result arriving
  // does not re-render the search box, its tooltips and buttons.
  const searchKeyRef = useRef(onSearchKey);
  searchKeyRef.current = onSearchKey;
  const searchKey = useCallback((e: React.KeyboardEvent<HTMLInputElement>) => searchKeyRef.current(e), []);
  // The search box alone changes per keystroke; the rest of the bar (tooltips, buttons) is kept.
  const searchInput = useMemo(
    () => (
      <TextInput
        ref={searchRef}
        className="searchbox"
        placeholder="Search messages"
        aria-label="Search messages"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        onKeyDown={searchKey}
        leftSection={<IconSearch size={15} />}
        rightSection={<Kbd size="xs">/</Kbd>}
        rightSectionWidth={34}
        data-testid="search"
        aria-controls={searching ? 'search-results' : undefined}
      />
    ),
    [q, searching, searchKey],
  );
  const topRest = useMemo(
    () => (
      <>
        <ConnectionBadge />
        <NetworkBadge />
        <LinkingBadge />
        <Group gap={6} ml="auto" wrap="nowrap">
          <Tooltip label="Command palette (Ctrl K)">
            <UnstyledButton className="palette-btn" onClick={() => palette.open()} aria-label="Open the command palette">
              <Text size="xs" c="dimmed">
                Commands
              </Text>
              <Kbd size="xs">{keyLabel('mod+k').join(' ')}</Kbd>
            </UnstyledButton>
          </Tooltip>
          <Tooltip label={showCustomer ? 'Hide the customer panel (C)' : 'Show the customer panel (C)'}>
            <ActionIcon variant={showCustomer ? 'light' : 'subtle'} onClick={() => setShowCustomer((v) => !v)} aria-label="Toggle the customer panel" size="lg">
              <IconUser size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Settings (G then ,)">
            <ActionIcon variant="subtle" onClick={() => setSettings({ open: true, tab: 'accounts' })} aria-label="Settings" size="lg" data-testid="settings-button">
              <IconSettings size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Keyboard shortcuts (?)">
            <ActionIcon variant="subtle" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts" size="lg" data-testid="help-button">
              <IconKeyboard size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </>
    ),
    [showCustomer],
  );
  const topBar = useMemo(
    () => (
      <Group h="100%" px="md" gap="md" wrap="nowrap">
        <Group gap={8} wrap="nowrap" className="brand">
          <span className="brand-mark" aria-hidden>
            ●
          </span>
          <Text fw={700}>Canary</Text>
        </Group>
        {searchInput}
        {topRest}
      </Group>
    ),
    [searchInput, topRest],
  );

  const navBar = useMemo(
    () => (
      <>
        <ViewNav counts={counts} active={searching ? null : queueView} onPick={pickView} />
        <AccountFilter active={accountId} onPick={pickAccount} tag={tag} onTag={pickTag} />
        <div className="nav-foot">
          <Text size="xs" c="dimmed">
            <IconClock size={11} /> Oldest unanswered first
          </Text>
        </div>
      </>
    ),
    [counts, searching, queueView, pickView, accountId, pickAccount, tag, pickTag],
  );

  const view = viewById(queueView);
  return (
    // A plain grid rather than Mantine's AppShell: AppShell hands its children a new context value
    // on every render, and React then walks the whole window (queue rows included) looking for
    // consumers each time the window re-renders (opening a conversation, every search keystroke).
    <div className="app" style={SHELL}>
      <header className="topbar" style={SHELL_HEADER}>
        {topBar}
      </header>

      <nav className="nav" aria-label="Views" style={SHELL_NAV}>
        {navBar}
      </nav>

      <main className="main" style={SHELL_MAIN}>
        {firstRun.show ? (
          <FirstRun
            info={firstRun.info}
            onDone={(message) => {
              firstRun.hide(false);
              store.setView('inbox');
              notifications.show({ color: 'teal', message, autoClose: 4000 });
            }}
            onSkip={() => firstRun.hide(true)}
            onAddEmail={() => setSettings({ open: true, tab: 'add-email' })}
          />
        ) : (
        <div className="panes" data-customer={showCustomer || undefined}>
          {searching ? (
            <SearchResults
              query={search.query}
              hits={search.hits}
              active={hitIndex}
              loading={search.loading}
              error={search.error}
              onPick={pickHit}
            />
          ) : null}
          <QueuePane store={store} onOpen={openFromQueue} hidden={searching} />
          <Reader
            store={store}
            override={override}
            focus={focusSignal}
            showCustomer={showCustomer}
            run={runCommand}
            onOpenConversation={openConversation}
            shown={shown}
            remember={rememberUndo}
            onNotify={notify}
          />
        </div>
        )}
      </main>

      <Palette actions={paletteActions} />
      <CheatSheetM opened={helpOpen} onClose={closeHelp} keymap={keymap} keysEnabled={keysEnabled} onToggleKeys={toggleKeys} />
      <SnoozeModalM opened={snoozeOpen} onClose={closeSnooze} onPick={pickSnooze} />
      <TagDialogM targets={tagTargets} onClose={closeTags} onDone={announce} remember={rememberUndo} />
      {settings.open ? (
        <Settings
          opened
          tab={settings.tab}
          onTab={(tab) => setSettings({ open: true, tab })}
          onClose={() => setSettings((s) => ({ ...s, open: false }))}
          keymap={keymap}
          onKeymap={(k: Keymap) => {
            saveKeymap(k);
            setKeymap(k);
          }}
          keysEnabled={keysEnabled}
          onToggleKeys={toggleKeys}
        />
      ) : null}
      <span hidden data-testid="current-view">
        {view.id}
      </span>
    </div>
  );
}
