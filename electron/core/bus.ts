// The core's own typed events, apart from the window's (shared/contract/events.ts): what the core's
// services follow (linking, the account supervisors, the network monitor). Each event says what
// happened in the core's terms; the ones the window also needs are passed on to it, once, by the
// table below (the window's `messages.changed`, `conversations.changed` and `sync.status` come
// only from here: EventBus.emit refuses them), so the renderer sees the same events as before.
import type { CoreEvents, EventName } from '../../shared/contract/events';
import type { EventBus } from './events';
import type { Logger } from './log/logger';

export interface BusEvents {
  /** Messages were stored in these conversations (new mail or posts, an import, a repair that moved them). */
  MessagesStored: { conversationIds: number[] };
  /** These conversations changed: their messages, status, tags, snooze or escalation. */
  ConversationsChanged: { ids: number[] };
  /** A bulk write began (a first sync, a backfill): work that follows new rows a batch at a time waits for its end. */
  BulkWriteStarted: { source: string };
  /** That bulk write ended (its rows are committed, or it stopped half way). */
  BulkWriteEnded: { source: string };
  /** An account was added, edited (enabled, credentials, addresses, settings) or removed. */
  AccountsChanged: { accountId: number };
  /** An account's sync started, moved on, failed or ended (a pass, a poll). */
  SyncStatusChanged: { accountId: number };
  /** Teammates' link decisions that won in the team log (team/cycle.ts), for linking to apply (linking/team-links.ts). */
  TeamLinkDecisions: { decisions: { xUserId: string; decision: 'confirm' | 'reject' | 'undo' | 'link' | 'unlink'; customer: string | null }[] };
}
export type BusEventName = keyof BusEvents;

/** The window's event for each of the core's, when it has one. */
const toWindow: { [N in BusEventName]: ((p: BusEvents[N]) => { name: EventName; payload: CoreEvents[EventName] }) | null } = {
  MessagesStored: (p) => ({ name: 'messages.changed', payload: { conversationIds: p.conversationIds } }),
  ConversationsChanged: (p) => ({ name: 'conversations.changed', payload: { ids: p.ids } }),
  BulkWriteStarted: null,
  BulkWriteEnded: null,
  AccountsChanged: (p) => ({ name: 'sync.status', payload: { accountId: p.accountId } }),
  SyncStatusChanged: (p) => ({ name: 'sync.status', payload: { accountId: p.accountId } }),
  TeamLinkDecisions: null,
};

/** The window events only the bus emits (see toWindow). */
export type WindowEventOfBus = 'messages.changed' | 'conversations.changed' | 'sync.status';

type Listener<N extends BusEventName> = (payload: BusEvents[N]) => void;

export class CoreBus {
  private readonly listeners = new Map<BusEventName, Set<Listener<never>>>();

  constructor(
    /** Where the window's events go (transports subscribe there). */
    private readonly window: EventBus,
    private readonly log?: Logger,
  ) {}

  /** Follow one event; returns the unsubscribe. Listeners run synchronously, in the order they subscribed. */
  on<N extends BusEventName>(name: N, listener: Listener<N>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<N extends BusEventName>(name: N, payload: BusEvents[N]): void {
    for (const l of [...(this.listeners.get(name) ?? [])]) {
      try {
        (l as Listener<N>)(payload);
      } catch (err) {
        // A broken listener never breaks the one who emitted.
        this.log?.error('core event listener failed', { service: 'bus', event: name, err });
      }
    }
    const w = toWindow[name]?.(payload);
    if (w) this.window.forward(w.name, w.payload);
  }

  /** Listeners subscribed now (for tests: a stopped service leaves none). */
  listenerCount(name?: BusEventName): number {
    if (name) return this.listeners.get(name)?.size ?? 0;
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
