// The OAuth 2.0 authorization code flow with PKCE (S256) and a loopback redirect, for the mail
// providers (providers.ts), and the token endpoint's two grants (code, refresh). The core runs the
// listener and the exchanges; whoever shows the app only opens the URL in the system browser.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedClient } from './providers';

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** ms since the epoch. */
  expiresAt: number;
}

/** The token endpoint refused the grant (invalid_grant, invalid_client…): only a new sign-in helps. */
export class OAuthRefusedError extends Error {
  constructor(
    readonly provider: string,
    readonly oauthError: string,
    description: string | null,
  ) {
    super(`${provider} refused the sign-in (${oauthError}${description ? `: ${description}` : ''})`);
    this.name = 'OAuthRefusedError';
  }
}

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><body style="font-family:sans-serif;margin:3em"><h1>${esc(title)}</h1><p>${esc(text)}</p></body>`;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** Ask the token endpoint; a 4xx with an OAuth error is a refusal, anything else a (transient) failure. */
async function tokenRequest(client: ResolvedClient, form: Record<string, string>, now: number, timeoutMs = 30_000): Promise<TokenSet & { raw: Record<string, unknown> }> {
  const body = new URLSearchParams({ ...form, client_id: client.clientId ?? '' });
  if (client.clientSecret) body.set('client_secret', client.clientSecret);
  let res: Response;
  try {
    res = await fetch(client.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new Error(`${client.label}'s token endpoint could not be reached (${(e as Error).message})`, { cause: e });
  }
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const err = typeof json.error === 'string' ? json.error : null;
    const desc = typeof json.error_description === 'string' ? json.error_description.slice(0, 300) : null;
    if (err && res.status >= 400 && res.status < 500) throw new OAuthRefusedError(client.label, err, desc);
    throw new Error(`${client.label}'s token endpoint answered HTTP ${res.status}${err ? ` (${err})` : ''}`);
  }
  if (typeof json.access_token !== 'string' || !json.access_token) throw new Error(`${client.label}'s token endpoint gave no access token`);
  const expiresIn = Number(json.expires_in);
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : null,
    expiresAt: now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
    raw: json,
  };
}

/** Renew with the refresh token. A provider that returns no new refresh token keeps the old one valid. */
export async function refreshTokens(client: ResolvedClient, refreshToken: string, now: number): Promise<TokenSet> {
  // No scope: both providers renew the scopes first granted.
  const r = await tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
  return { accessToken: r.accessToken, refreshToken: r.refreshToken ?? refreshToken, expiresAt: r.expiresAt };
}

export interface SignInHandle {
  /** The authorization URL to open in the browser. */
  url: string;
  redirectUri: string;
  /** Resolves with the tokens once the browser came back and the code was exchanged. */
  done: Promise<TokenSet>;
  /** End the wait (the listener closes; done rejects with "cancelled"). */
  cancel(): void;
}

/**
 * Start a sign-in: a listener on 127.0.0.1 (a free port), the authorization URL with a PKCE
 * challenge and a random state. The redirect must carry that state; its code is exchanged with the
 * verifier.
 */
export async function startSignIn(client: ResolvedClient, opts: { now: () => number; timeoutMs?: number; loginHint?: string }): Promise<SignInHandle> {
  if (!client.clientId) throw new Error(`No ${client.label} client id is set: add one in Settings → Accounts → Sign-in clients first.`);
  const verifier = b64url(crypto.randomBytes(48));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(24));
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => undefined);
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/' || (!u.searchParams.has('code') && !u.searchParams.has('error'))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    if (u.searchParams.get('state') !== state) {
      res.end(page('Canary was not signed in', 'This answer does not belong to the sign-in Canary started. Start it again from Canary.'));
      settle.reject(new Error('the answer did not belong to this sign-in (state mismatch); try again'));
      return;
    }
    const error = u.searchParams.get('error');
    const got = u.searchParams.get('code');
    if (error || !got) {
      res.end(page('Canary was not signed in', `${client.label} answered: ${error ?? 'no code'}. You can close this window.`));
      settle.reject(new Error(error === 'cancelled' ? 'cancelled' : `${client.label} did not authorize Canary (${error ?? 'no code in the redirect'})`));
      return;
    }
    res.end(page(`Canary is signed in to ${client.label}`, 'You can close this window and return to Canary.'));
    settle.resolve(got);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const redirectUri = `http://${client.redirectHost}:${(server.address() as AddressInfo).port}/`;
  const u = new URL(client.authorizeUrl);
  const q: Record<string, string> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: redirectUri,
    scope: client.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...client.authorizeParams,
    ...(opts.loginHint ? { login_hint: opts.loginHint } : {}),
  };
  for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
  const timer = setTimeout(() => settle.reject(new Error(`timed out waiting for ${client.label}'s answer`)), opts.timeoutMs ?? 10 * 60_000);
  timer.unref();
  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  const done = (async () => {
    try {
      const c = await code;
      const r = await tokenRequest(client, { grant_type: 'authorization_code', code: c, redirect_uri: redirectUri, code_verifier: verifier }, opts.now());
      if (!r.refreshToken) throw new Error(`${client.label} gave no refresh token, so Canary could not stay signed in (check the client's scopes: ${client.scopes.join(' ')})`);
      return { accessToken: r.accessToken, refreshToken: r.refreshToken, expiresAt: r.expiresAt };
    } finally {
      close();
    }
  })();
  return { url: u.toString(), redirectUri, done, cancel: () => settle.reject(new Error('cancelled')) };
}
