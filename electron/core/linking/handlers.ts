// Contract handlers of identity linking (shared/contract/links.ts).
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { LinkControl, type DecisionResult } from './control';
import { LinkEngine, type RefreshResult } from './engine';
import { listLinks } from './view';

export type LinkMethod = 'links.list' | 'links.refresh' | 'links.confirm' | 'links.reject' | 'links.undo' | 'links.link' | 'links.unlink';

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
}

function viewOf(ctx: CoreContext, identityId: number) {
  const v = listLinks(ctx.db, { identityId })[0];
  if (!v) throw new AppError('not_found', `No X identity ${identityId}`);
  return v;
}

/**
 * Refresh links a moment after new mail or posts arrive (coalesced; never keeps a process alive).
 * Only incremental: the first full build happens when links are first asked for.
 */
function watch(ctx: CoreContext): void {
  let timer: NodeJS.Timeout | null = null;
  ctx.events.subscribe((evt) => {
    if (evt.name !== 'messages.changed') return;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      try {
        const r = linkingOf(ctx).engine.refreshIfBuilt();
        if (r) emitRefresh(ctx, r);
      } catch {
        // the next call to links.list or links.refresh retries and reports the error
      }
    }, 500);
    timer.unref();
  });
}

export function linkHandlers(ctx: CoreContext): Pick<Handlers, LinkMethod> {
  watch(ctx);
  return {
    'links.list': (a) => {
      emitRefresh(ctx, linkingOf(ctx).engine.refresh());
      const state = a.state === 'all' ? undefined : a.state;
      return listLinks(ctx.db, { ...(a.identityId ? { identityId: a.identityId } : {}), ...(state ? { state } : {}) });
    },
    'links.refresh': (a) => {
      const { engine } = linkingOf(ctx);
      const r = a.full ? engine.rebuildAll() : engine.refresh();
      emitRefresh(ctx, r);
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
  };
}
