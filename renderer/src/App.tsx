// The window: views with counts on the left, the queue (or search results), the open conversation,
// and the customer panel. Layout and wiring: every action is a command (commands/registry.tsx)
// registered by the component that owns it; the keymap (keys/keymap.ts), the Ctrl/⌘ K palette and
// buttons run them by id. The window owns navigation (views, queue cursor, search, focus) and its
// own dialogs.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ConversationDetail } from '../../shared/domain/types';
import { loadKeymap, loadKeysEnabled, saveKeymap, saveKeysEnabled, type Keymap } from './keys/keymap';
import { useWindowKeys } from './keys/useWindowKeys';
import { CommandRegistry, CommandsProvider, useCommand, useModalOpen } from './commands/registry';
import { Palette, palette } from './commands/palette';
import { GoCommands } from './commands/GoCommands';
import { TeamCommands } from './views/team/TeamCommands';
import { useClient, useCoreEvent } from './rpc/core';
import { queueStoreFor } from './state/queue';
import { viewById, type ViewId } from './state/views';
import { useCounts } from './state/counts';
import { useAtRisk, useAtRiskCount } from './state/goals';
import { Signal } from './state/signal';
import { useSearchPick } from './state/searchPick';
import { useDesktopNotifications } from './state/notify';
import { useFirstRun } from './state/firstRun';
import { useQueueSelect } from './lib/hooks';
import { QueuePane } from './views/QueuePane';
import { Reader } from './views/Reader';
import { ViewNav } from './views/ViewNav';
import { SearchResults } from './views/SearchResults';
import { FirstRun } from './views/FirstRun';
import { AccountFilter } from './views/AccountFilter';
import { Settings, type SettingsTab } from './views/Settings';
import { Triage } from './views/Triage';
import { ReportsPage, usePreloadReports } from './views/reports/ReportsPage';
import { CheatSheet } from './ui/CheatSheet';
import { TopBar } from './views/TopBar';
import { IconClock } from './ui/icons';

// The dialogs re-render only when their own props change, not with every keystroke in the search box.
const CheatSheetM = memo(CheatSheet);

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

export function App() {
  const registry = useMemo(() => new CommandRegistry(), []);
  return (
    <CommandsProvider value={registry}>
      <Window registry={registry} />
    </CommandsProvider>
  );
}

function Window({ registry }: { registry: CommandRegistry }) {
  const client = useClient();
  const firstRun = useFirstRun();
  const store = useMemo(() => queueStoreFor(client), [client]);
  // Only what the window itself needs, so moving the cursor re-renders the list and not the window.
  const queueView = useQueueSelect(store, (s) => s.view);
  const checkedCount = useQueueSelect(store, (s) => s.checked.size);
  const [accountId, setAccountId] = useState<number | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const extra = useMemo(() => (accountId != null || tag != null ? { ...(accountId != null ? { accountId } : {}), ...(tag != null ? { tag } : {}) } : undefined), [accountId, tag]);
  const counts = useCounts(extra);
  // The At risk view's rows and count come from risk.list; the queue follows its order. Read once the
  // queue has shown its first page (rows on screen ask for it then too).
  const queueLoaded = useQueueSelect(store, (s) => s.loaded);
  const [riskOn, setRiskOn] = useState(false);
  if (queueLoaded && !riskOn) setRiskOn(true);
  usePreloadReports(queueLoaded);
  const atRisk = useAtRisk(riskOn);
  const atRiskCount = useAtRiskCount(extra, atRisk);
  useEffect(() => store.setOrder(atRisk ? atRisk.ids : null), [store, atRisk]);
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
  // Where the keyboard works, queue or reading pane: a signal only the reading pane follows, so
  // opening a conversation does not re-render the window.
  const focusSignal = useMemo(() => new Signal<'queue' | 'conversation'>('queue'), []);
  const setFocus = focusSignal.set;
  /** A conversation opened from elsewhere (search, the customer panel, an escalation) rather than the queue cursor. */
  const [override, setOverride] = useState<number | null>(null);
  const [showCustomer, setShowCustomer] = useState(true);
  // The Reports view replaces the panes (not a queue view: no rows, no cursor).
  const [reportsOpen, setReportsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [keymap, setKeymap] = useState(loadKeymap);
  const [settings, setSettings] = useState<{ open: boolean; tab: SettingsTab }>({ open: false, tab: 'accounts' });
  const [keysEnabled, setKeysEnabled] = useState(loadKeysEnabled);
  useModalOpen(helpOpen || settings.open);
  const [q, setQ] = useState('');
  const { search, hitIndex, setHitIndex, hitsRef } = useSearchPick(q);
  const searching = q.trim().length > 0;
  const searchRef = useRef<HTMLInputElement>(null);

  /** The conversation the reading pane shows (kept by <Reader>, read by commands). */
  const shown = useRef<ConversationDetail | null>(null);

  useEffect(() => {
    store.setErrorHandler((m) => notifications.show({ color: 'red', title: 'Canary', message: m }));
    // Normally asked for already (main.tsx); the inbox is the store's first view.
    store.start();
  }, [store]);

  // The queue keeps its own sparse store (pages of rows); it reloads the visible pages on changes.
  const invalidate = useCallback(() => store.invalidateSoon(), [store]);
  useCoreEvent('conversations.changed', invalidate);
  useCoreEvent('messages.changed', invalidate);

  const targets = useCallback(() => {
    const d = shown.current;
    if (override != null && d && d.conversation.id === override) return [d.conversation];
    return store.targets();
  }, [override, store]);

  const openConversation = useCallback(
    (id: number) => {
      setOverride(id);
      setFocus('conversation');
      setReportsOpen(false);
      store.selectId(id);
    },
    [store, setFocus],
  );
  // A clicked desktop notification opens its conversation over whatever was shown.
  const openNotified = useCallback(
    (id: number) => {
      setQ('');
      setSettings((st) => ({ ...st, open: false }));
      openConversation(id);
    },
    [openConversation],
  );
  useDesktopNotifications(openNotified);
  // A reply usually moves its conversation out of the current view: keep showing it.
  const onReplied = useCallback(
    (id: number) => {
      setOverride(id);
      setFocus('conversation');
    },
    [setFocus],
  );

  // The window's own commands: views, the queue cursor (or the highlighted search hit), focus,
  // search, panels and dialogs. Triage, queue selection, replies and links are registered by
  // their components.
  const openReports = useCallback(() => {
    setQ('');
    setReportsOpen(true);
  }, []);
  useCommand('go.reports', openReports);
  const pickView = useCallback(
    (v: ViewId) => {
      setQ('');
      setOverride(null);
      setReportsOpen(false);
      store.setView(v);
    },
    [store],
  );
  const goView = useCallback(
    (v: ViewId) => {
      pickView(v);
      setFocus('queue');
    },
    [pickView, setFocus],
  );
  const step = (delta: 1 | -1) => {
    if (searching && focusSignal.get() === 'queue') {
      setHitIndex((i) => Math.max(0, Math.min(search.hits.length - 1, i + delta)));
      return;
    }
    setOverride(null);
    store.moveCursor(delta);
  };
  useCommand('queue.next', () => step(1));
  useCommand('queue.prev', () => step(-1));
  useCommand('conversation.open', () => {
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
  });
  useCommand('conversation.back', () => {
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
  });
  useCommand('search.focus', () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  });
  useCommand('help.cheatsheet', () => setHelpOpen((v) => !v));
  useCommand('palette.open', () => palette.toggle());
  useCommand('settings.open', () => setSettings({ open: true, tab: 'accounts' }));
  useCommand('customer.toggle', () => setShowCustomer((v) => !v));
  useCommand('keys.toggle', () =>
    setKeysEnabled((v) => {
      saveKeysEnabled(!v);
      return !v;
    }),
  );

  // One key dispatcher for the window; the application menu and the tray run commands by id too.
  useWindowKeys(registry, keymap, keysEnabled);

  const pickHit = useCallback(
    (i: number) => {
      setHitIndex(i);
      const h = hitsRef.current[i];
      if (h) openConversation(h.conversationId);
    },
    [openConversation, setHitIndex, hitsRef],
  );
  const rememberUndo = useCallback((label: string, revert: () => Promise<unknown>) => store.pushUndo(label, revert), [store]);
  const notify = useCallback((message: string) => {
    notifications.show({ message, autoClose: 3000, withCloseButton: false });
  }, []);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const toggleKeys = useCallback((on: boolean) => {
    saveKeysEnabled(on);
    setKeysEnabled(on);
  }, []);
  const openFromQueue = useCallback(() => {
    setOverride(null);
    setFocus('conversation');
  }, [setFocus]);

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

  // A stable handler for the search box (the top bar is memoised), reading the latest state.
  const searchKeyRef = useRef(onSearchKey);
  useEffect(() => {
    searchKeyRef.current = onSearchKey;
  });
  const searchKey = useCallback((e: React.KeyboardEvent<HTMLInputElement>) => searchKeyRef.current(e), []);

  const navBar = useMemo(
    () => (
      <>
        <ViewNav counts={counts} atRisk={atRiskCount} active={searching || reportsOpen ? null : queueView} onPick={pickView} reports={reportsOpen && !searching} onReports={openReports} />
        <AccountFilter active={accountId} onPick={pickAccount} tag={tag} onTag={pickTag} />
        <div className="nav-foot">
          <Text size="xs" c="dimmed">
            <IconClock size={11} /> {queueView === 'at-risk' ? 'Riskiest first' : 'Oldest unanswered first'}
          </Text>
        </div>
      </>
    ),
    [counts, atRiskCount, searching, reportsOpen, queueView, pickView, openReports, accountId, pickAccount, tag, pickTag],
  );

  const view = viewById(queueView);
  return (
    // A plain grid rather than Mantine's AppShell: AppShell hands its children a new context value
    // on every render, and React then walks the whole window (queue rows included) looking for
    // consumers each time the window re-renders (opening a conversation, every search keystroke).
    <div className="app" style={SHELL}>
      <header className="topbar" style={SHELL_HEADER}>
        <TopBar q={q} onQ={setQ} onSearchKey={searchKey} searching={searching} searchRef={searchRef} showCustomer={showCustomer} />
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
        ) : reportsOpen && !searching ? (
          <ReportsPage />
        ) : (
          <div className="panes" data-customer={showCustomer || undefined}>
            {searching ? <SearchResults query={search.query} hits={search.hits} active={hitIndex} loading={search.loading} error={search.error} onPick={pickHit} /> : null}
            <QueuePane store={store} onOpen={openFromQueue} hidden={searching} />
            <Reader
              store={store}
              override={override}
              focus={focusSignal}
              showCustomer={showCustomer}
              onOpenConversation={openConversation}
              onReplied={onReplied}
              shownRef={shown}
              remember={rememberUndo}
              onNotify={notify}
            />
          </div>
        )}
      </main>

      <Palette keymap={keymap} />
      <CheatSheetM opened={helpOpen} onClose={closeHelp} keymap={keymap} keysEnabled={keysEnabled} onToggleKeys={toggleKeys} />
      <Triage store={store} targets={targets} remember={rememberUndo} />
      <GoCommands onGo={goView} />
      <TeamCommands targets={targets} />
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
        {reportsOpen && !searching ? 'reports' : view.id}
      </span>
    </div>
  );
}
