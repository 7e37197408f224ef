// Contract handlers of the X channel (shared/contract/x.ts); its replies and outbox are reached
// through replies/adapters.ts.
import { AppError } from '../../../shared/contract/errors';
import type { z } from 'zod';
import type { XAccountView, xAccountPatch } from '../../../shared/contract/x';
import type { CoreContext } from '../context';
import { AccountSupervisor } from '../supervisor';
import { listSyncState, updateAccount } from '../db/repos/accounts';
import { DEFAULT_POLL_SEC, getXAccount, listXAccounts, pricesOf, type XAccount } from './account';
import { processXOutbox, recoverInterruptedX } from './outbox';
import { XPoller } from './poller';
import { syncXAccount } from './sync';
import { getUsage, postsCapped } from './usage';
import { OutboxSender, senderFor } from '../outbox-sender';

/** Start a background sync pass unless one runs for that account (ctx.passes); never rejects. sync.run's X adapter (sync-adapters.ts). */
export function startXSync(ctx: CoreContext, accountId: number): Promise<unknown> {
  const changed = () => ctx.bus.emit('SyncStatusChanged', { accountId });
  // Errors are recorded per scope in sync_state; a pass runs to its end when the core closes (no cancel).
  return ctx.passes.run('x', accountId, () => syncXAccount(ctx, accountId), changed);
}

/** This core's X sender; interrupted sends of an earlier process are recovered first. */
export function xSender(ctx: CoreContext): OutboxSender {
  return senderFor(ctx, 'x', () => {
    recoverInterruptedX(ctx);
    return new OutboxSender(ctx, ['tweet', 'dm'], () => processXOutbox(ctx));
  });
}

/** Send what is due now, then wake up for the next retry. */
export function kickXSender(ctx: CoreContext): Promise<unknown> {
  return xSender(ctx).kick();
}

export function xAccountView(ctx: CoreContext, a: XAccount): XAccountView {
  const usage = getUsage(ctx.db, a.id, ctx.now());
  const prices = pricesOf(a.config);
  const scopes = listSyncState(ctx.db, a.id)
    .filter((s) => !s.scope.startsWith('x:usage') && s.scope !== 'x:limits')
    .map((s) => ({ scope: s.scope, status: s.status, lastError: s.lastError, progress: s.progress, updatedAt: s.updatedAt }));
  return {
    channel: 'x',
    id: a.id,
    name: a.name,
    handle: a.address,
    xUserId: a.xUserId,
    auth: a.config.auth ?? null,
    apiBase: a.config.apiBase ?? null,
    enabled: a.enabled,
    hasCredential: !!(a.credentialRef && ctx.secrets.get(a.credentialRef)),
    watchedQueries: a.config.watchedQueries ?? [],
    pollIntervalSec: a.config.pollIntervalSec ?? DEFAULT_POLL_SEC,
    monthlyCapUsd: a.config.monthlyCapUsd ?? null,
    prices,
    reach: a.config.reach ?? {},
    usage,
    capped: postsCapped(usage, prices, a.config.monthlyCapUsd),
    running: ctx.passes.has('x', a.id),
    scopes,
  };
}

/** accounts.update for X: settings (watched searches, poll interval, price table, monthly cap), name, enabled. */
export function updateXAccount(ctx: CoreContext, id: number, patch: z.output<typeof xAccountPatch>): XAccountView {
  const cur = accountOrNotFound(ctx, id);
  const { name, enabled, prices, ...cfg } = patch;
  const config = { ...cur.config, ...cfg, ...(prices ? { prices: { ...(cur.config.prices ?? {}), ...prices } } : {}) };
  if (patch.monthlyCapUsd === null) config.monthlyCapUsd = null;
  updateAccount(ctx.db, id, { config, ...(name ? { name } : {}), ...(enabled !== undefined ? { enabled } : {}), now: ctx.now() });
  ctx.bus.emit('AccountsChanged', { accountId: id });
  return xAccountView(ctx, accountOrNotFound(ctx, id));
}

function accountOrNotFound(ctx: CoreContext, id: number): XAccount {
  try {
    return getXAccount(ctx, id);
  } catch {
    throw new AppError('not_found', `No X account ${id}.`);
  }
}

/**
 * For a long-running core (app, browser host; started by ctx.background): poll every enabled X
 * account at its interval and send due X replies. Returns stop(); call it before closing the database.
 */
export function startXBackground(ctx: CoreContext): () => Promise<void> {
  const pollers = new AccountSupervisor(
    ctx,
    () =>
      listXAccounts(ctx)
        .filter((a) => a.enabled && a.credentialRef)
        .map((a) => a.id),
    (id) => new XPoller(ctx, id, { onReport: () => ctx.bus.emit('SyncStatusChanged', { accountId: id }) }),
  );
  pollers.start();
  void kickXSender(ctx);
  return async () => {
    await pollers.stop();
    await xSender(ctx).stop();
  };
}
