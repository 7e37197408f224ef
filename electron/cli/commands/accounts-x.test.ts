import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../run';
import { cli } from '../testing';
import { tempDir } from '../../core/testing/tmp';
import { smallData } from '../../core/x/testing/fixtures';
import { startXServer } from '../../core/x/testing/server';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  delete process.env.CANARY_TEST_X_TOKEN;
});

describe('canary accounts add x / sync (X)', () => {
  it('adds an X account from an env token, syncs it, shows usage, removes it', async () => {
    const server = await startXServer({ data: smallData(), accessTokens: ['tok'] });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = path.join(t.dir, 'c.db');
    process.env.CANARY_TEST_X_TOKEN = 'tok';

    const bad = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'Shop', '--oauth2-token-env', 'CANARY_TEST_X_TOKEN', '--bearer-env', 'X']);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/exactly one of/);

    const add = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'Shop', '--oauth2-token-env', 'CANARY_TEST_X_TOKEN', '--api-base', server.url, '--watch', 'jackets', '--json']);
    expect(add.code).toBe(0);
    const acc = JSON.parse(add.out[0]!) as { id: number; handle: string; config: { reach: Record<string, { ok: boolean }> } };
    expect(acc.handle).toBe('shop');
    expect(Object.values(acc.config.reach).every((r) => r.ok)).toBe(true);
    // The token is not in the database, only in the secret store.
    expect(JSON.stringify(acc)).not.toContain('tok"');

    const sync = await cli(['--db', db, 'sync']);
    expect(sync.code).toBe(0);
    expect(sync.out.join('\n')).toMatch(/#1 x @shop: me: 0 new; mentions: 25 new; search:jackets: 1 new; dm_events: 7 new/);

    const show = await cli(['--db', db, 'accounts', 'show', String(acc.id)]);
    expect(show.out.join('\n')).toMatch(/26 posts, 7 DM events/);

    // The owner changes the watched searches, poll interval and cap later.
    const edit = await cli(['--db', db, 'accounts', 'edit', String(acc.id), '--watch', 'jackets; boots', '--poll', '120', '--monthly-cap', '5']);
    expect(edit.code).toBe(0);
    expect(edit.out.join('\n')).toMatch(/watched searches: "jackets", "boots"; poll every 120 s/);
    expect(edit.out.join('\n')).toMatch(/of a \$5 cap/);
    const sync2 = await cli(['--db', db, 'sync']);
    expect(sync2.out.join('\n')).toMatch(/search:jackets: 0 new.*search:boots: 0 new/);
    const uncap = await cli(['--db', db, 'accounts', 'edit', String(acc.id), '--monthly-cap', 'none', '--watch', '', '--json']);
    expect(uncap.code).toBe(0);
    expect(JSON.parse(uncap.out[0]!).config).toMatchObject({ watchedQueries: [], monthlyCapUsd: null, pollIntervalSec: 120 });
    const badPoll = await cli(['--db', db, 'accounts', 'edit', String(acc.id), '--poll', '5']);
    expect(badPoll.code).toBe(1);
    expect(badPoll.err.join('\n')).toMatch(/--poll must be a number ≥ 30/);
    const nothing = await cli(['--db', db, 'accounts', 'edit', String(acc.id)]);
    expect(nothing.code).toBe(1);
    expect(nothing.err.join('\n')).toMatch(/needs at least one of/);

    const rm = await cli(['--db', db, 'accounts', 'remove', String(acc.id)]);
    expect(rm.code).toBe(0);
    expect(rm.out.join('\n')).toMatch(/removed X account/);
  });

  it('accounts add x --oauth2-pkce signs in through the consent page and a loopback redirect', async () => {
    const server = await startXServer({ data: smallData(), accessTokens: [], oauth2: { clientId: 'cid', refreshTokens: [] } });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = path.join(t.dir, 'c.db');
    const out: string[] = [];
    const code = await runCli(['--db', db, 'accounts', 'add', 'x', '--name', 'Shop', '--oauth2-pkce', '--client-id', 'cid', '--redirect-port', '0', '--api-base', server.url], {
      out: (l) => out.push(l),
      err: (l) => {
        const url = /^http\S+authorize\S+$/m.exec(l)?.[0];
        if (url) void fetch(url, { redirect: 'manual' }).then((r) => fetch(r.headers.get('location')!));
      },
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/added #1 {2}x {2}Shop {2}@shop {2}oauth2/);
    const sync = await cli(['--db', db, 'sync']);
    expect(sync.out.join('\n')).toMatch(/mentions: 25 new/);
  });

  it('accounts add x --oauth1-env PREFIX and --bearer-env VAR --user-id ID --handle H', async () => {
    const server = await startXServer({ data: smallData(), accessTokens: ['app-bearer'], oauth1: { consumerKey: 'ck', accessToken: 'at' } });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = path.join(t.dir, 'c.db');
    const vars = { CANARY_T_API_KEY: 'ck', CANARY_T_API_SECRET: 'cs', CANARY_T_ACCESS_TOKEN: 'at', CANARY_T_ACCESS_SECRET: 'as', CANARY_T_BEARER: 'app-bearer' };
    Object.assign(process.env, vars);
    cleanups.push(() => {
      for (const k of Object.keys(vars)) delete process.env[k];
    });
    const o1 = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'Shop 1a', '--oauth1-env', 'CANARY_T', '--api-base', server.url]);
    expect(o1.code).toBe(0);
    expect(o1.out.join('\n')).toMatch(/added #1 {2}x {2}Shop 1a {2}@shop {2}oauth1/);
    expect(server.requests.find((q) => q.route === 'GET /2/users/me')!.auth).toMatch(/^OAuth .*oauth_consumer_key="ck"/);
    // An app-only bearer token cannot read users/me: the user id is given, and checked before anything is saved.
    const badId = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'App', '--bearer-env', 'CANARY_T_BEARER', '--user-id', 'shop', '--api-base', server.url]);
    expect(badId.code).toBe(1);
    expect(badId.err.join('\n')).toMatch(/numeric id/);
    const b = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'App', '--bearer-env', 'CANARY_T_BEARER', '--user-id', '1000', '--handle', 'shop', '--api-base', server.url, '--json']);
    expect(b.code).toBe(0);
    const acc = JSON.parse(b.out[0]!) as { id: number; xUserId: string; handle: string };
    expect(acc).toMatchObject({ xUserId: '1000', handle: 'shop' });
    const sync = await cli(['--db', db, 'sync', '--account', String(acc.id)]);
    expect(sync.code).toBe(0);
    expect(sync.out.join('\n')).toMatch(/mentions: 25 new/);
    const missing = await cli(['--db', db, 'accounts', 'add', 'x', '--name', 'X', '--oauth1-env', 'CANARY_NOPE']);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toMatch(/CANARY_NOPE_API_KEY \(--oauth1-env\) is empty or not set/);
  });
});
