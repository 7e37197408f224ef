// canary accounts signin-client / add imap --sign-in / signin ID against a local OAuth 2.0 server and
// Dovecot with the oauth2 passdb: the printed address is opened as a browser would, the account is
// saved and synced; a refused renewal shows in `accounts list` and `accounts signin ID` mends it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../../core/testing/dovecot';
import { startMailOAuthProvider, type MailOAuthProvider } from '../../core/testing/mailOAuth';
import { tempDir } from '../../core/testing/tmp';
import { runCli } from '../run';

const available = dovecotAvailable();
if (!available) console.warn('skipping the CLI mail sign-in test: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('canary accounts … --sign-in google', () => {
  let oauth: MailOAuthProvider;
  let d: Dovecot;
  beforeAll(async () => {
    oauth = await startMailOAuthProvider(() => Date.now());
    d = await Dovecot.start({ users: { alice: 'unused-pw-5' }, oauth2IntrospectionUrl: oauth.introspectionUrl });
    d.seedMaildir('alice', [makeRawEmail({ from: 'Jane <jane@cust.example>', to: 'support@biz.example', subject: 'Order 7 is late', body: 'where is it?' })]);
  }, 60_000);
  afterAll(async () => {
    await d?.stop();
    await oauth?.stop();
  });

  /** Run the CLI; an address to sign in at on stderr is opened as a browser would. */
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, {
      out: (l) => out.push(l),
      err: (l) => {
        err.push(l);
        const url = /^http\S+\/authorize\?\S+$/m.exec(l)?.[0];
        if (url) void fetch(url, { redirect: 'manual' }).then((r) => fetch(r.headers.get('location')!));
      },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('sets the client, adds an account by signing in, syncs it, and signs in again after a refused renewal', async () => {
    const t = tempDir('canary-cli-signin-');
    try {
      const db = path.join(t.dir, 'c.db');
      process.env.CANARY_T_GOOGLE_SECRET = 'planted-cli-client-secret-2';
      const c = await run([
        '--db',
        db,
        'accounts',
        'signin-client',
        'google',
        '--client-id',
        'cli-client',
        '--client-secret-env',
        'CANARY_T_GOOGLE_SECRET',
        '--authorize-url',
        `${oauth.issuer}/authorize`,
        '--token-url',
        `${oauth.issuer}/token`,
      ]);
      expect(c.code).toBe(0);
      expect(c.out).toMatch(/^google {2}client id cli-client {2}secret stored {2}endpoints http/);
      expect(c.out).not.toContain('planted-cli-client-secret-2');

      const noPw = await run(['--db', db, 'accounts', 'add', 'imap', '--name', 'Biz', '--host', d.host, '--port', String(d.port), '--tls', 'off', '--user', 'alice', '--sign-in', 'yahoo']);
      expect(noPw.code).not.toBe(0);
      expect(noPw.err).toMatch(/--sign-in must be google or microsoft/);

      const add = await run(['--db', db, 'accounts', 'add', 'imap', '--name', 'Biz', '--host', d.host, '--port', String(d.port), '--tls', 'off', '--user', 'alice', '--sign-in', 'google']);
      expect(add.err).toMatch(/Open this address in a browser and sign in \(Canary listens on http:\/\/127\.0\.0\.1:\d+\/\)/);
      expect(add.code).toBe(0);
      expect(add.out).toMatch(/^added #1 {2}email {2}Biz/);
      expect(oauth.grants).toEqual([expect.objectContaining({ type: 'authorization_code', verifier: true, clientId: 'cli-client', clientSecret: 'planted-cli-client-secret-2' })]);
      const sync = await run(['--db', db, 'sync']);
      expect(sync.code).toBe(0);

      // The provider stops renewing: sync fails, the list says why and how to mend it.
      oauth.refreshGood.clear();
      for (const a of oauth.access.values()) a.revoked = true;
      const failed = await run(['--db', db, 'sync']);
      expect(failed.code).not.toBe(0);
      const list = await run(['--db', db, 'accounts', 'list']);
      expect(list.out).toMatch(/\[paused: Sign in again: Google refused the sign-in \(invalid_grant: Token has been expired or revoked\.\)\. \(canary accounts signin 1\)\]/);

      const again = await run(['--db', db, 'accounts', 'signin', '1']);
      expect(again.code).toBe(0);
      expect(again.out).toBe('signed in again: account #1 runs again');
      expect((await run(['--db', db, 'accounts', 'list'])).out).not.toMatch(/paused|disabled|errors/);
      expect((await run(['--db', db, 'sync'])).code).toBe(0);
    } finally {
      delete process.env.CANARY_T_GOOGLE_SECRET;
      t.cleanup();
    }
  }, 60_000);
});
