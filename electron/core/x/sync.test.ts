import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { getSyncCursor, updateAccount } from '../db/repos/accounts';
import { ensureConversation, refreshConversation } from '../db/repos/conversations';
import { ensureEmailIdentity } from '../db/repos/customers';
import { insertMessage } from '../db/repos/messages';
import { tempDir } from '../testing/tmp';
import { createXAccount, getXAccount, loadCredentials, type XAccountConfig } from './account';
import type { XCredentials } from './client';
import { syncXAccount, type XSyncReport } from './sync';
import { smallData } from './testing/fixtures';
import type { XTweet } from './types';
import { getUsage } from './usage';
import { startXServer, type XServerOptions, type XTestServer } from './testing/server';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Env {
  core: Core;
  server: XTestServer;
  accountId: number;
  clock: { now: number };
  sync(): Promise<XSyncReport>;
}

async function env(o: { server?: Partial<XServerOptions>; creds?: XCredentials; config?: XAccountConfig } = {}): Promise<Env> {
  const clock = { now: Date.UTC(2024, 0, 10, 12) };
  const server = await startXServer({ data: smallData(), now: () => clock.now, ...o.server });
  cleanups.push(() => server.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir, now: () => clock.now });
  cleanups.push(() => core.dispose());
  const acc = createXAccount(core.ctx, {
    name: 'Shop on X',
    credentials: o.creds ?? { kind: 'oauth2', accessToken: 'test-token' },
    config: { apiBase: server.url, pageSize: 10, watchedQueries: ['jackets'], ...o.config },
  });
  // A fake clock: waits move it instead of sleeping; jitter is fixed.
  const sync = () =>
    syncXAccount(core.ctx, acc.id, {
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
      random: () => 0.5,
    });
  return { core, server, accountId: acc.id, clock, sync };
}

const getXUsage = (e: Env) => getUsage(e.core.db, e.accountId, e.clock.now);

const count = (core: Core, where = '1') => (core.db.prepare(`SELECT count(*) AS n FROM messages WHERE channel = 'x' AND ${where}`).get() as { n: number }).n;

describe('X sync through twitter-api-v2 against the local server', () => {
  it('first sync: me, mentions (paginated), watched search, DMs; cursors saved; usage metered', async () => {
    const e = await env();
    const changed: number[] = [];
    e.core.events.subscribe((evt) => {
      if (evt.name === 'messages.changed') changed.push(...evt.payload.conversationIds); // what linking re-scores
    });
    const r = await e.sync();
    expect(r.ok).toBe(true);
    expect(new Set(changed)).toEqual(new Set((e.core.db.prepare("SELECT id FROM conversations WHERE channel = 'x'").all() as { id: number }[]).map((c) => c.id)));
    expect(r.self).toEqual({ id: '1000', username: 'shop', name: 'Shop' });
    const byScope = Object.fromEntries(r.scopes.map((s) => [s.scope, s]));
    expect(byScope['x:mentions']).toMatchObject({ pages: 3, items: 25, inserted: 25, status: 'ok' });
    expect(byScope['x:search:jackets']).toMatchObject({ pages: 1, inserted: 1, status: 'ok' });
    expect(byScope['x:dm_events']).toMatchObject({ pages: 1, items: 7, inserted: 7, status: 'ok' });
    expect(count(e.core)).toBe(33);
    expect(count(e.core, "kind = 'dm' AND direction = 'out'")).toBe(2);
    // Pagination: the second and third mentions requests carried the token of the page before.
    const mentionReqs = e.server.requests.filter((q) => q.route === 'GET /2/users/:id/mentions');
    expect(mentionReqs.map((q) => q.query.pagination_token !== undefined)).toEqual([false, true, true]);
    expect(mentionReqs[0]!.query.expansions).toContain('author_id');
    expect(mentionReqs[0]!.auth).toBe('Bearer test-token');
    expect(getSyncCursor(e.core.db, e.accountId, 'x:mentions', {})).toEqual({ sinceId: '1724' });
    expect(getSyncCursor(e.core.db, e.accountId, 'x:dm_events', {})).toEqual({ newestId: '9006' });
    // The account learned who it is.
    expect(getXAccount(e.core.ctx, e.accountId)).toMatchObject({ xUserId: '1000', address: 'shop' });
    // Authors became identities with their profile.
    const alice = e.core.db.prepare("SELECT handle, profile FROM identities WHERE x_user_id = '2001'").get() as { handle: string; profile: string };
    expect(alice.handle).toBe('alice');
    expect(JSON.parse(alice.profile)).toMatchObject({ description: 'hiker', location: 'Oslo' });
    // Usage: 26 posts, 7 DM events read; 5 GET requests + me.
    expect(r.usage).toMatchObject({ postsRead: 26, dmEventsRead: 7, requests: 6 });
    expect(r.usage.spendUsd).toBeGreaterThan(0);
    // Rate-limit windows from the headers are kept per endpoint.
    const limits = getSyncCursor<Record<string, { remaining: number }>>(e.core.db, e.accountId, 'x:limits', {});
    expect(limits['GET /2/users/:id/mentions']!.remaining).toBe(897);
  });

  it('incremental: since_id for mentions and search, DM pages stop at the newest known event', async () => {
    const e = await env();
    await e.sync();
    const before = e.server.requests.length;
    e.clock.now += 60_000;
    const alice = { id: '2001', name: 'Alice Smith', username: 'alice_s', description: 'hiker and runner', location: 'Bergen' };
    e.server.addTweet(
      { text: '@shop any news? my jackets order', author_id: '2001', in_reply_to_user_id: '1000', entities: { mentions: [{ start: 0, end: 5, username: 'shop', id: '1000' }] } },
      alice,
    );
    e.server.addDm({ text: 'hello again', sender_id: '2001', dm_conversation_id: '1000-2001' });
    const r = await e.sync();
    const reqs = e.server.requests.slice(before);
    const m = reqs.filter((q) => q.route === 'GET /2/users/:id/mentions');
    expect(m.map((q) => q.query.since_id)).toEqual(['1724']);
    const s = reqs.filter((q) => q.route === 'GET /2/tweets/search/recent');
    expect(s.map((q) => q.query.since_id)).toEqual(['1800']);
    expect(reqs.filter((q) => q.route === 'GET /2/dm_events').length).toBe(1);
    const byScope = Object.fromEntries(r.scopes.map((x) => [x.scope, x]));
    expect(byScope['x:mentions']!.inserted).toBe(1);
    expect(byScope['x:search:jackets']!.inserted).toBe(0); // the same post: stored once
    expect(byScope['x:search:jackets']!.duplicates).toBe(1);
    expect(byScope['x:dm_events']!.inserted).toBe(1);
    // The profile change is applied.
    const row = e.core.db.prepare("SELECT handle, names, profile FROM identities WHERE x_user_id = '2001'").get() as { handle: string; names: string; profile: string };
    expect(row.handle).toBe('alice_s');
    expect(JSON.parse(row.names)).toEqual(['Alice', 'Alice Smith']);
    expect(JSON.parse(row.profile)).toMatchObject({ description: 'hiker and runner', location: 'Bergen' });
    // Nothing new → nothing stored, one request per scope.
    const again = await e.sync();
    expect(again.inserted).toBe(0);
  });

  it('429: waits until the reset and continues; a reset beyond the wait limit defers the scope', async () => {
    const e = await env();
    e.server.inject('GET /2/users/:id/mentions', { kind: 'rate-limit', resetInSec: 30 });
    const t0 = e.clock.now;
    const r = await e.sync();
    expect(r.ok).toBe(true);
    expect(r.scopes.find((s) => s.scope === 'x:mentions')).toMatchObject({ status: 'ok', inserted: 25 });
    expect(e.clock.now - t0).toBeGreaterThanOrEqual(30_000);
    const statuses = e.server.requests.filter((q) => q.route === 'GET /2/users/:id/mentions').map((q) => q.status);
    expect(statuses).toEqual([429, 200, 200, 200]);

    // An hour away: this run stops that scope (others go on), nothing is lost, the next run catches up.
    e.server.addTweet({ text: '@shop hello', author_id: '2002', in_reply_to_user_id: '1000' });
    e.server.inject('GET /2/users/:id/mentions', { kind: 'rate-limit', resetInSec: 3600 });
    const d = await e.sync();
    const ms = d.scopes.find((s) => s.scope === 'x:mentions')!;
    expect(ms.status).toBe('deferred');
    expect(d.retryAt).toBeGreaterThan(e.clock.now + 3_500_000);
    expect(getSyncCursor(e.core.db, e.accountId, 'x:mentions', {})).toEqual({ sinceId: '1724' });
    // Before the reset the scheduler does not even ask (it never exceeds a known window).
    const n = e.server.requests.length;
    const d2 = await e.sync();
    expect(d2.scopes.find((s) => s.scope === 'x:mentions')!.status).toBe('deferred');
    expect(e.server.requests.slice(n).filter((q) => q.route === 'GET /2/users/:id/mentions').length).toBe(0);
    e.clock.now = d.retryAt! + 1000;
    const d3 = await e.sync();
    expect(d3.scopes.find((s) => s.scope === 'x:mentions')).toMatchObject({ status: 'ok', inserted: 1 });
  });

  it('500 then success: backs off with jitter and retries', async () => {
    const e = await env();
    e.server.inject('GET /2/dm_events', { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const t0 = e.clock.now;
    const r = await e.sync();
    expect(r.scopes.find((s) => s.scope === 'x:dm_events')).toMatchObject({ status: 'ok', inserted: 7 });
    expect(r.retries).toBe(2);
    // Backoff 1 s then 2 s ceilings, jitter 0.5 → 750 ms + 1500 ms.
    expect(e.clock.now - t0).toBe(2250);
    expect(e.server.requests.filter((q) => q.route === 'GET /2/dm_events').map((q) => q.status)).toEqual([500, 503, 200]);
  });

  it('a stalled request times out and is retried', async () => {
    const e = await env({ config: { timeoutMs: 300 } });
    e.server.inject('GET /2/dm_events', { kind: 'delay', ms: 1500 });
    const r = await e.sync();
    expect(r.scopes.find((s) => s.scope === 'x:dm_events')).toMatchObject({ status: 'ok', inserted: 7 });
    expect(r.retries).toBe(1);
  });

  it('malformed JSON: retried; when it persists the scope fails with a clear error and nothing of it is half-written', async () => {
    const e = await env();
    e.server.inject('GET /2/dm_events', { kind: 'malformed' });
    const ok = await e.sync();
    expect(ok.scopes.find((s) => s.scope === 'x:dm_events')).toMatchObject({ status: 'ok', inserted: 7 });

    const f = await env();
    // Page 2 of mentions is broken on every attempt.
    f.server.inject('GET /2/users/:id/mentions', { kind: 'delay', ms: 0 });
    f.server.inject('GET /2/users/:id/mentions', { kind: 'malformed' }, { kind: 'malformed' }, { kind: 'malformed' }, { kind: 'malformed' });
    const r = await f.sync();
    const m = r.scopes.find((s) => s.scope === 'x:mentions')!;
    expect(m.status).toBe('error');
    expect(m.error).toMatch(/GET \/2\/users\/:id\/mentions: malformed JSON in the answer.*after 4 attempts/);
    expect(r.ok).toBe(false);
    // Page 1 is stored whole; nothing from the broken page; the cursor did not move.
    expect(count(f.core, "kind = 'tweet' AND external_id BETWEEN '1700' AND '1724'")).toBe(10);
    expect(getSyncCursor(f.core.db, f.accountId, 'x:mentions', {})).toEqual({});
    const st = f.core.db.prepare("SELECT status, last_error FROM sync_state WHERE scope = 'x:mentions'").get() as { status: string; last_error: string };
    expect(st.status).toBe('error');
    expect(st.last_error).toMatch(/malformed JSON/);
    // DMs and search went on; a later run completes mentions.
    expect(r.scopes.find((s) => s.scope === 'x:dm_events')!.status).toBe('ok');
    const again = await f.sync();
    expect(again.scopes.find((s) => s.scope === 'x:mentions')).toMatchObject({ status: 'ok', inserted: 15, duplicates: 10 });
    expect(getSyncCursor(f.core.db, f.accountId, 'x:mentions', {})).toEqual({ sinceId: '1724' });
  });

  it("stores the business's replies (via referenced posts) as outbound in the customer's conversation", async () => {
    const e = await env();
    const reply = e.server.addTweet({ text: '@alice sorry, DM us', author_id: '1000', conversation_id: '1703', in_reply_to_user_id: '2001', referenced_tweets: [{ type: 'replied_to', id: '1703' }] });
    e.server.addTweet({
      text: '@shop done',
      author_id: '2001',
      conversation_id: '1703',
      in_reply_to_user_id: '1000',
      referenced_tweets: [{ type: 'replied_to', id: reply.id }],
      entities: { mentions: [{ start: 0, end: 5, username: 'shop', id: '1000' }] },
    });
    await e.sync();
    const rows = e.core.db
      .prepare("SELECT m.external_id, m.direction FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = '1703' ORDER BY m.sent_at, m.id")
      .all() as { external_id: string; direction: string }[];
    expect(rows.map((x) => x.direction)).toEqual(['in', 'out', 'in']);
    const conv = e.core.db
      .prepare("SELECT c.last_outbound_at IS NOT NULL AS answered, i.x_user_id FROM conversations c JOIN identities i ON i.customer_id = c.customer_id WHERE c.external_id = '1703'")
      .get();
    expect(conv).toEqual({ answered: 1, x_user_id: '2001' });
  });

  it('refreshes an expired OAuth 2.0 token on 401, stores the new pair, and uses it next time', async () => {
    const e = await env({
      server: { accessTokens: [], oauth2: { clientId: 'cid', refreshTokens: ['r1'] } },
      creds: { kind: 'oauth2', accessToken: 'expired', refreshToken: 'r1', clientId: 'cid' },
    });
    const r = await e.sync();
    expect(r.ok).toBe(true);
    expect(r.inserted).toBe(33);
    const creds = loadCredentials(e.core.ctx, getXAccount(e.core.ctx, e.accountId));
    expect(creds.kind).toBe('oauth2');
    const c2 = creds as Extract<XCredentials, { kind: 'oauth2' }>;
    expect(c2.accessToken).toMatch(/^access-/);
    expect(c2.refreshToken).toMatch(/^refresh-/);
    expect(e.server.requests.filter((q) => q.route === 'POST /2/oauth2/token').length).toBe(1);
    await e.sync();
    expect(e.server.requests.filter((q) => q.route === 'POST /2/oauth2/token').length).toBe(1);
    // A token that cannot be refreshed: a clear 401 per scope, nothing stored.
    const b = await env({ creds: { kind: 'bearer', token: 'nope' } });
    const rb = await b.sync();
    expect(rb.ok).toBe(false);
    expect(rb.scopes[0]!.error).toMatch(/HTTP 401 Unauthorized/);
  });

  it('pauses polling before the monthly cap is crossed', async () => {
    const e = await env({ config: { monthlyCapUsd: 0.2 } });
    const r = await e.sync();
    // me costs 0.01; a page of 10 posts could cost 10*2*0.005 + 10*0.01 = 0.2 → over the cap.
    expect(r.scopes.find((s) => s.scope === 'x:mentions')!.status).toBe('capped');
    expect(e.server.requests.filter((q) => q.route === 'GET /2/users/:id/mentions').length).toBe(0);
    expect(r.usage.spendUsd).toBeLessThanOrEqual(0.2);
    updateAccount(e.core.db, e.accountId, { config: { ...getXAccount(e.core.ctx, e.accountId).config, monthlyCapUsd: null } });
    const r2 = await e.sync();
    expect(r2.scopes.find((s) => s.scope === 'x:mentions')!.status).toBe('ok');
  });

  it('remaining 0 in the x-rate-limit headers: waits for the reset before the next call of that endpoint, never draws a 429', async () => {
    // Two mentions requests per 30 s window; the first sync needs three pages.
    const e = await env({ server: { rateLimits: { 'GET /2/users/:id/mentions': { limit: 2, windowSec: 30 } } } });
    const t0 = e.clock.now;
    const r = await e.sync();
    expect(r.scopes.find((s) => s.scope === 'x:mentions')).toMatchObject({ status: 'ok', pages: 3, inserted: 25 });
    const calls = e.server.requests.filter((q) => q.route === 'GET /2/users/:id/mentions');
    expect(calls.map((q) => q.status)).toEqual([200, 200, 200]);
    expect(e.server.requests.some((q) => q.status === 429)).toBe(false);
    // It waited out the window (reset + 1 s) instead of asking early.
    expect(e.clock.now - t0).toBeGreaterThanOrEqual(30_000);
    expect(r.retries).toBe(0);
  });

  it('network errors (connection dropped) back off with jitter and retry; after maxAttempts the scope fails with the network error', async () => {
    const e = await env();
    e.server.inject('GET /2/dm_events', { kind: 'drop' }, { kind: 'drop' });
    const t0 = e.clock.now;
    const r = await e.sync();
    expect(r.scopes.find((s) => s.scope === 'x:dm_events')).toMatchObject({ status: 'ok', inserted: 7 });
    expect(r.retries).toBe(2);
    expect(e.clock.now - t0).toBe(750 + 1500);
    expect(e.server.requests.filter((q) => q.route === 'GET /2/dm_events').map((q) => q.status)).toEqual([-1, -1, 200]);

    const f = await env();
    f.server.inject('GET /2/dm_events', { kind: 'drop' }, { kind: 'drop' }, { kind: 'drop' }, { kind: 'drop' });
    const rf = await f.sync();
    const dm = rf.scopes.find((s) => s.scope === 'x:dm_events')!;
    expect(dm.status).toBe('error');
    expect(dm.error).toMatch(/GET \/2\/dm_events: network error: .*after 4 attempts/);
    expect(count(f.core, "kind = 'dm'")).toBe(0);
  });

  it('watched searches: a query added later starts without since_id, known ones keep theirs, a removed one is no longer asked', async () => {
    const e = await env();
    await e.sync();
    expect(getSyncCursor(e.core.db, e.accountId, 'x:search:jackets', {})).toEqual({ sinceId: '1800' });
    e.server.addTweet({ text: 'the shop boots fell apart', author_id: '2002' });
    const setQueries = (q: string[]) => updateAccount(e.core.db, e.accountId, { config: { ...getXAccount(e.core.ctx, e.accountId).config, watchedQueries: q } });
    setQueries(['jackets', 'boots']);
    let n = e.server.requests.length;
    const r = await e.sync();
    const searches = () => e.server.requests.slice(n).filter((q) => q.route === 'GET /2/tweets/search/recent');
    expect(searches().map((q) => [q.query.query, q.query.since_id])).toEqual([
      ['jackets -is:retweet', '1800'],
      ['boots -is:retweet', undefined],
    ]);
    expect(r.scopes.find((s) => s.scope === 'x:search:boots')).toMatchObject({ status: 'ok', inserted: 1 });
    const boots = getSyncCursor<{ sinceId?: string }>(e.core.db, e.accountId, 'x:search:boots', {});
    expect(boots.sinceId).toBeDefined();
    setQueries(['boots']);
    n = e.server.requests.length;
    const r2 = await e.sync();
    expect(searches().map((q) => [q.query.query, q.query.since_id])).toEqual([['boots -is:retweet', boots.sinceId]]);
    expect(r2.scopes.map((s) => s.scope)).not.toContain('x:search:jackets');
  });

  it('a changed author profile updates the X identity, and linking sees the change', async () => {
    const e = await env();
    // An email customer whose address is not yet anywhere on X.
    const who = ensureEmailIdentity(e.core.db, { address: 'alice.smith@fjordmail.example', name: 'Alice Smith' });
    const conv = ensureConversation(e.core.db, { channel: 'email', kind: 'email', externalId: 'a1@fjordmail.example', customerId: who.customerId, subject: 'My jacket order' });
    insertMessage(e.core.db, {
      conversationId: conv,
      channel: 'email',
      kind: 'email',
      externalId: 'a1@fjordmail.example',
      direction: 'in',
      sentAt: Date.UTC(2023, 11, 20),
      subject: 'My jacket order',
      text: 'Hello, my jacket never arrived.',
      authorIdentityId: who.id,
    });
    refreshConversation(e.core.db, conv);
    await e.sync();
    const identityId = (e.core.db.prepare("SELECT id FROM identities WHERE x_user_id = '2001'").get() as { id: number }).id;
    await e.core.call('links.refresh', {});
    const before = (await e.core.call('links.list', { identityId }))[0]!;
    expect(before.displayName).toBe('Alice');
    const candidate = (l: typeof before) => [...(l.linked ? [l.linked] : []), ...l.suggestions].find((c) => c.customerId === who.customerId);
    const scoreBefore = candidate(before)?.score ?? 0;
    // Before: at most a weak suggestion from the first name.
    expect(before.linked).toBeNull();
    expect(candidate(before)?.evidence.join(' ') ?? '').not.toMatch(/bio/);

    // A later page: Alice renamed herself, changed handle, and put her email address in her bio.
    e.clock.now += 60_000;
    e.server.addTweet(
      { text: '@shop still waiting', author_id: '2001', in_reply_to_user_id: '1000', entities: { mentions: [{ start: 0, end: 5, username: 'shop', id: '1000' }] } },
      { id: '2001', name: 'Alice Smith', username: 'alice_smith', description: 'hiker, write to alice.smith@fjordmail.example', location: 'Bergen', url: 'https://fjordmail.example' },
    );
    await e.sync();
    const row = e.core.db.prepare('SELECT handle, display_name, profile FROM identities WHERE id = ?').get(identityId) as { handle: string; display_name: string; profile: string };
    expect(row).toMatchObject({ handle: 'alice_smith', display_name: 'Alice Smith' });
    expect(JSON.parse(row.profile)).toMatchObject({ description: 'hiker, write to alice.smith@fjordmail.example', location: 'Bergen', url: 'https://fjordmail.example' });
    await e.core.call('links.refresh', {});
    const after = (await e.core.call('links.list', { identityId }))[0]!;
    expect(after).toMatchObject({ handle: 'alice_smith', displayName: 'Alice Smith' });
    const c = candidate(after)!;
    expect(c).toBeDefined();
    expect(c.score).toBeGreaterThan(scoreBefore);
    expect(after.linked?.customerId).toBe(who.customerId);
    expect(c.evidence.join(' ')).toMatch(/alice\.smith@fjordmail\.example is written in the X bio/);
    expect(c.evidence.join(' ')).toMatch(/handle @alice_smith/);
  });

  it('users/me once a day, not every poll; repeated polls never cross the monthly cap', async () => {
    const e = await env({ config: { monthlyCapUsd: 0.2 } });
    const meCalls = () => e.server.requests.filter((q) => q.route === 'GET /2/users/me').length;
    for (let i = 0; i < 40; i++) {
      const r = await e.sync();
      expect(r.usage.spendUsd).toBeLessThanOrEqual(0.2);
      e.clock.now += 300_000; // a poll every 5 minutes
    }
    expect(meCalls()).toBe(1);
    // A day later the handle is checked again (still under the cap).
    e.clock.now += 24 * 3600_000;
    const later = await e.sync();
    expect(meCalls()).toBe(2);
    expect(later.scopes.find((s) => s.scope === 'x:me')).toMatchObject({ status: 'ok' });
    // With the cap reached, not even users/me is asked.
    updateAccount(e.core.db, e.accountId, { config: { ...getXAccount(e.core.ctx, e.accountId).config, monthlyCapUsd: later.usage.spendUsd } });
    e.clock.now += 25 * 3600_000;
    const n = e.server.requests.length;
    const capped = await e.sync();
    expect(e.server.requests.length).toBe(n);
    expect(capped.scopes.map((s) => s.status)).toEqual(['capped', 'capped', 'capped', 'capped']);
    expect(capped.usage.spendUsd).toBe(later.usage.spendUsd);
  });

  it('an app-only bearer token with a saved user id syncs without asking users/me', async () => {
    const e = await env({ creds: { kind: 'bearer', token: 'test-token' } });
    updateAccount(e.core.db, e.accountId, { xUserId: '1000', address: 'shop' });
    const r = await e.sync();
    expect(r.ok).toBe(true);
    expect(r.scopes.map((s) => s.scope)).toEqual(['x:mentions', 'x:search:jackets', 'x:dm_events']);
    expect(e.server.requests.filter((q) => q.route === 'GET /2/users/me').length).toBe(0);
    expect(r.inserted).toBe(33);
  });

  it('renews an OAuth 2.0 token that is about to expire before the first request', async () => {
    const e = await env({
      server: { accessTokens: ['old-token'], oauth2: { clientId: 'cid', refreshTokens: ['r1'] } },
      creds: { kind: 'oauth2', accessToken: 'old-token', refreshToken: 'r1', clientId: 'cid', expiresAt: Date.UTC(2024, 0, 10, 12) + 30_000 },
    });
    const r = await e.sync();
    expect(r.ok).toBe(true);
    expect(e.server.requests[0]!.route).toBe('POST /2/oauth2/token');
    expect(e.server.requests.slice(1).every((q) => q.auth !== 'Bearer old-token')).toBe(true);
    const c = loadCredentials(e.core.ctx, getXAccount(e.core.ctx, e.accountId)) as Extract<XCredentials, { kind: 'oauth2' }>;
    expect(c.refreshToken).toMatch(/^refresh-/);
    expect(c.expiresAt).toBe(e.clock.now + 7200_000);
  });

  it('the cap holds when expansions make pages dearer: posts quoting and replying to others, pages shrink near the cap', async () => {
    // 30 mentions, each replying to one post and quoting another, all by different people: a page of
    // n mentions reads up to 3n posts and 4n users.
    const users = Array.from({ length: 120 }, (_, i) => ({ id: String(3000 + i), name: `User ${i}`, username: `user${i}` }));
    const tweets: XTweet[] = [];
    for (let i = 0; i < 30; i++) {
      const at = (k: number) => new Date(Date.UTC(2024, 0, 5, 0, i, k)).toISOString();
      tweets.push({ id: String(5000 + 3 * i), text: `original ${i}`, author_id: users[4 * i + 1]!.id, created_at: at(0), conversation_id: String(5000 + 3 * i) });
      tweets.push({ id: String(5001 + 3 * i), text: `quoted ${i}`, author_id: users[4 * i + 2]!.id, created_at: at(1), conversation_id: String(5001 + 3 * i) });
      tweets.push({
        id: String(6000 + i),
        text: `@shop look at this ${i}`,
        author_id: users[4 * i]!.id,
        created_at: at(2),
        conversation_id: String(5000 + 3 * i),
        in_reply_to_user_id: users[4 * i + 3]!.id,
        referenced_tweets: [
          { type: 'replied_to', id: String(5000 + 3 * i) },
          { type: 'quoted', id: String(5001 + 3 * i) },
        ],
        entities: { mentions: [{ start: 0, end: 5, username: 'shop', id: '1000' }] },
      });
    }
    const data = { ...smallData(), users: [...smallData().users, ...users], tweets, dmEvents: [] };
    const e = await env({ server: { data }, config: { monthlyCapUsd: 1, pageSize: 20, watchedQueries: [] } });
    for (let i = 0; i < 5; i++) {
      const r = await e.sync();
      expect(r.usage.spendUsd).toBeLessThanOrEqual(1);
      e.clock.now += 300_000;
    }
    const reqs = e.server.requests.filter((q) => q.route === 'GET /2/users/:id/mentions');
    // One page, sized so that even its worst case fits: (1 - 0.01 for users/me) / (3 × 0.005 + 4 × 0.01) = 18.
    // (A page of 20 would have read 60 posts and 80 users: $1.11, over the cap.) Then paused.
    expect(reqs.map((q) => Number(q.query.max_results))).toEqual([18]);
    const usage = getXUsage(e);
    expect(usage).toMatchObject({ postsRead: 54, usersRead: 73 });
    expect(usage.spendUsd).toBeLessThanOrEqual(1);
    const last = await e.sync();
    expect(last.scopes.find((x) => x.scope === 'x:mentions')!.status).toBe('capped');
  });
});
