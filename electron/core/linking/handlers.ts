// Contract handlers of identity linking (shared/contract/links.ts).
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import type { LinkEngine, RefreshResult } from './engine';
import { listEscalations } from './escalation-view';
import { listLinks } from './view';
import { emitDecision, emitRefresh, refreshInBackground, startLinkBuild } from './service';
import { shareDecision, shareUndo } from './team-links';
import { linkById } from '../db/repos/linking/links';

function customerOfLink(ctx: CoreContext, linkId: number): number | null {
  return linkById(ctx.db, linkId)?.customer_id ?? null;
}

export type LinkMethod = 'links.list' | 'links.status' | 'links.refresh' | 'links.confirm' | 'links.reject' | 'links.undo' | 'links.link' | 'links.unlink' | 'escalations.list';

function viewOf(ctx: CoreContext, identityId: number) {
  const v = listLinks(ctx.db, { identityId })[0];
  if (!v) throw new AppError('not_found', `No X identity ${identityId}`);
  return v;
}

/** New messages and identities links.list links before it answers; beyond, it answers at once and links in slices. */
const LIST_REFRESH_MAX = 200;

/** Too much new to link before answering (or a sliced refresh already running): link in slices. */
function manyNew(engine: LinkEngine): boolean {
  return engine.refreshing || engine.backlog(LIST_REFRESH_MAX + 1) > LIST_REFRESH_MAX;
}

export function linkHandlers(ctx: CoreContext): Pick<Handlers, LinkMethod> {
  return {
    // Never waits for a full build: while one runs (or before the first), it answers from the
    // links that exist and starts the build; links.status says how far it is.
    'links.list': (a) => {
      const { engine } = ctx.linking;
      // After a failed build only links.refresh tries again (links.status shows the error).
      if (engine.needsFullBuild()) {
        if (engine.status().error === null) void startLinkBuild(ctx).catch(() => undefined);
      } else if (!engine.building) {
        // A few new rows are linked before answering; more (a sync running) in slices meanwhile,
        // links.changed telling the UI when they are done.
        if (!manyNew(engine)) emitRefresh(ctx, engine.refresh());
        else if (!ctx.linking.bulkWriting) refreshInBackground(ctx, engine);
      }
      const state = a.state === 'all' ? undefined : a.state;
      return listLinks(ctx.db, { ...(a.identityId ? { identityId: a.identityId } : {}), ...(a.customerId ? { customerId: a.customerId } : {}), ...(state ? { state } : {}) });
    },
    'links.status': () => ctx.linking.engine.status(),
    // Waits for the result (without blocking the core): a full build when asked or when none has run.
    'links.refresh': async (a) => {
      const { engine } = ctx.linking;
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
    // Each decision also goes to the team log in team mode (team-links.ts), for teammates' copies.
    'links.confirm': ({ linkId }) => {
      const r = ctx.linking.control.confirm(linkId);
      emitDecision(ctx, r);
      shareDecision(ctx, r.identityId, 'confirm', customerOfLink(ctx, linkId));
      return viewOf(ctx, r.identityId);
    },
    'links.reject': ({ linkId }) => {
      const r = ctx.linking.control.reject(linkId);
      emitDecision(ctx, r);
      shareDecision(ctx, r.identityId, 'reject', customerOfLink(ctx, linkId));
      return viewOf(ctx, r.identityId);
    },
    'links.undo': ({ linkId }) => {
      const r = ctx.linking.control.undo(linkId);
      emitDecision(ctx, r);
      shareUndo(ctx, r.identityId);
      return viewOf(ctx, r.identityId);
    },
    'links.link': ({ identityId, customerId }) => {
      const r = ctx.linking.control.link(identityId, customerId);
      emitDecision(ctx, r);
      shareDecision(ctx, r.identityId, 'link', customerId);
      return viewOf(ctx, r.identityId);
    },
    'links.unlink': ({ identityId }) => {
      const r = ctx.linking.control.unlink(identityId);
      emitDecision(ctx, r);
      shareDecision(ctx, r.identityId, 'unlink', null);
      return viewOf(ctx, r.identityId);
    },
    'escalations.list': ({ state }) => listEscalations(ctx.db, state),
  };
}
