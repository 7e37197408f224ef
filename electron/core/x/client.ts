// twitter-api-v2 clients for an X account: OAuth 2.0 user token (refreshed when it expires),
// OAuth 1.0a user tokens, or an app bearer token; optionally pointed at another X API v2 server
// (a proxy or the local test server) by rewriting request URLs in a plugin hook (see field notes §1.1:
// the library has no base-URL setting and some calls hard-code https://api.x.com).

import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { TwitterApi, ITwitterApiBeforeRequestConfigHookArgs, ITwitterApiClientPlugin, TwitterApiTokens } from 'twitter-api-v2';
import { twitter } from './lib';

export type XCredentials =
  | {
      kind: 'oauth2';
      accessToken: string;
      refreshToken?: string;
      clientId?: string;
      clientSecret?: string;
      /** Epoch ms when the access token expires, when known. */
      expiresAt?: number;
    }
  | { kind: 'oauth1'; appKey: string; appSecret: string; accessToken: string; accessSecret: string }
  | { kind: 'bearer'; token: string };

/** Points every request at another server (keeping /2/… paths) and gives it a timeout. */
export class BaseUrlOverridePlugin implements ITwitterApiClientPlugin {
  private readonly base: URL | null;
  constructor(
    base: string | null,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = base ? new URL(base) : null;
  }
  private rewrite(params: { url: string; timeout?: number }): void {
    // A stalled connection fails (and is retried) instead of hanging a sync forever.
    if (params.timeout === undefined) params.timeout = this.timeoutMs;
    if (!this.base) return;
    const u = new URL(params.url.startsWith('http') ? params.url : `https://${params.url}`);
    if (/(^|\.)(x|twitter)\.com$/.test(u.hostname)) {
      u.protocol = this.base.protocol;
      u.host = this.base.host;
      params.url = u.toString();
    }
  }
  onBeforeRequestConfig(a: ITwitterApiBeforeRequestConfigHookArgs): void {
    this.rewrite(a.params);
  }
  onBeforeStreamRequestConfig(a: ITwitterApiBeforeRequestConfigHookArgs): void {
    this.rewrite(a.params);
  }
}

export interface ClientOptions {
  /** Another X API v2 server, e.g. http://127.0.0.1:4010 (paths stay /2/…). */
  apiBase?: string;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

/**
 * One keep-alive agent per scheme for every X client of the process: a poll reuses the connection
 * of the one before (no new TLS handshake), and clients made for each pass or send no longer leave
 * an idle connection each behind. Idle connections close after 30 s.
 */
const agents: { http?: HttpAgent; https?: HttpsAgent } = {};

function agentFor(base: string | undefined): HttpAgent {
  // node:http(s) fetched here rather than imported: loading TLS costs ~20 ms of every cold start.
  if (base?.startsWith('http:')) return (agents.http ??= new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true, timeout: 30_000 }));
  return (agents.https ??= new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true, timeout: 30_000 }));
}

function settings(opts: ClientOptions): ConstructorParameters<typeof TwitterApi>[1] {
  const base = opts.apiBase;
  return {
    plugins: [new BaseUrlOverridePlugin(base ?? null, opts.timeoutMs)],
    httpAgent: agentFor(base),
  };
}

/** A client that makes requests with these credentials. */
export function makeClient(creds: XCredentials, opts: ClientOptions = {}): TwitterApi {
  const s = settings(opts);
  let client: TwitterApi;
  if (creds.kind === 'oauth1') {
    const tokens: TwitterApiTokens = { appKey: creds.appKey, appSecret: creds.appSecret, accessToken: creds.accessToken, accessSecret: creds.accessSecret };
    client = new (twitter().TwitterApi)(tokens, s);
  } else if (creds.kind === 'oauth2') client = new (twitter().TwitterApi)(creds.accessToken, s);
  else client = new (twitter().TwitterApi)(creds.token, s);
  return client;
}

/** The client that refreshes an OAuth 2.0 token (client id, and secret for confidential clients). */
export function makeRefreshClient(creds: Extract<XCredentials, { kind: 'oauth2' }>, opts: ClientOptions = {}): TwitterApi {
  if (!creds.clientId) throw new Error('this OAuth 2.0 token cannot be refreshed: no client id was saved with it');
  return new (twitter().TwitterApi)({ clientId: creds.clientId, ...(creds.clientSecret ? { clientSecret: creds.clientSecret } : {}) }, settings(opts));
}

/**
 * X refused (or could not be asked) to renew an OAuth 2.0 token. The message names X's reason
 * (OAuth error and description, or the network error) and what to do; never a token.
 */
export class XRefreshError extends Error {
  constructor(cause: unknown) {
    const c = cause as { code?: unknown; data?: { error?: unknown; error_description?: unknown; title?: unknown; detail?: unknown }; requestError?: { message?: string }; message?: string };
    const why =
      typeof c?.code === 'number'
        ? `HTTP ${c.code}${[c.data?.error ?? c.data?.title, c.data?.error_description ?? c.data?.detail]
            .filter((x) => typeof x === 'string' && x)
            .map((x) => ` ${x as string}`)
            .join(':')}`
        : `network error: ${c?.requestError?.message ?? c?.message ?? String(cause)}`;
    super(`the OAuth 2.0 token expired and X did not renew it (${why}); sign in to X again (canary accounts add x --oauth2-pkce …, or Connect X in the app)`);
    this.name = 'XRefreshError';
  }
}

/** Exchange the refresh token for a new pair. Returns the new credentials (the old refresh token is spent). */
export async function refreshOAuth2(creds: Extract<XCredentials, { kind: 'oauth2' }>, opts: ClientOptions & { now?: number } = {}): Promise<Extract<XCredentials, { kind: 'oauth2' }>> {
  if (!creds.refreshToken) throw new Error('this OAuth 2.0 token has no refresh token (ask for the offline.access scope)');
  let r: Awaited<ReturnType<TwitterApi['refreshOAuth2Token']>>;
  try {
    r = await makeRefreshClient(creds, opts).refreshOAuth2Token(creds.refreshToken);
  } catch (e) {
    throw new XRefreshError(e);
  }
  return {
    ...creds,
    accessToken: r.accessToken,
    ...(r.refreshToken ? { refreshToken: r.refreshToken } : {}),
    expiresAt: (opts.now ?? Date.now()) + r.expiresIn * 1000,
  };
}
