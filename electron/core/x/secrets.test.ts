// Audit: X credentials never reach SQLite (any table, the WAL), sync reports, stored errors or
// outbox errors, whatever goes wrong: refresh, 401, 5xx, dropped connections, malformed answers.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { tempDir } from '../testing/tmp';
import { createXAccount, getXAccount, loadCredentials, probeX } from './account';
import { processXOutbox, queueXReply } from './outbox';
import { syncXAccount } from './sync';
import { smallData } from './testing/fixtures';
import { startXServer } from './testing/server';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ACCESS = 'SECRETaccessTOKEN1111';
const REFRESH = 'SECRETrefreshTOKEN2222';
const CLIENT_SECRET = 'SECRETclientSECRET3333';
const BEARER = 'SECRETbearerTOKEN4444';
const BAD_REFRESH = 'SECRETbadREFRESH5555';

describe('X credentials stay out of the database and of error messages', () => {
  it('after refresh, 401, 5xx, dropped and malformed answers, a lost send: no token anywhere but the secret store', async () => {
    const clock = { now: Date.UTC(2024, 0, 10, 12) };
    const server = await startXServer({ data: smallData(), now: () => clock.now, accessTokens: [], oauth2: { clientId: 'cid', refreshTokens: [REFRESH] } });
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = createCore({ dataDir: t.dir, now: () => clock.now });
    let disposed = false;
    cleanups.push(() => {
      if (!disposed) core.dispose();
    });
    const opts = { now: () => clock.now, sleep: async (ms: number) => void (clock.now += ms), random: () => 0.5 };
    const acc = createXAccount(core.ctx, {
      name: 'Shop',
      credentials: { kind: 'oauth2', accessToken: ACCESS, refreshToken: REFRESH, clientId: 'cid', clientSecret: CLIENT_SECRET },
      config: { apiBase: server.url, pageSize: 10, watchedQueries: ['jackets'] },
    });
    // Expired access token: refreshed on the first 401; then failures of every kind.
    server.inject('GET /2/users/:id/mentions', { kind: 'status', status: 500 }, { kind: 'drop' }, { kind: 'malformed' }, { kind: 'malformed' });
    server.inject('GET /2/dm_events', { kind: 'status', status: 503 }, { kind: 'rate-limit', resetInSec: 30 });
    const reports: unknown[] = [await syncXAccount(core.ctx, acc.id, opts)];
    const stored = () => loadCredentials(core.ctx, getXAccount(core.ctx, acc.id)) as { accessToken: string; refreshToken: string };
    const fresh = stored();
    expect(fresh.accessToken).not.toBe(ACCESS);
    expect(server.requests.filter((q) => q.route === 'POST /2/oauth2/token').length).toBe(1);
    const secrets = [ACCESS, REFRESH, CLIENT_SECRET, BEARER, BAD_REFRESH, fresh.accessToken, fresh.refreshToken];

    // The renewed token is revoked: refreshed again with the renewed refresh token.
    server.revokeToken(fresh.accessToken);
    reports.push(await syncXAccount(core.ctx, acc.id, opts));
    secrets.push(stored().accessToken, stored().refreshToken);
    expect(server.requests.filter((q) => q.route === 'POST /2/oauth2/token').length).toBe(2);

    // A refresh token X refuses: the error is stored, the token is not.
    const dead = createXAccount(core.ctx, {
      name: 'Dead',
      credentials: { kind: 'oauth2', accessToken: ACCESS, refreshToken: BAD_REFRESH, clientId: 'cid', clientSecret: CLIENT_SECRET },
      config: { apiBase: server.url },
    });
    const deadReport = await syncXAccount(core.ctx, dead.id, opts);
    expect(deadReport.ok).toBe(false);
    expect(deadReport.scopes[0]!.error).toMatch(/the OAuth 2\.0 token expired and X did not renew it \(HTTP 400 invalid_request: Value passed for the token was invalid\.\); sign in to X again/);
    reports.push(deadReport);

    // An app bearer token that X refuses, and a probe of it.
    const bad = createXAccount(core.ctx, { name: 'Bearer', credentials: { kind: 'bearer', token: BEARER }, config: { apiBase: server.url } });
    reports.push(await syncXAccount(core.ctx, bad.id, opts));
    const reach = await probeX({ kind: 'bearer', token: BEARER }, server.url, () => clock.now);
    reports.push(reach);

    // A reply whose answer is lost after X took it, and one refused with a 400.
    const conv = (core.db.prepare("SELECT id FROM conversations WHERE kind = 'tweet' LIMIT 1").get() as { id: number } | undefined)?.id;
    if (conv) {
      queueXReply(core.ctx, { conversationId: conv, text: 'one' });
      queueXReply(core.ctx, { conversationId: conv, text: 'two' });
      server.inject('POST /2/tweets', { kind: 'drop-after' }, { kind: 'status', status: 400 });
      reports.push(await processXOutbox(core.ctx));
    }

    const text = JSON.stringify(reports);
    for (const s of secrets) expect(text, `report leaks ${s}`).not.toContain(s);
    // Every text value in every table.
    const tables = (core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    for (const table of tables) {
      const rows = core.db.prepare(`SELECT * FROM "${table}"`).all();
      const dump = JSON.stringify(rows);
      for (const s of secrets) expect(dump, `${table} holds ${s}`).not.toContain(s);
    }
    expect(tables).toContain('sync_state');
    const errors = core.db.prepare('SELECT last_error FROM sync_state WHERE last_error IS NOT NULL').all();
    expect(errors.length).toBeGreaterThan(0);
    core.dispose();
    disposed = true;
    // Every file on disk (the database and its WAL, the logs), byte for byte; only the secret store holds them.
    const files = (fs.readdirSync(t.dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(t.dir, f)).isFile());
    expect(files.some((f) => f.startsWith('logs'))).toBe(true);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(t.dir, f)).toString('latin1');
      const holds = secrets.filter((s) => bytes.includes(s));
      if (f === 'credentials.json') expect(holds.length).toBeGreaterThan(0);
      else expect(holds, f).toEqual([]);
    }
  });
});
