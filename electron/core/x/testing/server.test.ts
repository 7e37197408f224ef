import fs from 'node:fs';
import path from 'node:path';
import { ApiResponseError } from 'twitter-api-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClient, refreshOAuth2 } from '../client';
import { loadOpenApi } from './openapi';
import { smallData } from './fixtures';
import { startXServer, type XTestServer } from './server';

const SHARED = path.resolve(__dirname, '../../../../../shared');
const SPEC = path.join(SHARED, 'x-api/subset-openapi.json');
const LINKSET_X = path.join(SHARED, 'linkset-dev/x');
if (!fs.existsSync(SPEC)) console.warn('skipping X server schema tests: ../shared/x-api/subset-openapi.json not found');

const servers: XTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(opts: Parameters<typeof startXServer>[0] = {}): Promise<XTestServer> {
  const s = await startXServer({ data: smallData(), ...opts });
  servers.push(s);
  return s;
}

async function get(s: XTestServer, p: string, token = 'test-token') {
  const r = await fetch(`${s.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', headers: r.headers, body: (await r.json()) as Record<string, unknown> };
}

describe.skipIf(!fs.existsSync(SPEC))('local X API v2 server: documented shapes', () => {
  const spec = fs.existsSync(SPEC) ? loadOpenApi(SPEC) : null;
  const valid = (op: string, r: { status: number; type: string; body: unknown }) => {
    expect(spec!.check(op, r.status, r.body, r.type), `${op} ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`).toEqual([]);
  };

  it('answers every endpoint with bodies valid against the OpenAPI subset, with rate-limit headers', async () => {
    const s = await start();
    const me = await get(s, '/2/users/me?user.fields=description,location');
    valid('GET /2/users/me', me);
    expect(me.headers.get('x-rate-limit-limit')).toBe('900');
    expect(me.headers.get('x-rate-limit-remaining')).toBe('899');
    expect(Number(me.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const fields = 'tweet.fields=created_at,conversation_id,in_reply_to_user_id,referenced_tweets,entities,author_id&expansions=author_id,referenced_tweets.id&user.fields=description,location,url';
    const p1 = await get(s, `/2/users/1000/mentions?max_results=10&${fields}`);
    valid('GET /2/users/{id}/mentions', p1);
    const meta = p1.body.meta as { result_count: number; newest_id: string; oldest_id: string; next_token: string };
    expect(meta.result_count).toBe(10);
    expect(meta.newest_id).toBe('1724');
    expect((p1.body.includes as { users: unknown[] }).users.length).toBe(2);
    // Follow next_token to the end: every mention once, newest first.
    const seen: string[] = ((p1.body.data as { id: string }[]) ?? []).map((t) => t.id);
    let token: string | undefined = meta.next_token;
    while (token) {
      const p = await get(s, `/2/users/1000/mentions?max_results=10&pagination_token=${token}&${fields}`);
      valid('GET /2/users/{id}/mentions', p);
      seen.push(...(p.body.data as { id: string }[]).map((t) => t.id));
      token = (p.body.meta as { next_token?: string }).next_token;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(1724 - i)));
    // since_id: only newer; empty result is {meta:{result_count:0}}.
    const since = await get(s, '/2/users/1000/mentions?since_id=1721');
    valid('GET /2/users/{id}/mentions', since);
    expect((since.body.data as { id: string }[]).map((t) => t.id)).toEqual(['1724', '1723', '1722']);
    const none = await get(s, '/2/users/1000/mentions?since_id=1724');
    expect(none.body).toEqual({ meta: { result_count: 0 } });
    valid('GET /2/users/{id}/mentions', none);

    const search = await get(s, `/2/tweets/search/recent?query=${encodeURIComponent('shop jackets -from:shop')}&${fields}`);
    valid('GET /2/tweets/search/recent', search);
    expect((search.body.data as { id: string }[]).map((t) => t.id)).toEqual(['1800']);

    const dms = await get(s, '/2/dm_events?max_results=3&dm_event.fields=id,event_type,text,sender_id,dm_conversation_id,created_at&expansions=sender_id&user.fields=description');
    valid('GET /2/dm_events', dms);
    expect((dms.body.data as unknown[]).length).toBe(3);
    expect((dms.body.meta as { next_token?: string }).next_token).toBeTruthy();

    const post = await fetch(`${s.url}/2/tweets`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'sorry!', reply: { in_reply_to_tweet_id: '1724' } }),
    });
    const postBody = await post.json();
    expect(post.status).toBe(201);
    valid('POST /2/tweets', { status: 201, type: 'application/json', body: postBody });
    const created = s.getTweet((postBody as { data: { id: string } }).data.id)!;
    expect(created.conversation_id).toBe('1724');
    expect(created.author_id).toBe('1000');

    const dm = await fetch(`${s.url}/2/dm_conversations/with/2001/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello' }),
    });
    expect(dm.status).toBe(201);
    const dmBody = await dm.json();
    valid('POST /2/dm_conversations/with/{participant_id}/messages', { status: 201, type: 'application/json', body: dmBody });
    expect((dmBody as { data: { dm_conversation_id: string } }).data.dm_conversation_id).toBe('1000-2001');

    // Errors: 401, 400 invalid parameter, 429 with reset.
    const unauth = await get(s, '/2/users/me', 'wrong');
    expect(unauth.status).toBe(401);
    expect(unauth.type).toContain('application/problem+json');
    valid('GET /2/users/me', unauth);
    const bad = await get(s, '/2/users/1000/mentions?max_results=1');
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe('Invalid Request');
    valid('GET /2/users/{id}/mentions', bad);
    s.inject('GET /2/users/:id/mentions', { kind: 'rate-limit', resetInSec: 30 });
    const limited = await get(s, '/2/users/1000/mentions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    valid('GET /2/users/{id}/mentions', limited);
  });

  it('DM endpoints and error answers (400, 429 with reset, 5xx) are valid too', async () => {
    let now = Date.UTC(2024, 0, 10);
    const s = await start({ now: () => now });
    const post = (p: string, body: unknown) =>
      fetch(`${s.url}${p}`, { method: 'POST', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        type: r.headers.get('content-type') ?? '',
        body: (await r.json()) as Record<string, unknown>,
      }));
    const withAlice = await get(s, '/2/dm_conversations/with/2001/dm_events?dm_event.fields=id,event_type,text,sender_id,dm_conversation_id,created_at&expansions=sender_id');
    expect(withAlice.status).toBe(200);
    valid('GET /2/dm_conversations/with/{participant_id}/dm_events', withAlice);
    expect((withAlice.body.data as { dm_conversation_id: string }[]).every((e) => e.dm_conversation_id === '1000-2001')).toBe(true);
    // An empty DM and an empty post are refused with a problem document.
    const emptyDm = await post('/2/dm_conversations/with/2001/messages', { text: '' });
    expect(emptyDm.status).toBe(400);
    expect(emptyDm.type).toContain('application/problem+json');
    valid('POST /2/dm_conversations/with/{participant_id}/messages', emptyDm);
    const emptyPost = await post('/2/tweets', {});
    expect(emptyPost.status).toBe(400);
    valid('POST /2/tweets', emptyPost);
    // 429 on the DM list carries its reset; after it the endpoint answers again.
    s.inject('GET /2/dm_events', { kind: 'rate-limit', resetInSec: 45 });
    const limited = await get(s, '/2/dm_events');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(limited.headers.get('x-rate-limit-reset')).toBe(String(now / 1000 + 45));
    valid('GET /2/dm_events', limited);
    expect((await get(s, '/2/dm_events')).status).toBe(429); // the window is closed until the reset
    now += 46_000;
    expect((await get(s, '/2/dm_events')).status).toBe(200);
    // 503 on a post and 500 on the search: problem documents of the default response.
    s.inject('POST /2/tweets', { kind: 'status', status: 503 });
    const busy = await post('/2/tweets', { text: 'hi' });
    expect(busy.status).toBe(503);
    valid('POST /2/tweets', busy);
    s.inject('GET /2/tweets/search/recent', { kind: 'status', status: 500 });
    const broken = await get(s, '/2/tweets/search/recent?query=shop');
    expect(broken.status).toBe(500);
    valid('GET /2/tweets/search/recent', broken);
    // A since_id that is not an id: 400 naming the parameter.
    const badSince = await get(s, '/2/tweets/search/recent?query=shop&since_id=abc');
    expect(badSince.status).toBe(400);
    valid('GET /2/tweets/search/recent', badSince);
    expect(JSON.stringify(badSince.body)).toMatch(/since_id/);
  });

  it('enforces its rate-limit window', async () => {
    let now = Date.UTC(2024, 0, 10);
    const s = await start({ rateLimits: { 'GET /2/users/me': { limit: 2, windowSec: 60 } }, now: () => now });
    expect((await get(s, '/2/users/me')).status).toBe(200);
    expect((await get(s, '/2/users/me')).status).toBe(200);
    const third = await get(s, '/2/users/me');
    expect(third.status).toBe(429);
    expect(third.headers.get('x-rate-limit-reset')).toBe(String(now / 1000 + 60));
    now += 61_000;
    expect((await get(s, '/2/users/me')).status).toBe(200);
  });

  it.skipIf(!fs.existsSync(LINKSET_X))('serves the pages of ../shared/linkset-dev/x', async () => {
    const s = await start({ data: undefined, dir: LINKSET_X });
    const r = await get(s, '/2/users/1341654776018071790/mentions?max_results=100&expansions=author_id&tweet.fields=author_id,created_at,conversation_id');
    valid('GET /2/users/{id}/mentions', r);
    expect((r.body.meta as { result_count: number }).result_count).toBe(100);
    const d = await get(s, '/2/dm_events?dm_event.fields=sender_id,dm_conversation_id,created_at&expansions=sender_id');
    valid('GET /2/dm_events', d);
    expect((d.body.meta as { result_count: number }).result_count).toBe(29);
  });
});

describe('local X API v2 server driven by twitter-api-v2', () => {
  it('paginates mentions, searches, lists DMs, replies and sends DMs through the real client', async () => {
    const s = await start();
    const c = makeClient({ kind: 'oauth2', accessToken: 'test-token' }, { apiBase: s.url });
    const me = await c.v2.me();
    expect(me.data.username).toBe('shop');
    const pg = await c.v2.userMentionTimeline('1000', { max_results: 10, expansions: ['author_id'] });
    await pg.fetchLast(100);
    expect(pg.tweets.length).toBe(25);
    expect(pg.includes.author(pg.tweets[0]!)?.username).toBeDefined();
    const search = await c.v2.search('jackets', { max_results: 10 });
    expect(search.tweets.map((t) => t.id)).toEqual(['1800']);
    const dms = await c.v2.listDmEvents({ max_results: 3 });
    await dms.fetchLast(100);
    expect(dms.events.length).toBe(7);
    const reply = await c.v2.reply('on it', '1703');
    expect(s.getTweet(reply.data.id)!.conversation_id).toBe('1703');
    // The library types the answer flat; the API (and this server) wrap it in data.
    const dm = (await c.v2.sendDmToParticipant('2002', { text: 'hi bob' })) as unknown as { data: { dm_conversation_id: string } };
    expect(dm.data.dm_conversation_id).toBe('1000-2002');
    expect(s.requests.filter((r) => r.route === 'GET /2/users/:id/mentions').length).toBe(3);
  });

  it('surfaces 429 with its reset, 5xx, malformed JSON and dropped connections as client errors', async () => {
    const s = await start();
    const c = makeClient({ kind: 'bearer', token: 'test-token' }, { apiBase: s.url });
    s.inject('GET /2/users/me', { kind: 'status', status: 503 }, { kind: 'malformed' }, { kind: 'drop' }, { kind: 'rate-limit', resetInSec: 42 });
    const e2 = (await c.v2.me().catch((e: unknown) => e)) as ApiResponseError;
    expect(e2.code).toBe(503);
    const e3 = (await c.v2.me().catch((e: unknown) => e)) as Error;
    expect(e3).toBeInstanceOf(Error);
    const e4 = (await c.v2.me().catch((e: unknown) => e)) as Error;
    expect(e4).toBeInstanceOf(Error);
    const e1 = await c.v2.me().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ApiResponseError);
    expect((e1 as ApiResponseError).rateLimitError).toBe(true);
    expect((e1 as ApiResponseError).rateLimit?.reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 41);
    // The window stays closed until its reset.
    expect(((await c.v2.me().catch((e: unknown) => e)) as ApiResponseError).code).toBe(429);
    // Other endpoints have their own windows.
    expect((await c.v2.userMentionTimeline('1000')).tweets.length).toBe(10);
  });

  it('refreshes an OAuth 2.0 token (single-use refresh tokens) and accepts OAuth 1.0a', async () => {
    const s = await start({ accessTokens: ['old'], oauth2: { clientId: 'cid', refreshTokens: ['r1'] }, oauth1: { consumerKey: 'ck', accessToken: 'at' } });
    s.revokeToken('old');
    const c = makeClient({ kind: 'oauth2', accessToken: 'old' }, { apiBase: s.url });
    const e = (await c.v2.me().catch((x: unknown) => x)) as ApiResponseError;
    expect(e.code).toBe(401);
    const fresh = await refreshOAuth2({ kind: 'oauth2', accessToken: 'old', refreshToken: 'r1', clientId: 'cid' }, { apiBase: s.url, now: 0 });
    expect(fresh.accessToken).not.toBe('old');
    expect(fresh.refreshToken).not.toBe('r1');
    expect(fresh.expiresAt).toBe(7_200_000);
    expect((await makeClient(fresh, { apiBase: s.url }).v2.me()).data.id).toBe('1000');
    await expect(refreshOAuth2({ kind: 'oauth2', accessToken: 'x', refreshToken: 'r1', clientId: 'cid' }, { apiBase: s.url })).rejects.toThrow();
    const o1 = makeClient({ kind: 'oauth1', appKey: 'ck', appSecret: 's', accessToken: 'at', accessSecret: 's2' }, { apiBase: s.url });
    expect((await o1.v2.me()).data.id).toBe('1000');
  });
});
