// The queue as an external store: a sparse window over the core's ordered list, filled page by
// page around what is on screen, with optimistic status and priority changes reconciled by
// re-querying when the core reports the change (or undone when the core refuses it).
import type { CoreClient } from '../../../shared/rpc/client';
import type { ConversationFilter } from '../../../shared/contract/schemas';
import type { ConversationStatus, ConversationSummary } from '../../../shared/domain/types';
import { viewById, type ViewId } from './views';
import { throttle } from '../lib/throttle';
import { revertChanges, UndoHistory } from './queue-undo';

export type { UndoEntry } from './queue-undo';

export const PAGE = 100;
/** Least time between two reloads caused by change events (see invalidateSoon). */
const INVALIDATE_MS = 250;

export interface QueueState {
  view: ViewId;
  total: number;
  /** Sparse: undefined where a page is not loaded yet. Mutated in place; `rev` tells readers it changed. */
  items: (ConversationSummary | undefined)[];
  rev: number;
  cursor: number;
  selectedId: number | null;
  checked: ReadonlySet<number>;
  loaded: boolean;
  error: string | null;
}

export interface Patch {
  status?: ConversationStatus;
  snoozeUntil?: number | null;
  priority?: number;
}

function matches(filter: ConversationFilter, c: ConversationSummary): boolean {
  const status = filter.status ?? 'open';
  if (status !== 'all' && c.status !== status) return false;
  if (filter.channel && c.channel !== filter.channel) return false;
  if (filter.escalated !== undefined && c.escalated !== filter.escalated) return false;
  return true;
}

const stores = new WeakMap<CoreClient, QueueStore>();

/** The window's queue (one per client): made and started in main.tsx before the first render, used by <App>. */
export function queueStoreFor(client: CoreClient): QueueStore {
  let s = stores.get(client);
  if (!s) {
    s = new QueueStore(client);
    stores.set(client, s);
  }
  return s;
}

export class QueueStore {
  private listeners = new Set<() => void>();
  private state: QueueState;
  private gen = 0;
  private inflight = new Set<number>();
  /** Pages kept on a change but not re-queried yet (away from the screen): re-queried when the list nears them. */
  private stale = new Set<number>();
  private visible: [number, number] = [0, 30];
  /** Optimistic changes not yet confirmed, applied to anything fetched meanwhile. */
  private overlay = new Map<number, Patch>();
  private selectAfterLoad: number | null = null;
  private readonly history = new UndoHistory();
  onError: (message: string) => void = () => {};

  /** Where failures of writes are reported (the window shows them). */
  setErrorHandler(fn: (message: string) => void): void {
    this.onError = fn;
  }

  constructor(
    private client: CoreClient,
    view: ViewId = 'inbox',
  ) {
    this.state = { view, total: 0, items: [], rev: 0, cursor: 0, selectedId: null, checked: new Set(), loaded: false, error: null };
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  getState = (): QueueState => this.state;

  private set(patch: Partial<QueueState>): void {
    this.state = { ...this.state, ...patch, rev: this.state.rev + 1 };
    for (const l of this.listeners) l();
  }

  /** A narrowing on top of the view (one account), from the navbar's filters. */
  private extra: ConversationFilter = {};

  get filter(): ConversationFilter {
    return { ...viewById(this.state.view).filter, ...this.extra };
  }

  setExtra(extra: ConversationFilter): void {
    this.extra = extra;
    this.setView(this.state.view);
  }

  /**
   * The At risk view's rows, riskiest first (risk.list's at-risk ids, from the query cache); null
   * until read. The view asks conversations.list for these ids (narrowed by the navbar's filters)
   * and shows them in this order.
   */
  private order: number[] | null = null;

  setOrder(ids: number[] | null): void {
    const o = this.order;
    if (o === ids || (o && ids && o.length === ids.length && o.every((id, i) => id === ids[i]))) return;
    this.order = ids;
    if (this.state.view === 'at-risk') this.invalidate();
  }

  /** One page of rows in the view's order (the At risk view is one page of at most 1,000). */
  private async query(page: number): Promise<{ items: ConversationSummary[]; total: number }> {
    if (this.state.view !== 'at-risk') return this.client.call('conversations.list', { filter: this.filter, offset: page * PAGE, limit: PAGE });
    const order = this.order ?? [];
    if (!order.length) return { items: [], total: 0 };
    const res = await this.client.call('conversations.list', { filter: { ...this.filter, ids: order }, offset: 0, limit: order.length });
    const rank = new Map(order.map((id, i) => [id, i]));
    return { items: res.items.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!), total: res.total };
  }

  /**
   * Load the current view's first page unless it is loaded or on its way. The window's store asks
   * before the window's first render (queueStoreFor in main.tsx), so the rows are the core's first
   * answer rather than the last of the calls the first render's effects make.
   */
  start(): void {
    if (this.state.loaded || this.inflight.size) return;
    this.ensure(0, 40);
  }

  /** Resolves once a page of the current view has been answered (or has failed). */
  loaded(): Promise<void> {
    if (this.state.loaded) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.subscribe(() => {
        if (!this.state.loaded) return;
        off();
        resolve();
      });
    });
  }

  setView(view: ViewId): void {
    this.gen++;
    this.inflight.clear();
    this.stale.clear();
    this.set({ view, total: 0, items: [], cursor: 0, selectedId: null, checked: new Set(), loaded: false, error: null });
    this.ensure(0, 40);
  }

  /** Called by the list with what is on screen; loads missing pages around it. */
  setVisible(start: number, end: number): void {
    this.visible = [start, end];
    this.ensure(start, end);
  }

  /** The pages the list needs for rows start..end: those rows and half a page either side. */
  private near(start: number, end: number): [number, number] {
    const { total, loaded } = this.state;
    const last = loaded ? Math.max(0, total - 1) : end;
    return [Math.max(0, Math.floor((start - PAGE / 2) / PAGE)), Math.floor(Math.min(last, end + PAGE / 2) / PAGE)];
  }

  private ensure(start: number, end: number): void {
    const { items, total, loaded } = this.state;
    const [from, to] = this.near(start, end);
    for (let p = from; p <= to; p++) {
      if (this.inflight.has(p)) continue;
      const s = p * PAGE;
      const e = Math.min(loaded ? total : s + PAGE, s + PAGE);
      let missing = !loaded || this.stale.has(p);
      for (let i = s; i < e && !missing; i++) if (items[i] === undefined) missing = true;
      if (missing) void this.fetchPage(p);
    }
  }

  private async fetchPage(page: number): Promise<void> {
    if (this.state.view === 'at-risk') {
      // Every row comes with the first page (whichever page was asked for); the list waits for the order.
      if (this.order === null) return;
      if (page !== 0) {
        if (this.inflight.has(0)) return;
        page = 0;
      }
    }
    const gen = this.gen;
    this.inflight.add(page);
    try {
      const res = await this.query(page);
      if (gen !== this.gen) return;
      const items = this.state.items;
      const filter = this.filter;
      let total = res.total;
      const fresh: ConversationSummary[] = [];
      for (const raw of res.items) {
        const o = this.overlay.get(raw.id);
        const c = o ? { ...raw, ...o } : raw;
        if (o && !matches(filter, c)) {
          total--;
          continue;
        }
        fresh.push(c);
      }
      // The At risk view's every row comes with its one page.
      if (this.state.view === 'at-risk') this.stale.clear();
      else this.stale.delete(page);
      items.length = Math.max(0, total);
      fresh.forEach((c, i) => {
        items[page * PAGE + i] = c;
      });
      let cursor = Math.min(this.state.cursor, Math.max(0, total - 1));
      // The selected conversation may have moved (a reply makes it answered): the selection follows it.
      const prevId = this.state.selectedId;
      if (prevId != null && items[cursor]?.id !== prevId) {
        const moved = items.findIndex((c) => c?.id === prevId);
        if (moved >= 0) cursor = moved;
      }
      let selectedId = items[cursor]?.id ?? null;
      let newCursor = cursor;
      if (this.selectAfterLoad != null) {
        const at = items.findIndex((c) => c?.id === this.selectAfterLoad);
        if (at >= 0) {
          newCursor = at;
          selectedId = this.selectAfterLoad;
          this.selectAfterLoad = null;
        }
      }
      this.set({ total: Math.max(0, total), loaded: true, cursor: newCursor, selectedId, error: null });
      this.ensure(...this.visible);
    } catch (e) {
      if (gen === this.gen) this.set({ error: (e as Error).message, loaded: true });
    } finally {
      if (gen === this.gen) this.inflight.delete(page);
    }
  }

  /**
   * invalidate() for change events: at once, then at most every INVALIDATE_MS while events keep
   * coming (a first sync commits many times a second; each reload is several page queries).
   */
  readonly invalidateSoon = throttle(() => this.invalidate(), INVALIDATE_MS);

  /**
   * The core changed something: keep what is shown, re-query the pages the list needs now (the
   * rows on screen and half a page either side) and mark the rest of the kept window stale, to be
   * re-queried when the list nears them (ensure). A sync reports changes several times a second:
   * one page query each time instead of the kept window's three.
   */
  invalidate(): void {
    this.invalidateSoon.ranNow();
    this.gen++;
    this.inflight.clear();
    const [s, e] = this.visible;
    const keepFrom = Math.max(0, s - 2 * PAGE);
    const keepTo = e + 2 * PAGE;
    const items = this.state.items;
    for (let i = 0; i < items.length; i++) {
      if (i < keepFrom || i > keepTo) items[i] = undefined;
    }
    const gen = this.gen;
    const [nearFrom, nearTo] = this.near(s, e);
    const from = Math.floor(keepFrom / PAGE);
    const to = Math.floor(Math.min(keepTo, Math.max(0, items.length - 1)) / PAGE);
    this.stale.clear();
    for (let p = from; p <= to; p++) {
      if (gen !== this.gen) break;
      if (p >= nearFrom && p <= nearTo) void this.fetchPage(p);
      else this.stale.add(p);
    }
    if (items.length === 0 && !this.inflight.has(0)) void this.fetchPage(0);
  }

  // --- cursor and selection -------------------------------------------------------------

  moveCursor(delta: number): void {
    const { total, cursor } = this.state;
    if (!total) return;
    const next = Math.max(0, Math.min(total - 1, cursor + delta));
    this.setCursor(next);
  }

  setCursor(index: number): void {
    this.selectAfterLoad = null; // the owner moved: a selection still waiting for a reload (an undo's) no longer applies
    const next = Math.max(0, Math.min(Math.max(0, this.state.total - 1), index));
    this.set({ cursor: next, selectedId: this.state.items[next]?.id ?? null });
    const [s, e] = this.visible;
    if (next < s || next > e) this.ensure(next - 20, next + 20);
  }

  selectId(id: number): void {
    const at = this.state.items.findIndex((c) => c?.id === id);
    if (at >= 0) this.set({ cursor: at, selectedId: id });
    else this.selectAfterLoad = id;
  }

  current(): ConversationSummary | undefined {
    return this.state.items[this.state.cursor];
  }

  toggleChecked(id?: number): void {
    const target = id ?? this.current()?.id;
    if (target == null) return;
    const checked = new Set(this.state.checked);
    if (checked.has(target)) checked.delete(target);
    else checked.add(target);
    this.set({ checked });
  }

  clearChecked(): void {
    if (this.state.checked.size) this.set({ checked: new Set() });
  }

  /** What an action applies to: the checked rows, or else the row under the cursor. */
  targets(): ConversationSummary[] {
    const { checked, items } = this.state;
    if (checked.size) {
      const found = items.filter((c): c is ConversationSummary => !!c && checked.has(c.id));
      if (found.length) return found;
    }
    const c = this.current();
    return c ? [c] : [];
  }

  // --- optimistic changes -----------------------------------------------------------------

  private applyLocal(ids: Set<number>, patch: Patch): void {
    const filter = this.filter;
    const items = this.state.items;
    let removedBeforeCursor = 0;
    let removed = 0;
    for (let i = items.length - 1; i >= 0; i--) {
      const c = items[i];
      if (!c || !ids.has(c.id)) continue;
      const next = { ...c, ...patch };
      if (matches(filter, next)) items[i] = next;
      else {
        items.splice(i, 1);
        removed++;
        if (i < this.state.cursor) removedBeforeCursor++;
      }
    }
    for (const id of ids) this.overlay.set(id, { ...this.overlay.get(id), ...patch });
    const total = Math.max(0, this.state.total - removed);
    const cursor = Math.max(0, Math.min(this.state.cursor - removedBeforeCursor, total - 1));
    const checked = new Set([...this.state.checked].filter((id) => !ids.has(id) || items.some((c) => c?.id === id)));
    // Answers to page requests sent before this change would land at the wrong offsets.
    this.gen++;
    this.inflight.clear();
    this.set({ total, cursor, selectedId: items[cursor]?.id ?? null, checked });
    this.ensure(...this.visible);
  }

  async setStatus(targets: ConversationSummary[], status: ConversationStatus, snoozeUntil: number | null = null, label?: string): Promise<boolean> {
    if (!targets.length) return false;
    const ids = targets.map((c) => c.id);
    this.history.remember(label ?? status, targets);
    this.applyLocal(new Set(ids), { status, snoozeUntil: status === 'snoozed' ? snoozeUntil : null });
    try {
      await this.client.call('conversations.setStatus', { ids, status, ...(status === 'snoozed' ? { snoozeUntil } : {}) });
      return true;
    } catch (e) {
      this.history.pop();
      this.onError(`Could not change the status: ${(e as Error).message}`);
      return false;
    } finally {
      for (const id of ids) this.overlay.delete(id);
      this.invalidate();
    }
  }

  async setPriority(targets: ConversationSummary[], priority: number): Promise<boolean> {
    if (!targets.length) return false;
    const ids = targets.map((c) => c.id);
    this.history.remember(priority ? 'star' : 'unstar', targets);
    this.applyLocal(new Set(ids), { priority });
    try {
      await this.client.call('conversations.setPriority', { ids, priority });
      return true;
    } catch (e) {
      this.history.pop();
      this.onError(`Could not change the priority: ${(e as Error).message}`);
      return false;
    } finally {
      for (const id of ids) this.overlay.delete(id);
      this.invalidate();
    }
  }

  /** Remember an action done elsewhere (e.g. a link decision) so z undoes it too. */
  pushUndo(label: string, revert: () => Promise<unknown>): void {
    this.history.push({ label, before: [], revert });
  }

  /** Put back what the last action changed; returns its label, or null when there is nothing to undo. */
  async undo(): Promise<string | null> {
    const entry = this.history.pop();
    if (!entry) return null;
    if (entry.revert) {
      try {
        await entry.revert();
      } catch (e) {
        this.onError(`Could not undo: ${(e as Error).message}`);
      }
      return entry.label;
    }
    try {
      await revertChanges(this.client, entry.before);
    } catch (e) {
      this.onError(`Could not undo: ${(e as Error).message}`);
    }
    const first = entry.before[0];
    if (first) this.selectAfterLoad = first.id;
    this.invalidate();
    return entry.label;
  }
}
