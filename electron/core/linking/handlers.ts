// Contract handlers of identity linking (shared/contract/links.ts).
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { bulkWriteActive } from '../db/bulk';
import { LinkControl, type DecisionResult } from './control';
import { LinkEngine, removeEmptyHomes, type RefreshResult } from './engine';
import { markEscalations } from './escalation';
import { listEscalations } from './escalation-view';
import { listLinks } from './view';

export type LinkMethod =
  | 'links.list'
  | 'links.status'
  | 'links.refresh'
  | 'links.confirm'
  | 'links.reject'
  | 'links.undo'
  | 'links.link'
  | 'links.unlink'
  | 'escalations.list';

const engines = new WeakMap<CoreContext, { engine: LinkEngine; control: LinkControl }>();

/** The linking engine of a core (one per database connection). */
export function linkingOf(ctx: CoreContext): { engine: LinkEngine; control: LinkControl } {
  let e = engines.get(ctx);
  if (!e) {
    const engine = new LinkEngine(ctx.db, () => ctx.now());
    e = { engine, control: new LinkControl(ctx.db, engine, () => ctx.now()) };
    engines.set(ctx, e);
  }
  return e;
}

function emitRefresh(ctx: CoreContext, r: RefreshResult): void {
  if (r.changed.length) ctx.events.emit('links.changed', { identityIds: r.changed });
  if (r.conversations.length) ctx.events.emit('conversations.changed', { ids: r.conversations });
}

function emitDecision(ctx: CoreContext, r: DecisionResult): void {
  ctx.events.emit('links.changed', { identityIds: [r.identityId] });
  if (r.conversations.length) ctx.events.emit('conversations.changed', { ids: r.conversations });
  // The decision moved the weights (feedback.ts): waiting suggestions are scored again in slices.
  if (r.rescore?.length) {
    linkingOf(ctx)
      .engine.rescoreInSlices(r.rescore)
      .then(
        (x) => {
          if (!ctx.db.open) return;
          if (x.changed.length) ctx.events.emit('links.changed', { identityIds: x.changed });
          if (x.conversations.length) ctx.events.emit('conversations.changed', { ids: x.conversations });
        },
        () => undefined,
      );
  }
}

function viewOf(ctx: CoreContext, identityId: number) {
  const v = listLinks(ctx.db, { identityId })[0];
  if (!v) throw new AppError('not_found', `No X identity ${identityId}`);
  return v;
}

/**
 * Start the full build in the background unless it is done or running; it yields to the event loop
 * every few ms, so the core keeps answering. When it ends, links.changed and conversations.changed
 * tell the UI what to re-query. Failures are kept for links.status (and the next links.refresh).
 */
export function startLinkBuild(ctx: CoreContext): Promise<RefreshResult> {
  const { engine } = linkingOf(ctx);
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
        if (ctx.db.open) ctx.log.error('linking build failed', { service: 'linking', err: e });
      },
    );
  }
  return p;
}

/** At core start (app, serve): build the linking index in the background when it is stale. */
export function startLinkingBackground(ctx: CoreContext): void {
  try {
    const { engine } = linkingOf(ctx);
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
 * Refresh links a moment after new mail or posts arrive (coalesced; never keeps a process alive).
 * Only incremental: the full build runs at core start (background) or on links.refresh.
 */
function watch(ctx: CoreContext): void {
  let timer: NodeJS.Timeout | null = null;
  // Conversations whose status may have changed (done or reopened): their escalation follows.
  const statusChanged = new Set<number>();
  let statusTimer: NodeJS.Timeout | null = null;
  ctx.events.subscribe((evt) => {
    if (evt.name === 'conversations.changed') {
      if (statusChanged.size >= STATUS_BATCH) return;
      for (const id of evt.payload.ids.slice(0, STATUS_BATCH)) statusChanged.add(id);
      if (statusTimer) return;
      statusTimer = setTimeout(() => {
        statusTimer = null;
        const ids = [...statusChanged];
        statusChanged.clear();
        try {
          if (!ctx.db.open) return;
          const { engine } = linkingOf(ctx);
          if (engine.building || !engine.isBuilt()) return;
          const convs = remarkEscalations(ctx, ids);
          if (convs.length) ctx.events.emit('conversations.changed', { ids: convs });
        } catch {
          // escalations are marked again with the next post, mail or refresh
        }
      }, 200);
      statusTimer.unref();
      return;
    }
    if (evt.name !== 'messages.changed') return;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      try {
        if (!ctx.db.open) return;
        const { engine } = linkingOf(ctx);
        if (engine.building) return; // the build catches up when it ends
        if (bulkWriteActive(ctx.db)) return; // a first sync: once at its end (it says so with messages.changed)
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
    }, 500);
    timer.unref();
  });
}

/** New messages and identities links.list links before it answers; beyond, it answers at once and links in slices. */
const LIST_REFRESH_MAX = 200;

/**
 * An incremental refresh in slices, its changes announced when it ends. A failure is left for the
 * next links.list or links.refresh, which retries and reports it.
 */
function refreshInBackground(ctx: CoreContext, engine: LinkEngine): void {
  engine.refreshInSlices().then(
    (r) => {
      if (r && ctx.db.open) emitRefresh(ctx, r);
    },
    () => undefined,
  );
}

/** Too much new to link before answering (or a sliced refresh already running): link in slices. */
function manyNew(engine: LinkEngine): boolean {
  return engine.refreshing || engine.backlog(LIST_REFRESH_MAX + 1) > LIST_REFRESH_MAX;
}

/** Conversations looked at per batch of conversations.changed events (bulk changes beyond wait for the next refresh). */
const STATUS_BATCH = 500;

/**
 * Mark again the escalations of the X accounts posting in these conversations (a conversation
 * marked done is no longer escalated; reopened, it may be again). Returns the conversations changed.
 */
function remarkEscalations(ctx: CoreContext, conversationIds: number[]): number[] {
  if (!conversationIds.length) return [];
  const authors = ctx.db
    .prepare(
      `SELECT DISTINCT m.author_identity_id FROM messages m JOIN identities i ON i.id = m.author_identity_id
       WHERE m.conversation_id IN (SELECT value FROM json_each(?)) AND m.channel = 'x' AND m.direction = 'in' AND i.kind = 'x' AND i.is_self = 0`,
    )
    .pluck()
    .all(JSON.stringify(conversationIds)) as number[];
  const changed = new Set<number>();
  ctx.db.transaction(() => {
    for (const id of authors) for (const c of markEscalations(ctx.db, id, ctx.now())) changed.add(c);
  })();
  return [...changed];
}

export function linkHandlers(ctx: CoreContext): Pick<Handlers, LinkMethod> {
  watch(ctx);
  return {
    // Never waits for a full build: while one runs (or before the first), it answers from the
    // links that exist and starts the build; links.status says how far it is.
    'links.list': (a) => {
      const { engine } = linkingOf(ctx);
      // After a failed build only links.refresh tries again (links.status shows the error).
      if (engine.needsFullBuild()) {
        if (engine.status().error === null) void startLinkBuild(ctx).catch(() => undefined);
      } else if (!engine.building) {
        // A few new rows are linked before answering; more (a sync running) in slices meanwhile,
        // links.changed telling the UI when they are done.
        if (!manyNew(engine)) emitRefresh(ctx, engine.refresh());
        else if (!bulkWriteActive(ctx.db)) refreshInBackground(ctx, engine);
      }
      const state = a.state === 'all' ? undefined : a.state;
      return listLinks(ctx.db, { ...(a.identityId ? { identityId: a.identityId } : {}), ...(a.customerId ? { customerId: a.customerId } : {}), ...(state ? { state } : {}) });
    },
    'links.status': () => linkingOf(ctx).engine.status(),
    // Waits for the result (without blocking the core): a full build when asked or when none has run.
    'links.refresh': async (a) => {
      const { engine } = linkingOf(ctx);
      let r: RefreshResult;
      if (a.full || engine.building || engine.needsFullBuild()) r = await startLinkBuild(ctx);
      else if (manyNew(engine)) {
        // Much new mail (a sync into a big mailbox): in slices, the core answering meanwhile.
        const sliced = await engine.refreshInSlices();
        if (sliced) {
          r = sliced;
          emitRefresh(ctx, r);
        } else r = await startLinkBuild(ctx); // a build started meanwhile: its result
      } else {
        r = engine.refresh();
        emitRefresh(ctx, r);
      }
      return { customers: r.customers, scored: r.scored, changed: r.changed.length, ms: Math.round(r.ms) };
    },
    'links.confirm': ({ linkId }) => {
      const r = linkingOf(ctx).control.confirm(linkId);
      emitDecision(ctx, r);
      return viewOf(ctx, r.identityId);
    },
    'links.reject': ({ linkId }) => {
      const r = linkingOf(ctx).control.reject(linkId);
      emitDecision(ctx, r);
      return viewOf(ctx, r.identityId);
    },
    'links.undo': ({ linkId }) => {
      const r = linkingOf(ctx).control.undo(linkId);
      emitDecision(ctx, r);
      return viewOf(ctx, r.identityId);
    },
    'links.link': ({ identityId, customerId }) => {
      const r = linkingOf(ctx).control.link(identityId, customerId);
      emitDecision(ctx, r);
      return viewOf(ctx, r.identityId);
    },
    'links.unlink': ({ identityId }) => {
      const r = linkingOf(ctx).control.unlink(identityId);
      emitDecision(ctx, r);
      return viewOf(ctx, r.identityId);
    },
    'escalations.list': ({ state }) => listEscalations(ctx.db, state),
  };
}
