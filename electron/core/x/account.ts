// X accounts: settings in accounts.config (never secrets), credentials (JSON XCredentials) in the
// secret store under accounts.credential_ref, as email credentials are.

import type { CoreContext } from '../context';
import { createAccount, getAccount, listAccounts, updateAccount, type AccountRecord } from '../db/repos/accounts';
import { newSecretRef } from '../secrets/store';
import { makeClient, type XCredentials } from './client';
import { DEFAULT_X_PRICES, type XPriceTable } from './usage';

export interface XAccountConfig {
  /** Another X API v2 server (proxy, local test server); absent → https://api.x.com. */
  apiBase?: string;
  /** Recent-search queries to listen to (brand name without @, product names). */
  watchedQueries?: string[];
  /** Seconds between polls (default 300). */
  pollIntervalSec?: number;
  /** Which credentials are stored (for the settings view). */
  auth?: XCredentials['kind'];
  /** USD per resource; defaults to DEFAULT_X_PRICES. */
  prices?: Partial<XPriceTable>;
  /** Monthly spend cap in USD; polling pauses before crossing it. */
  monthlyCapUsd?: number | null;
  /** Endpoints the credentials reached at the last check, with the error for those that failed. */
  reach?: Record<string, { ok: boolean; error?: string; checkedAt: number }>;
  /** Posts / DMs read per page (5–100 / 1–100; default 100). */
  pageSize?: number;
  /** Pages per scope per run (default 10; mentions stop at ~800 anyway). */
  maxPages?: number;
  /** Per-request timeout in ms (default 30 s); a timed-out request is retried with backoff. */
  timeoutMs?: number;
}

export type XAccount = AccountRecord<XAccountConfig>;

export const DEFAULT_POLL_SEC = 300;

export function pricesOf(cfg: XAccountConfig): XPriceTable {
  return { ...DEFAULT_X_PRICES, ...(cfg.prices ?? {}) };
}

export function parseCredentials(text: string | null): XCredentials | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as XCredentials;
    return c && typeof c === 'object' && 'kind' in c ? c : null;
  } catch {
    return null;
  }
}

export function getXAccount(ctx: CoreContext, id: number): XAccount {
  const acc = getAccount<XAccountConfig>(ctx.db, id);
  if (!acc || acc.channel !== 'x') throw new Error(`no X account with id ${id}`);
  return acc;
}

export function listXAccounts(ctx: CoreContext): XAccount[] {
  return listAccounts(ctx.db, 'x');
}

export function loadCredentials(ctx: CoreContext, acc: XAccount): XCredentials {
  const creds = parseCredentials(acc.credentialRef ? ctx.secrets.get(acc.credentialRef) : null);
  if (!creds) throw new Error(`X account "${acc.name}" has no stored credentials; add them again (canary accounts add x …)`);
  return creds;
}

export function saveCredentials(ctx: CoreContext, acc: XAccount, creds: XCredentials): void {
  const ref = acc.credentialRef ?? newSecretRef('x');
  ctx.secrets.set(ref, JSON.stringify(creds));
  if (!acc.credentialRef) updateAccount(ctx.db, acc.id, { credentialRef: ref, now: ctx.now() });
}

export function validateCredentials(c: XCredentials): void {
  const missing = (what: string) => new Error(`X credentials: ${what} is empty`);
  if (c.kind === 'bearer' && !c.token) throw missing('the bearer token');
  if (c.kind === 'oauth2' && !c.accessToken) throw missing('the OAuth 2.0 access token');
  if (c.kind === 'oauth1') {
    for (const k of ['appKey', 'appSecret', 'accessToken', 'accessSecret'] as const) if (!c[k]) throw missing(`OAuth 1.0a ${k}`);
  }
}

export function createXAccount(ctx: CoreContext, input: { name: string; credentials: XCredentials; config?: XAccountConfig }): XAccount {
  if (!input.name.trim()) throw new Error('an X account needs a name');
  validateCredentials(input.credentials);
  if (input.config?.apiBase) {
    let u: URL;
    try {
      u = new URL(input.config.apiBase);
    } catch {
      throw new Error(`--api-base: "${input.config.apiBase}" is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('--api-base must be an http or https URL');
  }
  const ref = newSecretRef('x');
  ctx.secrets.set(ref, JSON.stringify(input.credentials));
  return ctx.db.transaction(() =>
    createAccount<XAccountConfig>(ctx.db, {
      channel: 'x',
      name: input.name.trim(),
      config: { ...(input.config ?? {}), auth: input.credentials.kind },
      credentialRef: ref,
      now: ctx.now(),
    }),
  )();
}

export interface XReach {
  me: { id: string; username: string; name: string } | null;
  endpoints: Record<string, { ok: boolean; error?: string; checkedAt: number }>;
}

function reachError(e: unknown): string {
  const err = e as { code?: number; data?: { title?: string; detail?: string }; message?: string };
  if (typeof err.code === 'number') return `HTTP ${err.code}${err.data?.title ? ` ${err.data.title}` : ''}${err.data?.detail ? `: ${err.data.detail}` : ''}`;
  return err.message ?? String(e);
}

/**
 * Which endpoints these credentials reach: users/me, mentions, recent search, DM events
 * (one small request each). An app bearer token cannot read users/me or DMs: that shows here.
 */
export async function probeX(creds: XCredentials, apiBase: string | undefined, now: () => number): Promise<XReach> {
  const client = makeClient(creds, { apiBase });
  const endpoints: XReach['endpoints'] = {};
  const check = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      const r = await fn();
      endpoints[name] = { ok: true, checkedAt: now() };
      return r;
    } catch (e) {
      endpoints[name] = { ok: false, error: reachError(e), checkedAt: now() };
      return null;
    }
  };
  const me = await check('GET /2/users/me', () => client.v2.me());
  if (me) await check('GET /2/users/:id/mentions', () => client.v2.userMentionTimeline(me.data.id, { max_results: 5 }));
  await check('GET /2/tweets/search/recent', () => client.v2.search(me ? `@${me.data.username}` : 'canary', { max_results: 10 }));
  await check('GET /2/dm_events', () => client.v2.listDmEvents({ max_results: 1 }));
  return { me: me ? { id: me.data.id, username: me.data.username, name: me.data.name } : null, endpoints };
}
