// "Sign in with Google" end to end against real servers: oauth2-mock-server as the provider (the
// authorize and token endpoints, with PKCE), HTTP requests standing in for the browser, Dovecot
// with its oauth2 passdb asking a loopback introspection endpoint about every XOAUTH2 token, and
// smtp-server checking the token of each send. The introspection endpoint knows the tokens the
// provider issued, which of them were revoked, and their expiry on the core's clock.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../../shared/rpc/protocol';
import { createCore, type Core } from '../../createCore';
import { getAccount } from '../../db/repos/accounts';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../../testing/dovecot';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../../testing/smtpPeer';
import { startMailOAuthProvider, type MailOAuthProvider } from '../../testing/mailOAuth';
import { tempDir } from '../../testing/tmp';
import type { EmailAccountConfig } from '../imap/config';
import { processOutbox, queueReply } from '../outbox';
import { syncAccountOnce } from '../sync';
import { readTokens } from './tokens';

const available = dovecotAvailable();
if (!available) console.warn('skipping the mail sign-in tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const CLIENT_ID = 'canary-test-client';
const CLIENT_SECRET = 'planted-client-secret-5531';

describe.skipIf(!available)('Sign in with Google against a local OAuth 2.0 server, Dovecot (oauth2 passdb) and smtp-server (XOAUTH2)', () => {
  let clock = Date.UTC(2026, 5, 1, 12);
  let oauth: MailOAuthProvider;
  let d: Dovecot;
  let smtp: SmtpPeer;
  const received: ReceivedMail[] = [];
  let smtpPort = 0;

  beforeAll(async () => {
    oauth = await startMailOAuthProvider(() => clock);
    d = await Dovecot.start({ users: { alice: 'unused-password-7' }, oauth2IntrospectionUrl: oauth.introspectionUrl });
    smtpPort = await freePort();
    smtp = await startSmtpPeer({ password: 'unused-password-7', user: 'alice', port: smtpPort, received, xoauth2: (user, token) => user === 'alice' && oauth.valid(token) });
  }, 60_000);

  afterAll(async () => {
    await smtp?.close();
    await d?.stop();
    await oauth?.stop();
  });

  /** The browser: open the authorization URL, follow the provider's redirect to the loopback listener. */
  async function browse(url: string): Promise<{ status: number; text: string; redirect: URL }> {
    const r1 = await fetch(url, { redirect: 'manual' });
    expect(r1.status).toBe(302);
    const redirect = new URL(r1.headers.get('location')!);
    const r2 = await fetch(redirect);
    return { status: r2.status, text: await r2.text(), redirect };
  }

  async function settle(core: Core, flowId: string) {
    for (let i = 0; i < 200; i++) {
      const v = await core.call('mail.oauth.status', { flowId });
      if (v.state !== 'waiting') return v;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the sign-in did not end');
  }

  it('signs in with PKCE and a loopback redirect, syncs and sends with XOAUTH2, renews before expiry and after a refused login, pauses on a refused renewal, signs in again, and logs no token', async () => {
    const t = tempDir('canary-mail-oauth-');
    const core = createCore({ dataDir: t.dir, now: () => clock });
    const events: RpcEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    try {
      d.seedMaildir('alice', [
        makeRawEmail({
          from: 'Jane <jane@cust.example>',
          to: 'support@biz.example',
          subject: 'Order 7 is late',
          body: 'where is it?',
          messageId: '<q7@cust.example>',
          date: new Date(clock - 3600_000),
        }),
      ]);
      // Without a client id there is nothing to sign in with.
      await expect(core.call('mail.oauth.start', { provider: 'google', account: { name: 'x', imap: { host: d.host, tls: 'off' }, user: 'alice' } })).rejects.toThrow(/client id/);
      const clients = await core.call('mail.oauth.setClient', {
        provider: 'google',
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authorizeUrl: `${oauth.issuer}/authorize`,
        tokenUrl: `${oauth.issuer}/token`,
      });
      const g = clients.find((c) => c.provider === 'google')!;
      expect(g).toMatchObject({ clientId: CLIENT_ID, hasSecret: true, custom: true, scopes: ['https://mail.google.com/'] });
      expect(JSON.stringify(clients)).not.toContain(CLIENT_SECRET);

      // 1. Sign in for a new account.
      const flow = await core.call('mail.oauth.start', {
        provider: 'google',
        account: {
          name: 'Biz Support',
          address: 'support@biz.example',
          imap: { host: d.host, port: d.port, tls: 'off' },
          smtp: { host: '127.0.0.1', port: smtpPort, tls: 'off' },
          user: 'alice',
        },
      });
      expect(flow.state).toBe('waiting');
      const u = new URL(flow.url);
      expect(u.origin + u.pathname).toBe(`${oauth.issuer}/authorize`);
      expect(Object.fromEntries(u.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: CLIENT_ID,
        scope: 'https://mail.google.com/',
        code_challenge_method: 'S256',
        access_type: 'offline',
        login_hint: 'support@biz.example',
      });
      expect(u.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await browse(flow.url);
      expect(page.redirect.searchParams.get('state')).toBe(u.searchParams.get('state'));
      expect(page.status).toBe(200);
      expect(page.text).toContain('signed in to Google');
      const done = await settle(core, flow.flowId);
      expect(done).toMatchObject({ state: 'connected', error: null });
      const id = done.accountId!;
      // The code went to the token endpoint with its PKCE verifier and the client's credentials.
      expect(oauth.grants[0]).toEqual({ type: 'authorization_code', verifier: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      const acc = getAccount<EmailAccountConfig>(core.db, id)!;
      expect(acc.config.authType).toBe('oauth2-google');
      const stored = readTokens(core.ctx.secrets, acc.credentialRef)!;
      expect(oauth.refreshGood.has(stored.refreshToken)).toBe(true);
      expect(oauth.valid(stored.secret)).toBe(true);
      // The listener is gone once the sign-in ended.
      await expect(fetch(page.redirect)).rejects.toThrow();

      // 2. Sync over IMAP: Dovecot asked the introspection endpoint about that token.
      const before = oauth.introspected.length;
      await syncAccountOnce(core.ctx, id, { retries: 0 });
      expect(core.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
      expect(oauth.introspected.slice(before)).toContain(stored.secret);

      // 3. A reply goes out over SMTP with XOAUTH2.
      const conv = core.db.prepare("SELECT id FROM conversations WHERE kind = 'email'").pluck().get() as number;
      await queueReply(core.ctx, { conversationId: conv, text: 'It ships today.', replyAll: false, idempotencyKey: 'r1' });
      expect((await processOutbox(core.ctx, { backoffMs: 1 })).map((r) => r.state)).toEqual(['sent']);
      expect(received).toHaveLength(1);

      // 4. Renewal before expiry: 4 minutes left, so the next pass renews first.
      clock += 56 * 60_000;
      const refreshes = () => oauth.grants.filter((x) => x.type === 'refresh_token').length;
      expect(refreshes()).toBe(0);
      await syncAccountOnce(core.ctx, id, { retries: 0 });
      expect(refreshes()).toBe(1);
      const second = readTokens(core.ctx.secrets, acc.credentialRef)!;
      expect(second.secret).not.toBe(stored.secret);
      expect(second.expiresAt).toBe(clock + 3600_000);
      expect(oauth.valid(second.secret)).toBe(true);

      // 5. Renewal after a refused login: the token is revoked early; IMAP, then SMTP, renew once and go on.
      oauth.access.get(second.secret)!.revoked = true;
      await syncAccountOnce(core.ctx, id, { retries: 0 });
      expect(refreshes()).toBe(2);
      const third = readTokens(core.ctx.secrets, acc.credentialRef)!;
      expect(oauth.valid(third.secret)).toBe(true);
      oauth.access.get(third.secret)!.revoked = true;
      await queueReply(core.ctx, { conversationId: conv, text: 'And a tracking number.', replyAll: false, idempotencyKey: 'r2' });
      expect((await processOutbox(core.ctx, { backoffMs: 1 })).map((r) => r.state)).toEqual(['sent']);
      expect(received).toHaveLength(2);
      expect(refreshes()).toBe(3);

      // 6. A refused renewal pauses the account with its reason and tells the window.
      const fourth = readTokens(core.ctx.secrets, acc.credentialRef)!;
      oauth.refreshGood.delete(fourth.refreshToken);
      oauth.access.get(fourth.secret)!.revoked = true;
      await expect(syncAccountOnce(core.ctx, id, { retries: 0 })).rejects.toThrow(/Sign in again.*invalid_grant/);
      const list = await core.call('accounts.list', { channel: 'email' });
      const view = list.find((a) => a.id === id)!;
      expect(view).toMatchObject({ enabled: false, authType: 'oauth2-google' });
      expect(view.channel === 'email' && view.signInNeeded?.reason).toMatch(/^Sign in again: Google refused the sign-in \(invalid_grant: Token has been expired or revoked\.\)/);
      expect(events.filter((e) => e.name === 'accounts.signInNeeded').map((e) => e.payload)).toEqual([{ accountId: id, reason: expect.stringMatching(/^Sign in again/) }]);

      // 7. Signing in again: new tokens, the account runs again.
      const again = await core.call('mail.oauth.start', { provider: 'google', accountId: id });
      expect(new URL(again.url).searchParams.get('login_hint')).toBe('support@biz.example');
      await browse(again.url);
      expect(await settle(core, again.flowId)).toMatchObject({ state: 'connected', accountId: id });
      const after = (await core.call('accounts.list', { channel: 'email' })).find((a) => a.id === id)!;
      expect(after).toMatchObject({ enabled: true, signInNeeded: null });
      d.save('alice', makeRawEmail({ from: 'Jane <jane@cust.example>', to: 'support@biz.example', subject: 'Re: Order 7 is late', body: 'thanks', messageId: '<q8@cust.example>' }));
      await syncAccountOnce(core.ctx, id, { retries: 0 });
      expect(core.db.prepare("SELECT count(*) FROM messages WHERE author_address = 'jane@cust.example'").pluck().get()).toBe(2);

      // 8. No token, code or client secret in any log line or in the database file.
      const dir = path.join(t.dir, 'logs');
      const text = fs
        .readdirSync(dir)
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
        .join('');
      const msgs = text
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(msgs).toEqual(expect.arrayContaining(['signed in', 'sign-in renewed', 'login refused: renewing the sign-in once', 'account paused: sign in again']));
      core.db.pragma('wal_checkpoint(TRUNCATE)');
      const dbText = fs.readFileSync(path.join(t.dir, 'canary.db')).toString('latin1');
      expect(oauth.issued.length).toBeGreaterThanOrEqual(15);
      for (const planted of [...oauth.issued, CLIENT_SECRET]) {
        expect(text, 'a token in the log').not.toContain(planted);
        expect(dbText, 'a token in the database').not.toContain(planted);
      }
    } finally {
      await core.close();
      t.cleanup();
    }
  }, 120_000);

  it('refuses an answer that does not carry the sign-in state, and a cancelled sign-in stores nothing', async () => {
    const t = tempDir('canary-mail-oauth2-');
    const core = createCore({ dataDir: t.dir, now: () => clock });
    try {
      await core.call('mail.oauth.setClient', { provider: 'microsoft', clientId: CLIENT_ID, authorizeUrl: `${oauth.issuer}/authorize`, tokenUrl: `${oauth.issuer}/token` });
      const account = { name: 'MS', imap: { host: d.host, port: d.port, tls: 'off' as const }, user: 'alice' };
      const f1 = await core.call('mail.oauth.start', { provider: 'microsoft', account });
      const u = new URL(f1.url);
      expect(u.searchParams.get('scope')).toBe('https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access');
      expect(f1.redirectUri).toMatch(/^http:\/\/localhost:\d+\/$/);
      const port = new URL(f1.redirectUri).port;
      const r = await fetch(`http://127.0.0.1:${port}/?code=stolen&state=not-this-one`);
      expect(await r.text()).toContain('not signed in');
      expect(await settle(core, f1.flowId)).toMatchObject({ state: 'failed', error: expect.stringMatching(/state mismatch/) });

      const f2 = await core.call('mail.oauth.start', { provider: 'microsoft', account });
      expect(await core.call('mail.oauth.cancel', { flowId: f2.flowId })).toMatchObject({ state: 'cancelled', accountId: null });
      expect(await core.call('accounts.list', { channel: 'email' })).toEqual([]);
    } finally {
      await core.close();
      t.cleanup();
    }
  }, 60_000);
});
