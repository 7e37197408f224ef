// TLS modes against a real Dovecot serving a self-signed certificate: STARTTLS on the plain port,
// implicit TLS on the imaps port, and the clear reasons a wrong choice gets.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { addEmailAccount, testEmailAccount, toConfig, type EmailAccountInput } from './accounts';
import { checkSmtp } from './imap/checkConnection';
import { connectImap } from './imap/connect';
import { syncAccountOnce } from './sync';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const available = dovecotAvailable() && haveOpenssl;
if (!available) console.warn('skipping the IMAP TLS tests: dovecot or openssl is not installed (apt-get install -y dovecot-imapd openssl)');

const PASSWORD = 'tls-Secret-pw-4d2';

describe.skipIf(!available)('IMAP over TLS and STARTTLS (Dovecot with a self-signed certificate)', () => {
  let d: Dovecot;
  let plain: Dovecot;
  beforeAll(async () => {
    [d, plain] = await Promise.all([Dovecot.start({ users: { alice: PASSWORD, bob: PASSWORD }, tls: true }), Dovecot.start({ users: { alice: PASSWORD } })]);
  });
  afterAll(async () => {
    await Promise.all([d?.stop(), plain?.stop()]);
  });

  const input = (o: Partial<EmailAccountInput> & { imap: EmailAccountInput['imap'] }): EmailAccountInput => ({
    name: 'TLS',
    address: 'support@biz.example',
    user: 'alice',
    secret: PASSWORD,
    ...o,
  });

  it('STARTTLS: the connection is upgraded before login, and the account syncs', async () => {
    d.seedMaildir(
      'alice',
      [1, 2, 3].map((i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `tls ${i}`, body: `over tls ${i}`, messageId: `<tls${i}@cust.example>` })),
    );
    const cfg = toConfig(input({ imap: { host: d.host, port: d.port, tls: 'starttls' }, allowInvalidCerts: true }));
    const client = await connectImap(cfg, PASSWORD);
    try {
      expect(client.secureConnection).toBe(true);
    } finally {
      await client.logout();
    }

    const t = tempDir('canary-tls-');
    const core = createCore({ dataDir: t.dir });
    try {
      const { account, check } = await addEmailAccount(core.ctx, input({ imap: { host: d.host, port: d.port, tls: 'starttls' }, allowInvalidCerts: true }));
      expect(check?.imap.ok).toBe(true);
      expect(account.imap.tls).toBe('starttls');
      const r = await syncAccountOnce(core.ctx, account.id, { folders: ['INBOX'] });
      expect(r[0]!.stored).toBe(3);
      expect(core.db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'tls'").pluck().get()).toBe(3);
    } finally {
      core.dispose();
      t.cleanup();
    }
    // Dovecot logged the logins as TLS sessions.
    expect(d.log()).toMatch(/Login: user=<alice>.*TLS/);
  });

  it('implicit TLS on the imaps port works', async () => {
    const r = await testEmailAccount(input({ user: 'bob', imap: { host: d.host, port: d.tlsPort!, tls: 'on' }, allowInvalidCerts: true }), 5000);
    expect(r.imap.reason).toBeNull();
    expect(r.ok).toBe(true);
  });

  it('an untrusted certificate is refused with a clear reason unless allowed', async () => {
    for (const [port, tls] of [
      [d.port, 'starttls'],
      [d.tlsPort!, 'on'],
    ] as const) {
      const r = await testEmailAccount(input({ imap: { host: d.host, port, tls } }), 5000);
      expect(r.ok).toBe(false);
      expect(r.imap.reason).toBe('tls_mismatch');
      expect(r.imap.message).toMatch(/certificate that cannot be trusted/);
    }
  });

  it('TLS mismatch: TLS "on" against a port that starts in plain text', async () => {
    for (const server of [d, plain]) {
      const r = await testEmailAccount(input({ imap: { host: server.host, port: server.port, tls: 'on' }, allowInvalidCerts: true }), 5000);
      expect(r.ok).toBe(false);
      expect(r.imap.reason).toBe('tls_mismatch');
      expect(r.imap.message).toMatch(/TLS mismatch/);
      expect(r.imap.message).not.toContain(PASSWORD);
    }
  });

  it('TLS "off" against the implicit-TLS port says the port expects TLS', async () => {
    const r = await testEmailAccount(input({ imap: { host: d.host, port: d.tlsPort!, tls: 'off' } }), 1500);
    expect(r.ok).toBe(false);
    expect(['timeout', 'tls_mismatch']).toContain(r.imap.reason);
    expect(r.imap.message).toMatch(/TLS "on"/);
  });

  it('STARTTLS against a server that does not offer it is refused with that reason', async () => {
    const r = await testEmailAccount(input({ imap: { host: plain.host, port: plain.port, tls: 'starttls' } }), 5000);
    expect(r.ok).toBe(false);
    expect(r.imap.reason).toBe('starttls_unavailable');
    expect(r.imap.message).toMatch(/does not offer STARTTLS/);
  });
});

/** An SMTP peer (npm smtp-server) offering STARTTLS with the given certificate, or no STARTTLS at all. */
async function startSmtp(tls: { key: Buffer; cert: Buffer } | null): Promise<{ server: SMTPServer; port: number }> {
  const port = await freePort();
  const server = new SMTPServer({
    ...(tls ? { key: tls.key, cert: tls.cert } : { disabledCommands: ['STARTTLS'] }),
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, session, cb) {
      // Only a login over the upgraded connection counts when STARTTLS is on offer.
      if (tls && !session.secure) return cb(new Error('STARTTLS first'));
      if (auth.username === 'alice' && auth.password === PASSWORD) cb(null, { user: 'alice' });
      else cb(new Error('Invalid username or password'));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port };
}

describe.skipIf(!available)('SMTP with STARTTLS (smtp-server with a self-signed certificate)', () => {
  let d: Dovecot;
  let secure: { server: SMTPServer; port: number };
  let plainSmtp: { server: SMTPServer; port: number };
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: PASSWORD }, tls: true });
    const pem = (f: string) => fs.readFileSync(path.join(d.dir, f));
    secure = await startSmtp({ key: pem('key.pem'), cert: pem('cert.pem') });
    plainSmtp = await startSmtp(null);
  });
  afterAll(async () => {
    await Promise.all([secure, plainSmtp].filter(Boolean).map((s) => new Promise<void>((r) => s.server.close(() => r()))));
    await d?.stop();
  });

  const smtpCfg = (port: number, tls: 'on' | 'off' | 'starttls', allowInvalidCerts = true) =>
    toConfig({ name: 'S', user: 'alice', secret: PASSWORD, imap: { host: d.host, port: d.port, tls: 'starttls' }, smtp: { host: '127.0.0.1', port, tls }, allowInvalidCerts });

  it('logs in after upgrading with STARTTLS (the server refuses a login before the upgrade)', async () => {
    const r = await checkSmtp(smtpCfg(secure.port, 'starttls'), PASSWORD, { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, reason: null });
  });

  it('says why when the choice is wrong: untrusted certificate, TLS mismatch, no STARTTLS', async () => {
    const untrusted = await checkSmtp(smtpCfg(secure.port, 'starttls', false), PASSWORD, { timeoutMs: 5000 });
    expect(untrusted).toMatchObject({ ok: false, reason: 'tls_mismatch' });
    expect(untrusted!.message).toMatch(/certificate that cannot be trusted/);

    const mismatch = await checkSmtp(smtpCfg(secure.port, 'on'), PASSWORD, { timeoutMs: 5000 });
    expect(mismatch).toMatchObject({ ok: false, reason: 'tls_mismatch' });
    expect(mismatch!.message).toMatch(/TLS mismatch/);

    const none = await checkSmtp(smtpCfg(plainSmtp.port, 'starttls'), PASSWORD, { timeoutMs: 5000 });
    expect(none).toMatchObject({ ok: false, reason: 'starttls_unavailable' });
    expect(none!.message).toMatch(/does not offer STARTTLS/);
    expect(none!.message).not.toContain(PASSWORD);
  });
});
