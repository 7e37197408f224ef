// `canary sync` over email and X accounts together: any failed account gives a non-zero exit and a
// clear stderr line of its own, also when the other accounts succeed. Real Dovecot, real local X server.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addImapAccount, cli } from '../testing';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../../core/testing/dovecot';
import { tempDir } from '../../core/testing/tmp';
import { smallData } from '../../core/x/testing/fixtures';
import { startXServer } from '../../core/x/testing/server';

const haveDovecot = dovecotAvailable();
if (!haveDovecot) console.warn('skipping canary sync (email + X) tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  delete process.env.CANARY_TEST_X_TOKEN;
});

describe.skipIf(!haveDovecot)('canary sync with email and X accounts', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'secret' } });
    d.save('alice', makeRawEmail({ from: 'Jane Doe <jane@example.com>', to: 'alice@shop.example', subject: 'Order HP-482913', body: 'Where is it?' }));
  }, 30_000);
  afterAll(async () => {
    await d?.stop();
  });

  async function setUp(): Promise<{ db: string; fail: () => void }> {
    const server = await startXServer({ data: smallData(), accessTokens: ['tok'] });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = path.join(t.dir, 'c.db');
    process.env.CANARY_TEST_X_TOKEN = 'tok';
    await addImapAccount(db, d, { name: 'Mail', user: 'alice', password: 'secret' });
    const x = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'Shop', '--oauth2-token-env', 'CANARY_TEST_X_TOKEN', '--api-base', server.url]);
    expect(x.code, x.err.join('\n')).toBe(0);
    // Every X request from now on is refused (403: not retried, no token refresh).
    const fail = () => {
      const faults = Array.from({ length: 50 }, () => ({
        kind: 'status' as const,
        status: 403,
        body: { title: 'Forbidden', detail: 'You are not permitted to use this endpoint', type: 'about:blank', status: 403 },
      }));
      server.inject('*', ...faults);
    };
    return { db, fail };
  }

  it('exits 0 when every account syncs', { timeout: 30_000 }, async () => {
    const { db } = await setUp();
    const r = await cli(['--db', db, 'sync']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out.join('\n')).toMatch(/x @shop: .*mentions: 25 new/);
    expect(r.out.join('\n')).toMatch(/INBOX: 1 new/);
  });

  it('exits non-zero with a stderr line when the X account fails while email succeeds', { timeout: 30_000 }, async () => {
    const { db, fail } = await setUp();
    fail();
    const r = await cli(['--db', db, 'sync']);
    const err = r.err.join('\n');
    expect(r.code).not.toBe(0);
    // The email account still synced.
    expect(r.out.join('\n')).toMatch(/INBOX: 1 new/);
    // One clear line for the failed X account, and the summary.
    expect(err).toMatch(/^#2 x @\S+: X sync failed: .*mentions: [^;]*HTTP 403/m);
    expect(err).toMatch(/1 X account\(s\) failed to sync/);
  });

  it('exits non-zero for a failed X account named by --account, and with only X accounts', { timeout: 30_000 }, async () => {
    const { db, fail } = await setUp();
    fail();
    const one = await cli(['--db', db, 'sync', '--account', '2']);
    expect(one.code).not.toBe(0);
    expect(one.err.join('\n')).toMatch(/#2 x @\S+: X sync failed/);
    // With the email account disabled, only X is synced.
    expect((await cli(['--db', db, 'accounts', 'edit', '1', '--disable'])).code).toBe(0);
    const only = await cli(['--db', db, 'sync']);
    expect(only.code).not.toBe(0);
    expect(only.err.join('\n')).toMatch(/#2 x @\S+: X sync failed/);
  });
});
