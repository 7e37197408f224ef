// Connect an X account with the owner's own developer app: OAuth 2.0 authorization code with PKCE
// (S256) and a loopback redirect (http://127.0.0.1:PORT/callback, registered in the app's settings).
// twitter-api-v2 builds the consent link and exchanges the code; a one-shot local HTTP server
// receives the redirect. With offline.access the result carries a refresh token (renewed by sync).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { twitter } from './lib';
import { BaseUrlOverridePlugin, type XCredentials } from './client';

export const DEFAULT_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'dm.read', 'dm.write', 'offline.access'];

export interface PkceOptions {
  clientId: string;
  clientSecret?: string;
  scopes?: string[];
  /** Loopback port registered as the app's callback (default 8765; 0 = any free port, tests). */
  port?: number;
  /** Another X server (the local test server). */
  apiBase?: string;
  /** Show the consent URL to the owner (open a browser, print it). */
  open: (url: string) => void | Promise<void>;
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  now?: () => number;
}

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><body style="font-family:sans-serif;margin:3em"><h1>${esc(title)}</h1><p>${esc(text)}</p></body>`;
}

/** Run the whole flow; resolves with OAuth 2.0 credentials (access token, refresh token, expiry). */
export async function connectWithPkce(opts: PkceOptions): Promise<Extract<XCredentials, { kind: 'oauth2' }>> {
  const now = opts.now ?? Date.now;
  const settings = opts.apiBase ? { plugins: [new BaseUrlOverridePlugin(opts.apiBase)], ...(opts.apiBase.startsWith('http:') ? { httpAgent: new http.Agent() } : {}) } : {};
  const client = new (twitter().TwitterApi)({ clientId: opts.clientId, ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}) }, settings);

  let resolveCode!: (v: { code: string; state: string }) => void;
  let rejectCode!: (e: Error) => void;
  const codePromise = new Promise<{ code: string; state: string }>((res, rej) => {
    resolveCode = res;
    rejectCode = rej;
  });
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const error = u.searchParams.get('error');
    const code = u.searchParams.get('code');
    const state = u.searchParams.get('state') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    if (error || !code) {
      res.end(page('Canary was not connected', `X answered: ${error ?? 'no code'}. You can close this window.`));
      rejectCode(new Error(`X did not authorize Canary (${error ?? 'no code in the redirect'})`));
      return;
    }
    res.end(page('Canary is connected to X', 'You can close this window and return to Canary.'));
    resolveCode({ code, state });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${opts.port ?? 8765} is in use; choose another loopback port (and register it in your X app)`) : e),
    );
    server.listen(opts.port ?? 8765, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(() => rejectCode(new Error('timed out waiting for the X authorization')), opts.timeoutMs ?? 300_000);
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    const link = client.generateOAuth2AuthLink(redirectUri, { scope: opts.scopes ?? DEFAULT_SCOPES });
    let url = link.url;
    if (opts.apiBase) {
      const u = new URL(link.url);
      const b = new URL(opts.apiBase);
      u.protocol = b.protocol;
      u.host = b.host;
      url = u.toString();
    }
    await opts.open(url);
    const got = await codePromise;
    if (got.state !== link.state) throw new Error('the authorization answer does not belong to this request (state mismatch); try again');
    const r = await client.loginWithOAuth2({ code: got.code, codeVerifier: link.codeVerifier, redirectUri });
    return {
      kind: 'oauth2',
      accessToken: r.accessToken,
      ...(r.refreshToken ? { refreshToken: r.refreshToken } : {}),
      clientId: opts.clientId,
      ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}),
      expiresAt: now() + r.expiresIn * 1000,
    };
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
