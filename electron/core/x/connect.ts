// Connecting X accounts (Settings, first run and the CLI's `accounts add x`): adding, checking and
// removing one (reached through accounts.* in handlers/accounts.ts) and "Sign in with X" (x.oauth.*).
import crypto from 'node:crypto';
import type { Handlers } from '../../../shared/contract/api';
import { AppError } from '../../../shared/contract/errors';
import type { XAccountView } from '../../../shared/contract/x';
import type { XOAuthFlowView, XReachView } from '../../../shared/contract/xconnect';
import type { CoreContext } from '../context';
import { removeAccount, updateAccount } from '../db/repos/accounts';
import { createXAccount, getXAccount, loadCredentials, probeX, type XAccountConfig } from './account';
import type { XCredentials } from './client';
import { startXSync, xAccountView } from './handlers';
import { connectWithPkce } from './oauth';
import type { SignIn } from './signins';

export type XConnectMethod = 'x.oauth.start' | 'x.oauth.status' | 'x.oauth.cancel';

export interface AddXInput {
  name: string;
  credentials: XCredentials;
  apiBase?: string;
  watchedQueries?: string[];
  pollIntervalSec?: number;
  monthlyCapUsd?: number | null;
  userId?: string;
  handle?: string;
  skipCheck?: boolean;
}

/**
 * Add an X account (accounts.add with channel 'x', and Sign in with X): probe what the
 * credentials reach unless skipCheck, refuse (saving nothing) credentials that cannot read users/me
 * (an app bearer token excepted), store, take the handle from users/me (or the given user id),
 * and optionally start a first sync in the background.
 */
export async function addXAccountChecked(ctx: CoreContext, input: AddXInput, opts: { firstSync?: boolean } = {}): Promise<{ accountId: number; reach: XReachView | null }> {
  if (input.userId !== undefined && !/^[0-9]{1,19}$/.test(input.userId)) throw new AppError('invalid_args', 'The user id must be the numeric id of the X account.');
  let reach: XReachView | null = null;
  if (!input.skipCheck) {
    reach = await probeX(input.credentials, input.apiBase, ctx.now);
    if (!reach.me && input.credentials.kind !== 'bearer') {
      const err = reach.endpoints['GET /2/users/me']?.error ?? 'unknown error';
      throw new AppError('unauthorized', `These credentials do not reach GET /2/users/me (${err}); nothing was saved.`);
    }
  }
  const config: XAccountConfig = {
    ...(input.apiBase ? { apiBase: input.apiBase } : {}),
    ...(input.watchedQueries?.length ? { watchedQueries: input.watchedQueries } : {}),
    ...(input.pollIntervalSec !== undefined ? { pollIntervalSec: input.pollIntervalSec } : {}),
    ...(input.monthlyCapUsd != null ? { monthlyCapUsd: input.monthlyCapUsd } : {}),
    ...(reach ? { reach: reach.endpoints } : {}),
  };
  let acc;
  try {
    acc = createXAccount(ctx, { name: input.name, credentials: input.credentials, config });
  } catch (e) {
    throw new AppError('invalid_args', (e as Error).message);
  }
  if (reach?.me) updateAccount(ctx.db, acc.id, { xUserId: reach.me.id, address: reach.me.username, now: ctx.now() });
  else if (input.userId) updateAccount(ctx.db, acc.id, { xUserId: input.userId, address: input.handle?.replace(/^@/, '') ?? null, now: ctx.now() });
  ctx.bus.emit('AccountsChanged', { accountId: acc.id });
  // A long-running core's pollers pick the account up on the event above and poll it at once.
  if (opts.firstSync && (reach?.me || input.userId) && !ctx.background.running) void startXSync(ctx, acc.id);
  return { accountId: acc.id, reach };
}

function account(ctx: CoreContext, id: number) {
  try {
    return getXAccount(ctx, id);
  } catch {
    throw new AppError('not_found', `No X account ${id}.`);
  }
}

/** accounts.add for X: an app-only bearer token needs the user id it is for; the rest as addXAccountChecked. */
export async function addXAccount(ctx: CoreContext, a: AddXInput & { firstSync?: boolean }): Promise<{ account: XAccountView; reach: XReachView | null }> {
  if (a.credentials.kind === 'bearer' && !a.userId) {
    throw new AppError('invalid_args', 'An app-only bearer token cannot read users/me: give the numeric user id (and handle) of the X account it is for.');
  }
  const r = await addXAccountChecked(ctx, a, { firstSync: a.firstSync ?? true });
  return { account: xAccountView(ctx, account(ctx, r.accountId)), reach: r.reach };
}

/** Re-check the stored credentials of an X account and record what they reach. */
export async function checkXAccount(ctx: CoreContext, id: number): Promise<{ account: XAccountView; reach: XReachView }> {
  const x = account(ctx, id);
  const reach = await probeX(loadCredentials(ctx, x), x.config.apiBase, ctx.now);
  updateAccount(ctx.db, x.id, {
    config: { ...x.config, reach: reach.endpoints },
    ...(reach.me ? { xUserId: reach.me.id, address: reach.me.username } : {}),
    now: ctx.now(),
  });
  ctx.bus.emit('AccountsChanged', { accountId: x.id });
  return { account: xAccountView(ctx, account(ctx, x.id)), reach };
}

/** Remove an X account and its stored credentials; its messages stay. */
export function removeXAccount(ctx: CoreContext, id: number): boolean {
  const x = account(ctx, id);
  if (x.credentialRef) ctx.secrets.delete(x.credentialRef);
  const removed = removeAccount(ctx.db, x.id);
  ctx.bus.emit('AccountsChanged', { accountId: x.id });
  return removed;
}

export function xConnectHandlers(ctx: CoreContext): Pick<Handlers, XConnectMethod> {
  const flow = (flowId: string): SignIn => {
    const f = ctx.xSignIns.get(flowId);
    if (!f) throw new AppError('not_found', `No X sign-in ${flowId} (it ended, or the app was restarted).`);
    return f;
  };
  return {
    'x.oauth.start': async (a) => {
      if (ctx.xSignIns.stopping) throw new AppError('unavailable', 'Canary is closing; sign in again when it has started.');
      const flowId = crypto.randomUUID();
      const view: XOAuthFlowView = { flowId, state: 'waiting', url: '', redirectUri: '', error: null, account: null, reach: null };
      let opened!: () => void;
      const urlReady = new Promise<void>((resolve) => (opened = resolve));
      const done = connectWithPkce({
        clientId: a.clientId,
        ...(a.clientSecret ? { clientSecret: a.clientSecret } : {}),
        port: a.port ?? 8765,
        ...(a.apiBase ? { apiBase: a.apiBase } : {}),
        timeoutMs: 10 * 60_000,
        now: ctx.now,
        open: (url) => {
          view.url = url;
          view.redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
          opened();
        },
      })
        .then(async (creds) => {
          if (view.state === 'cancelled') return;
          const r = await addXAccountChecked(
            ctx,
            {
              name: a.name,
              credentials: creds,
              ...(a.apiBase ? { apiBase: a.apiBase } : {}),
              ...(a.watchedQueries ? { watchedQueries: a.watchedQueries } : {}),
              ...(a.pollIntervalSec !== undefined ? { pollIntervalSec: a.pollIntervalSec } : {}),
              ...(a.monthlyCapUsd !== undefined ? { monthlyCapUsd: a.monthlyCapUsd } : {}),
            },
            { firstSync: a.firstSync ?? true },
          );
          view.state = 'connected';
          view.reach = r.reach;
          view.account = xAccountView(ctx, account(ctx, r.accountId));
        })
        .catch((e: Error) => {
          if (view.state === 'cancelled') return;
          view.state = 'failed';
          view.error = e.message;
        })
        .finally(() => {
          opened();
          // Keep the outcome around for a while so the window can read it.
          ctx.xSignIns.forgetAfter(flowId, 10 * 60_000);
        });
      ctx.xSignIns.add(flowId, { view, done });
      await urlReady;
      if (view.state === 'failed') throw new AppError('unavailable', view.error ?? 'The sign-in could not start.');
      return { ...view };
    },
    'x.oauth.status': (a) => {
      const f = flow(a.flowId);
      if (f.view.account) f.view.account = xAccountView(ctx, account(ctx, f.view.account.id));
      return { ...f.view };
    },
    'x.oauth.cancel': async (a) => {
      const f = flow(a.flowId);
      // A waiting flow's loopback listener is ended the way a refusing browser would end it.
      await ctx.xSignIns.cancel(f);
      return { ...f.view };
    },
  };
}
