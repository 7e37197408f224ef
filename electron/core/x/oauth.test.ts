import { afterEach, describe, expect, it } from 'vitest';
import { makeClient } from './client';
import { connectWithPkce } from './oauth';
import { smallData } from './testing/fixtures';
import { startXServer, type XTestServer } from './testing/server';

const servers: XTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A browser that follows the consent redirect to the loopback callback. */
async function browser(url: string): Promise<void> {
  const r = await fetch(url, { redirect: 'manual' });
  const loc = r.headers.get('location');
  if (!loc) throw new Error(`no redirect from the consent page: ${r.status} ${await r.text()}`);
  await fetch(loc);
}

describe('OAuth 2.0 with PKCE and a loopback redirect', () => {
  it('gets tokens that work, with a refresh token; S256 challenge checked by the server', async () => {
    const s = await startXServer({ data: smallData(), accessTokens: [], oauth2: { clientId: 'cid', refreshTokens: [] } });
    servers.push(s);
    let opened = '';
    const creds = await connectWithPkce({
      clientId: 'cid',
      apiBase: s.url,
      port: 0,
      now: () => 0,
      open: (url) => {
        opened = url;
        void browser(url);
      },
    });
    const u = new URL(opened);
    expect(u.pathname).toBe('/i/oauth2/authorize');
    expect(u.searchParams.get('code_challenge_method')).toBe('s256');
    expect(u.searchParams.get('scope')).toContain('offline.access');
    expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(creds).toMatchObject({ kind: 'oauth2', clientId: 'cid', expiresAt: 7_200_000 });
    expect(creds.refreshToken).toBeTruthy();
    expect((await makeClient(creds, { apiBase: s.url }).v2.me()).data.username).toBe('shop');
    const tokenReq = s.requests.find((r) => r.route === 'POST /2/oauth2/token')!;
    expect(tokenReq.body).toMatchObject({ grant_type: 'authorization_code', client_id: 'cid' });
  });

  it('reports a denied authorization', async () => {
    const s = await startXServer({ data: smallData(), oauth2: { clientId: 'cid', refreshTokens: [] } });
    servers.push(s);
    s.authorizeDecision = 'deny';
    await expect(connectWithPkce({ clientId: 'cid', apiBase: s.url, port: 0, open: (url) => void browser(url) })).rejects.toThrow(/did not authorize Canary \(access_denied\)/);
  });
});
