// TLS modes against a real Dovecot serving a self-signed certificate: STARTTLS on the plain port,
// implicit TLS on the imaps port, and the clear reasons a wrong choice gets.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { addEmailAccount, testEmailAccount, toConfig, type EmailAccountInput } from './accounts';
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
    [d, plain] = await Promise.all([
      Dovecot.start({ users: { alice: PASSWORD, bob: PASSWORD }, tls: true }),
      Dovecot.start({ users: { alice: PASSWORD } }),
    ]);
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
    d.seedMaildir('alice', [1, 2, 3].map((i) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `tls ${i}`, body: `over tls ${i}`, messageId: `<tls${i}@cust.example>` })));
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
    for (const [port, tls] of [[d.port, 'starttls'], [d.tlsPort!, 'on']] as const) {
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
