// The linking service of a core (ctx.linking): its engine and decision control, built and started
// by createCore (the background build when stale, and the watcher that follows the core bus to
// refresh links when mail or posts arrive) and stopped by core.close()/dispose() before the
// database closes (the watcher unsubscribed, its timers cleared, a running build, sliced refresh or
// re-scoring ended at its next slice).
import type { CoreContext } from '../context';
import { xAuthorsOfConversations } from '../db/repos/linking/changes';
import { LinkControl, type DecisionResult } from './control';
import { LinkEngine, removeEmptyHomes, type RefreshResult } from './engine';
import { markEscalations } from './escalation';
import { applyTeamDecision } from './team-links';

/** Conversations looked at per batch of conversations.changed events (bulk changes beyond wait for the next refresh). */
const STATUS_BATCH = 500;

export class LinkingService {
  readonly engine: LinkEngine;
  readonly control: LinkControl;
  private unsubscribe: (() => void) | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Bulk writes running (BulkWriteStarted without its BulkWriteEnded yet), counted by the watcher. */
  private readonly bulk = { count: 0 };

  constructor(private readonly ctx: CoreContext) {
    this.engine = new LinkEngine(ctx.db, () => ctx.now());
    this.control = new LinkControl(ctx.db, this.engine, () => ctx.now());
  }

  /** Whether stop() was called: nothing more is started. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Whether a bulk write (a first sync, a backfill) runs: links are refreshed once at its end. */
  get bulkWriting(): boolean {
    return this.bulk.count > 0;
  }

  /** Watch for new mail and posts: links are refreshed a moment after they arrive. Once only. */
  start(): void {
    if (this.stopped || this.unsubscribe) return;
    const unwatch = watch(this.ctx, this, this.bulk);
    // Teammates' link decisions from the team log (team mode): applied as if made here.
    const unteam = this.ctx.bus.on('TeamLinkDecisions', ({ decisions }) => {
      for (const d of decisions) {
        if (this.stopped || !this.ctx.db.open) return;
        try {
          const r = applyTeamDecision(this.ctx, d);
          if (r) emitDecision(this.ctx, r);
        } catch (err) {
          this.ctx.log.warn("a teammate's link decision could not be applied", { service: 'linking', decision: d.decision, err });
        }
      }
    });
    this.unsubscribe = () => {
      unwatch();
      unteam();
    };
  }

  /** Build the index in the background when it is stale, or catch up with what arrived (app, serve). */
  startBackground(): void {
    if (!this.stopped) startLinkingBackground(this.ctx);
  }

  /** Stop watching, clear the timers, and end a running build, refresh or re-scoring (resolves when they have). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.engine.stop();
  }

  /** Run `fn` after `ms` (never keeps a process alive; cleared by stop()). */
  after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }
}

export function emitRefresh(ctx: CoreContext, r: RefreshResult): void {
  if (r.changed.length) ctx.events.emit('links.changed', { identityIds: r.changed });
  if (r.conversations.length) ctx.bus.emit('ConversationsChanged', { ids: r.conversations });
}

export function emitDecision(ctx: CoreContext, r: DecisionResult): void {
  ctx.events.emit('links.changed', { identityIds: [r.identityId] });
  if (r.conversations.length) ctx.bus.emit('ConversationsChanged', { ids: r.conversations });
  // The decision moved the weights (feedback.ts): waiting suggestions are scored again in slices.
  if (r.rescore?.length) {
    ctx.linking.engine.rescoreInSlices(r.rescore).then(
      (x) => {
        if (!ctx.db.open) return;
        if (x.changed.length) ctx.events.emit('links.changed', { identityIds: x.changed });
        if (x.conversations.length) ctx.bus.emit('ConversationsChanged', { ids: x.conversations });
      },
      () => undefined,
    );
  }
}

/**
 * Start the full build in the background unless it is done or running; it yields to the event loop
 * every few ms, so the core keeps answering. When it ends, links.changed and conversations.changed
 * tell the UI what to re-query. Failures are kept for links.status (and the next links.refresh).
 */
export function startLinkBuild(ctx: CoreContext): Promise<RefreshResult> {
  const service = ctx.linking;
  const { engine } = service;
  const fresh = !engine.building;
  let last = 0;
  let seen = { done: 0, total: 0 };
  const p = engine.build({
    // Progress for the UI, at most twice a second.
    onProgress: (pr) => {
      seen = { done: pr.done, total: pr.total };
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      ctx.events.emit('links.progress', { building: true, done: pr.done, total: pr.total });
    },
  });
  if (fresh) {
    ctx.events.emit('links.progress', { building: true, done: 0, total: 0 });
    const end = () => {
      if (ctx.db.open) ctx.events.emit('links.progress', { building: false, done: seen.total, total: seen.total });
    };
    p.then(end, end);
    p.then(
      (r) => {
        emitRefresh(ctx, r);
        // Tell the UI the build is over even when no link changed (it may show "building").
        if (!r.changed.length) ctx.events.emit('links.changed', { identityIds: [] });
      },
      (e) => {
        // A build ended by stop() (the core closing) is no failure.
        if (ctx.db.open && !service.stopping) ctx.log.error('linking build failed', { service: 'linking', err: e });
      },
    );
  }
  return p;
}

/** At core start (app, serve): build the linking index in the background when it is stale. */
function startLinkingBackground(ctx: CoreContext): void {
  try {
    const { engine } = ctx.linking;
    if (engine.needsFullBuild()) void startLinkBuild(ctx).catch(() => undefined);
    else if (!engine.building) {
      // Databases linked before emptied X-only customers were removed at link time.
      const gone = removeEmptyHomes(ctx.db);
      if (gone.length) ctx.events.emit('customers.changed', { ids: gone });
      emitRefresh(ctx, engine.refresh());
    }
  } catch {
    // links.status reports a failed build; links.refresh retries it
  }
}

/**
 * Refresh links a moment after new mail or posts arrive (coalesced; never keeps a process alive),
 * or once at the end of a bulk write; mark escalations again when conversations change. Only
 * incremental: the full build runs at core start (background) or on links.refresh. Returns the
 * unsubscribe.
 */
function watch(ctx: CoreContext, service: LinkingService, bulk: { count: number }): () => void {
  let pending = false;
  // Conversations whose status may have changed (done or reopened): their escalation follows.
  const statusChanged = new Set<number>();
  let statusPending = false;
  const onConversations = ({ ids: changed }: { ids: number[] }) => {
    if (statusChanged.size >= STATUS_BATCH) return;
    for (const id of changed.slice(0, STATUS_BATCH)) statusChanged.add(id);
    if (statusPending) return;
    statusPending = true;
    service.after(200, () => {
      statusPending = false;
      const ids = [...statusChanged];
      statusChanged.clear();
      try {
        if (!ctx.db.open) return;
        const { engine } = service;
        if (engine.building || !engine.isBuilt()) return;
        const convs = remarkEscalations(ctx, ids);
        if (convs.length) ctx.bus.emit('ConversationsChanged', { ids: convs });
      } catch {
        // escalations are marked again with the next post, mail or refresh
      }
    });
  };
  const refreshSoon = () => {
    if (pending) return;
    pending = true;
    service.after(500, () => {
      pending = false;
      try {
        if (!ctx.db.open) return;
        const { engine } = service;
        if (engine.building) return; // the build catches up when it ends
        if (bulk.count > 0) return; // a first sync: once at its end (BulkWriteEnded)
        if (engine.needsFullBuild()) {
          // Only after a first build (started at core start or by links.refresh): a big import.
          if (engine.isBuilt()) void startLinkBuild(ctx).catch(() => undefined);
          return;
        }
        // In slices: during a first sync this runs every half second over a thousand new messages.
        refreshInBackground(ctx, engine);
      } catch {
        // the next call to links.list or links.refresh retries and reports the error
      }
    });
  };
  const offs = [
    ctx.bus.on('ConversationsChanged', onConversations),
    ctx.bus.on('MessagesStored', refreshSoon),
    ctx.bus.on('BulkWriteStarted', () => {
      bulk.count++;
    }),
    ctx.bus.on('BulkWriteEnded', () => {
      bulk.count = Math.max(0, bulk.count - 1);
      if (bulk.count === 0) refreshSoon();
    }),
  ];
  return () => offs.forEach((off) => off());
}

/**
 * An incremental refresh in slices, its changes announced when it ends. A failure is left for the
 * next links.list or links.refresh, which retries and reports it.
 */
export function refreshInBackground(ctx: CoreContext, engine: LinkEngine): void {
  engine.refreshInSlices().then(
    (r) => {
      if (r && ctx.db.open) emitRefresh(ctx, r);
    },
    () => undefined,
  );
}

/**
 * Mark again the escalations of the X accounts posting in these conversations (a conversation
 * marked done is no longer escalated; reopened, it may be again). Returns the conversations changed.
 */
function remarkEscalations(ctx: CoreContext, conversationIds: number[]): number[] {
  if (!conversationIds.length) return [];
  const authors = xAuthorsOfConversations(ctx.db, conversationIds);
  const changed = new Set<number>();
  ctx.db.transaction(() => {
    for (const id of authors) for (const c of markEscalations(ctx.db, id, ctx.now())) changed.add(c);
  })();
  return [...changed];
}
