// A local X API v2 server for tests and the demo (plain node:http). It answers the endpoints Canary
// uses with the documented v2 shapes (data / includes / meta, RFC 7807 problems, x-rate-limit-*
// headers), keeps posts and DM events in memory (loaded from pages like ../shared/linkset-dev/x/ or
// given directly), honours since_id / until_id / max_results / pagination tokens / field and
// expansion parameters, accepts posts and DMs, refreshes OAuth 2.0 tokens, and injects faults
// (429 with a reset, 5xx, malformed JSON, dropped connections) on demand.
//
// Point twitter-api-v2 at it with the base-URL plugin (../client.ts) and an http Agent.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { compareIds, makeSnowflake, tweetLength } from '../text';
import type { XDmEvent, XTweet, XUser } from '../types';

export interface XServerData {
  me: XUser;
  /** Posts of every kind: mentions, replies by the business, posts found by search. */
  tweets: XTweet[];
  users: XUser[];
  dmEvents: XDmEvent[];
}

export type XFault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'rate-limit'; resetInSec: number }
  | { kind: 'malformed' }
  | { kind: 'drop' }
  /** The request is carried out (a post is created, a DM sent), then the connection is cut before the answer. */
  | { kind: 'drop-after' }
  | { kind: 'delay'; ms: number };

export interface RateLimitRule {
  limit: number;
  windowSec: number;
}

export interface XServerOptions {
  /** Initial data; or `dir` with me.json, mentions-*.json, search-*.json, dm_events-*.json. */
  data?: XServerData;
  dir?: string;
  /** Accepted bearer tokens (OAuth 2.0 user tokens or app bearer). Default: ['test-token']. */
  accessTokens?: string[];
  /** OAuth 2.0 refresh: client id and the refresh tokens it accepts. */
  oauth2?: { clientId: string; refreshTokens: string[]; expiresIn?: number };
  /** OAuth 1.0a: accepted consumer key and access token. */
  oauth1?: { consumerKey: string; accessToken: string };
  /** Rate-limit windows per route ("GET /2/users/:id/mentions"); default 900 per 900 s. */
  rateLimits?: Record<string, RateLimitRule>;
  /** Clock in ms (tests move it). */
  now?: () => number;
  port?: number;
}

export interface LoggedRequest {
  method: string;
  route: string;
  path: string;
  query: Record<string, string>;
  auth: string;
  body: unknown;
  status: number;
}

const ROUTES: { method: string; route: string; re: RegExp }[] = [
  { method: 'GET', route: 'GET /2/users/me', re: /^\/2\/users\/me$/ },
  { method: 'GET', route: 'GET /2/users/:id/mentions', re: /^\/2\/users\/([0-9]+)\/mentions$/ },
  { method: 'GET', route: 'GET /2/users/:id', re: /^\/2\/users\/([0-9]+)$/ },
  { method: 'GET', route: 'GET /2/tweets/search/recent', re: /^\/2\/tweets\/search\/recent$/ },
  { method: 'GET', route: 'GET /2/tweets/:id', re: /^\/2\/tweets\/([0-9]+)$/ },
  { method: 'GET', route: 'GET /2/dm_events', re: /^\/2\/dm_events$/ },
  { method: 'GET', route: 'GET /2/dm_conversations/with/:id/dm_events', re: /^\/2\/dm_conversations\/with\/([0-9]+)\/dm_events$/ },
  { method: 'POST', route: 'POST /2/tweets', re: /^\/2\/tweets$/ },
  { method: 'POST', route: 'POST /2/dm_conversations/with/:id/messages', re: /^\/2\/dm_conversations\/with\/([0-9]+)\/messages$/ },
  { method: 'POST', route: 'POST /2/oauth2/token', re: /^\/2\/oauth2\/token$/ },
  { method: 'GET', route: 'GET /i/oauth2/authorize', re: /^\/i\/oauth2\/authorize$/ },
];

const PROBLEM = 'https://api.twitter.com/2/problems/';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.detail ?? body.title));
  }
}

function invalid(detailOrErrors: string, parameters?: Record<string, string[]>): HttpError {
  return new HttpError(400, {
    errors: [{ parameters: parameters ?? {}, message: detailOrErrors }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: `${PROBLEM}invalid-request`,
  });
}

/** Read pages in the layout of ../shared/linkset-dev/x/ into server data. */
export function loadXDir(dir: string): XServerData {
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
  const files = fs.readdirSync(dir).sort();
  if (!files.includes('me.json')) throw new Error(`${dir}: no me.json`);
  const me = (read('me.json') as { data: XUser }).data;
  const tweets = new Map<string, XTweet>();
  const users = new Map<string, XUser>([[me.id, me]]);
  const dms = new Map<string, XDmEvent>();
  for (const f of files) {
    if (!/\.json$/.test(f) || f === 'me.json') continue;
    const page = read(f) as { data?: unknown[]; includes?: { users?: XUser[]; tweets?: XTweet[] } };
    for (const u of page.includes?.users ?? []) users.set(u.id, u);
    if (/^dm_events/.test(f)) for (const e of (page.data ?? []) as XDmEvent[]) dms.set(e.id, e);
    else {
      for (const t of (page.data ?? []) as XTweet[]) tweets.set(t.id, t);
      for (const t of page.includes?.tweets ?? []) if (!tweets.has(t.id)) tweets.set(t.id, t);
    }
  }
  return { me, tweets: [...tweets.values()], users: [...users.values()], dmEvents: [...dms.values()] };
}

const DEFAULT_TWEET_FIELDS = ['id', 'text', 'edit_history_tweet_ids'];
const DEFAULT_USER_FIELDS = ['id', 'name', 'username'];
const DEFAULT_DM_FIELDS = ['id', 'event_type', 'text'];

function pick<T extends object>(obj: T, fields: Set<string>, always: string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (!always.includes(k) && !fields.has(k)) continue;
    if (Array.isArray(v) && v.length === 0) continue; // the spec's arrays have minItems 1
    out[k] = v;
  }
  return out as Partial<T>;
}

function list(q: Record<string, string>, name: string): Set<string> {
  return new Set(
    (q[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function encodeToken(id: string): string {
  return Buffer.from(`before:${id}`).toString('base64url');
}
function decodeToken(token: string, param: string): string {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^before:([0-9]+)$/.exec(s);
  if (!m) throw invalid(`The \`${param}\` query parameter value [${token}] is not valid`, { [param]: [token] });
  return m[1]!;
}

function intParam(q: Record<string, string>, name: string, min: number, max: number, def: number): number {
  if (q[name] === undefined) return def;
  const n = Number(q[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(`The \`${name}\` query parameter value [${q[name]}] is not between ${min} and ${max}`, { [name]: [q[name]] });
  }
  return n;
}

function idParam(q: Record<string, string>, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,19}$/.test(v)) throw invalid(`The \`${name}\` query parameter value [${v}] is not valid`, { [name]: [v] });
  return v;
}

/** A tiny subset of X search: words and "phrases" (AND), -word, from:, to:, @handle, OR between groups. */
export function matchesQuery(t: XTweet, author: XUser | undefined, replyTo: XUser | undefined, query: string): boolean {
  const text = (t.text ?? '').toLowerCase();
  const groups = query.split(/\s+OR\s+/);
  return groups.some((g) => {
    const terms = g.match(/-?"[^"]*"|\S+/g) ?? [];
    return terms.every((raw) => {
      let term = raw;
      const neg = term.startsWith('-');
      if (neg) term = term.slice(1);
      term = term
        .replace(/^"|"$/g, '')
        .replace(/^\(|\)$/g, '')
        .toLowerCase();
      let hit: boolean;
      if (term.startsWith('from:')) hit = author?.username.toLowerCase() === term.slice(5);
      else if (term.startsWith('to:')) hit = replyTo?.username.toLowerCase() === term.slice(3);
      else if (term === 'is:retweet') hit = (t.referenced_tweets ?? []).some((r) => r.type === 'retweeted');
      else if (term === 'is:reply') hit = (t.referenced_tweets ?? []).some((r) => r.type === 'replied_to');
      else if (term.startsWith('lang:')) hit = t.lang === term.slice(5);
      else hit = text.includes(term);
      return neg ? !hit : hit;
    });
  });
}

export class XTestServer {
  readonly requests: LoggedRequest[] = [];
  private server: http.Server;
  private faults = new Map<string, XFault[]>();
  private windows = new Map<string, { remaining: number; reset: number }>();
  private tweets = new Map<string, XTweet>();
  private users = new Map<string, XUser>();
  private dms = new Map<string, XDmEvent>();
  private me: XUser;
  private tokens: Set<string>;
  private refreshTokens: Set<string>;
  private seq = 0;
  private codes = new Map<string, { challenge: string; redirectUri: string; clientId: string; scope: string }>();
  /** What GET /i/oauth2/authorize does: approve (redirect with a code) or deny (redirect with an error). */
  authorizeDecision: 'approve' | 'deny' = 'approve';
  url = '';
  port = 0;

  constructor(private readonly opts: XServerOptions = {}) {
    const data = opts.data ?? (opts.dir ? loadXDir(opts.dir) : null);
    if (!data) throw new Error('XTestServer needs data or dir');
    this.me = data.me;
    this.users.set(data.me.id, data.me);
    for (const u of data.users) this.users.set(u.id, u);
    for (const t of data.tweets) this.tweets.set(t.id, t);
    for (const e of data.dmEvents) this.dms.set(e.id, e);
    this.tokens = new Set(opts.accessTokens ?? ['test-token']);
    this.refreshTokens = new Set(opts.oauth2?.refreshTokens ?? []);
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- test controls ------------------------------------------------------------------------

  /** Queue faults for a route ("GET /2/users/:id/mentions" or "*"); each is used once, in order. */
  inject(route: string, ...faults: XFault[]): void {
    const q = this.faults.get(route) ?? [];
    q.push(...faults);
    this.faults.set(route, q);
  }

  /** Add a post (and its author) as if someone just wrote it. Ids are snowflakes of the server clock. */
  addTweet(t: Omit<XTweet, 'id'> & { id?: string }, author?: XUser): XTweet {
    if (author) this.users.set(author.id, author);
    const id = t.id ?? this.nextId();
    const tweet: XTweet = {
      edit_history_tweet_ids: [id],
      created_at: new Date(this.now()).toISOString(),
      conversation_id: id,
      ...t,
      id,
    };
    this.tweets.set(id, tweet);
    return tweet;
  }

  addDm(e: Omit<XDmEvent, 'id' | 'event_type'> & { id?: string; event_type?: string }, sender?: XUser): XDmEvent {
    if (sender) this.users.set(sender.id, sender);
    const id = e.id ?? this.nextId();
    const ev: XDmEvent = { event_type: 'MessageCreate', created_at: new Date(this.now()).toISOString(), ...e, id };
    this.dms.set(id, ev);
    return ev;
  }

  updateUser(u: XUser): void {
    this.users.set(u.id, u);
  }

  /** Stop accepting an access token (as when it expires). */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  getTweet(id: string): XTweet | undefined {
    return this.tweets.get(id);
  }

  allTweets(): XTweet[] {
    return [...this.tweets.values()];
  }

  allDms(): XDmEvent[] {
    return [...this.dms.values()];
  }

  private nextId(): string {
    let id = makeSnowflake(this.now(), this.seq++);
    while (this.tweets.has(id) || this.dms.has(id)) id = makeSnowflake(this.now(), this.seq++);
    return id;
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private rateHeaders(route: string, key: string): { headers: Record<string, string>; limited: boolean } {
    const rule = this.opts.rateLimits?.[route] ?? { limit: 900, windowSec: 900 };
    const nowSec = Math.floor(this.now() / 1000);
    const wkey = `${route}|${key}`;
    let w = this.windows.get(wkey);
    if (!w || nowSec >= w.reset) {
      w = { remaining: rule.limit, reset: nowSec + rule.windowSec };
      this.windows.set(wkey, w);
    }
    const limited = w.remaining <= 0;
    if (!limited) w.remaining--;
    return {
      limited,
      headers: {
        'x-rate-limit-limit': String(rule.limit),
        'x-rate-limit-remaining': String(w.remaining),
        'x-rate-limit-reset': String(w.reset),
      },
    };
  }

  private async readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return undefined;
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, { title: 'Invalid Request', detail: 'The request body is not valid JSON.', type: `${PROBLEM}invalid-request` });
    }
  }

  private authKey(req: http.IncomingMessage, route: string): string {
    const auth = req.headers.authorization ?? '';
    if (route === 'POST /2/oauth2/token' || route === 'GET /i/oauth2/authorize') return 'oauth2';
    const unauthorized = () => new HttpError(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    if (auth.startsWith('Bearer ')) {
      const token = auth.slice(7);
      if (!this.tokens.has(token)) throw unauthorized();
      return token;
    }
    if (auth.startsWith('OAuth ') && this.opts.oauth1) {
      const ck = /oauth_consumer_key="([^"]*)"/.exec(auth)?.[1];
      const tk = /oauth_token="([^"]*)"/.exec(auth)?.[1];
      if (ck && tk && decodeURIComponent(ck) === this.opts.oauth1.consumerKey && decodeURIComponent(tk) === this.opts.oauth1.accessToken) {
        return `oauth1:${tk}`;
      }
    }
    throw unauthorized();
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>, problem = false): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'content-type': problem ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const match = ROUTES.map((r) => ({ r, m: r.re.exec(url.pathname) })).find((x) => x.m && x.r.method === req.method);
    const route = match?.r.route ?? `${req.method} ${url.pathname}`;
    const log: LoggedRequest = { method: req.method ?? '', route, path: url.pathname, query, auth: req.headers.authorization ?? '', body: undefined, status: 0 };
    this.requests.push(log);
    let headers: Record<string, string> = {};
    try {
      log.body = await this.readBody(req);
      if (!match) throw new HttpError(404, { title: 'Not Found Error', detail: `no route ${route}`, type: 'about:blank', status: 404 });
      const key = this.authKey(req, route);
      const rl = this.rateHeaders(route, key);
      headers = rl.headers;
      const fault = (this.faults.get(route) ?? []).shift() ?? (this.faults.get('*') ?? []).shift();
      if (fault) {
        if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
        else if (fault.kind === 'drop-after') {
          log.status = this.answer(route, match.m!, query, log.body).status;
          req.socket.destroy();
          return;
        } else if (fault.kind === 'drop') {
          log.status = -1;
          req.socket.destroy();
          return;
        } else if (fault.kind === 'malformed') {
          log.status = 200;
          res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
          res.end('{"data":[{"id":"1","text":"trunc');
          return;
        } else if (fault.kind === 'rate-limit') {
          const reset = Math.floor(this.now() / 1000) + fault.resetInSec;
          headers = { ...headers, 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) };
          this.windows.set(`${route}|${key}`, { remaining: 0, reset });
          throw new HttpError(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
        } else {
          headers = { ...headers, ...(fault.headers ?? {}) };
          throw new HttpError(
            fault.status,
            (fault.body as Record<string, unknown>) ?? {
              title: fault.status >= 500 ? 'Service Unavailable' : 'Error',
              detail: `injected ${fault.status}`,
              type: 'about:blank',
              status: fault.status,
            },
          );
        }
      }
      if (rl.limited) throw new HttpError(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
      const { status, body } = this.answer(route, match.m!, query, log.body);
      log.status = status;
      if (status === 302) {
        res.writeHead(302, { location: (body as { location: string }).location });
        res.end();
        return;
      }
      this.send(res, status, body, headers);
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, { title: 'Internal Server Error', detail: (e as Error).message, type: 'about:blank', status: 500 });
      log.status = err.status;
      this.send(res, err.status, err.body, headers, route !== 'POST /2/oauth2/token');
    }
  }

  // --- endpoints ----------------------------------------------------------------------------

  private answer(route: string, m: RegExpExecArray, q: Record<string, string>, body: unknown): { status: number; body: unknown } {
    switch (route) {
      case 'GET /2/users/me':
        return { status: 200, body: { data: this.userOut(this.me, q) } };
      case 'GET /2/users/:id': {
        const u = this.users.get(m[1]!);
        if (!u) return { status: 200, body: { errors: [this.notFound('user', 'id', m[1]!)] } };
        return { status: 200, body: { data: this.userOut(u, q) } };
      }
      case 'GET /2/tweets/:id': {
        const t = this.tweets.get(m[1]!);
        if (!t) return { status: 200, body: { errors: [this.notFound('tweet', 'id', m[1]!)] } };
        const out: Record<string, unknown> = { data: this.tweetOut(t, q) };
        const inc = this.tweetIncludes([t], q);
        if (inc) out.includes = inc;
        return { status: 200, body: out };
      }
      case 'GET /2/users/:id/mentions': {
        const id = m[1]!;
        const all = [...this.tweets.values()].filter(
          (t) =>
            t.author_id !== id && (t.in_reply_to_user_id === id || (t.entities?.mentions ?? []).some((x) => x.id === id || x.username?.toLowerCase() === this.users.get(id)?.username.toLowerCase())),
        );
        return { status: 200, body: this.tweetPage(all, q, 'pagination_token', 5, 100, 10) };
      }
      case 'GET /2/tweets/search/recent': {
        const query = q.query;
        if (!query) throw invalid('The `query` query parameter can not be empty', { query: [''] });
        const all = [...this.tweets.values()].filter((t) =>
          matchesQuery(t, t.author_id ? this.users.get(t.author_id) : undefined, t.in_reply_to_user_id ? this.users.get(t.in_reply_to_user_id) : undefined, query),
        );
        return { status: 200, body: this.tweetPage(all, q, q.next_token !== undefined ? 'next_token' : 'pagination_token', 10, 100, 10) };
      }
      case 'GET /2/dm_events':
        return { status: 200, body: this.dmPage([...this.dms.values()], q) };
      case 'GET /2/dm_conversations/with/:id/dm_events': {
        const other = m[1]!;
        return {
          status: 200,
          body: this.dmPage(
            [...this.dms.values()].filter((e) => this.dmConvOf(other) === e.dm_conversation_id),
            q,
          ),
        };
      }
      case 'POST /2/tweets':
        return this.postTweet(body);
      case 'POST /2/dm_conversations/with/:id/messages':
        return this.postDm(m[1]!, body);
      case 'POST /2/oauth2/token':
        return this.token(body);
      case 'GET /i/oauth2/authorize':
        return this.authorize(q);
    }
    throw new HttpError(404, { title: 'Not Found Error', detail: route, type: 'about:blank', status: 404 });
  }

  private notFound(resource: string, parameter: string, value: string) {
    return {
      value,
      detail: `Could not find ${resource} with ${parameter}: [${value}].`,
      title: 'Not Found Error',
      resource_type: resource,
      parameter,
      resource_id: value,
      type: `${PROBLEM}resource-not-found`,
    };
  }

  private userOut(u: XUser, q: Record<string, string>): Partial<XUser> {
    return pick(u, list(q, 'user.fields'), DEFAULT_USER_FIELDS);
  }

  private tweetOut(t: XTweet, q: Record<string, string>): Partial<XTweet> {
    // Fields an expansion hangs on come with it, as on the real API.
    const fields = list(q, 'tweet.fields');
    for (const e of list(q, 'expansions')) fields.add(e.split('.')[0]!);
    return pick(t, fields, DEFAULT_TWEET_FIELDS);
  }

  private tweetIncludes(tweets: XTweet[], q: Record<string, string>): Record<string, unknown> | null {
    const exp = list(q, 'expansions');
    const users = new Map<string, XUser>();
    const refs = new Map<string, XTweet>();
    const addUser = (id: string | undefined) => {
      const u = id ? this.users.get(id) : undefined;
      if (u) users.set(u.id, u);
    };
    for (const t of tweets) {
      if (exp.has('author_id')) addUser(t.author_id);
      if (exp.has('in_reply_to_user_id')) addUser(t.in_reply_to_user_id);
      if (exp.has('entities.mentions.username')) for (const mm of t.entities?.mentions ?? []) addUser(mm.id);
      if (exp.has('referenced_tweets.id')) {
        for (const r of t.referenced_tweets ?? []) {
          const rt = this.tweets.get(r.id);
          if (rt) refs.set(rt.id, rt);
        }
      }
    }
    if (exp.has('referenced_tweets.id.author_id')) for (const rt of refs.values()) addUser(rt.author_id);
    const out: Record<string, unknown> = {};
    if (users.size) out.users = [...users.values()].map((u) => this.userOut(u, q));
    if (refs.size) out.tweets = [...refs.values()].map((t) => this.tweetOut(t, q));
    return Object.keys(out).length ? out : null;
  }

  private tweetPage(all: XTweet[], q: Record<string, string>, tokenParam: string, min: number, max: number, def: number): Record<string, unknown> {
    const sinceId = idParam(q, 'since_id');
    const untilId = idParam(q, 'until_id');
    const maxResults = intParam(q, 'max_results', min, max, def);
    const token = q[tokenParam];
    const before = token ? decodeToken(token, tokenParam) : undefined;
    let items = all.sort((a, b) => compareIds(b.id, a.id));
    if (sinceId) items = items.filter((t) => compareIds(t.id, sinceId) > 0);
    if (untilId) items = items.filter((t) => compareIds(t.id, untilId) < 0);
    if (before) items = items.filter((t) => compareIds(t.id, before) < 0);
    const page = items.slice(0, maxResults);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) {
      meta.newest_id = page[0]!.id;
      meta.oldest_id = page[page.length - 1]!.id;
    }
    if (items.length > maxResults) meta.next_token = encodeToken(page[page.length - 1]!.id);
    const out: Record<string, unknown> = {};
    if (page.length) out.data = page.map((t) => this.tweetOut(t, q));
    const inc = this.tweetIncludes(page, q);
    if (inc) out.includes = inc;
    out.meta = meta;
    return out;
  }

  private dmPage(all: XDmEvent[], q: Record<string, string>): Record<string, unknown> {
    const maxResults = intParam(q, 'max_results', 1, 100, 100);
    const types = list(q, 'event_types');
    const token = q.pagination_token;
    const before = token ? decodeToken(token, 'pagination_token') : undefined;
    let items = all.sort((a, b) => compareIds(b.id, a.id));
    if (types.size) items = items.filter((e) => types.has(e.event_type));
    if (before) items = items.filter((e) => compareIds(e.id, before) < 0);
    const page = items.slice(0, maxResults);
    const fields = list(q, 'dm_event.fields');
    const exp = list(q, 'expansions');
    for (const e of exp) fields.add(e.split('.')[0]!);
    const users = new Map<string, XUser>();
    for (const e of page) {
      if (exp.has('sender_id') && e.sender_id && this.users.get(e.sender_id)) users.set(e.sender_id, this.users.get(e.sender_id)!);
      if (exp.has('participant_ids')) for (const p of e.participant_ids ?? []) if (this.users.get(p)) users.set(p, this.users.get(p)!);
    }
    const out: Record<string, unknown> = {};
    if (page.length) out.data = page.map((e) => pick(e, fields, DEFAULT_DM_FIELDS));
    if (users.size) out.includes = { users: [...users.values()].map((u) => this.userOut(u, q)) };
    const meta: Record<string, unknown> = { result_count: page.length };
    if (items.length > maxResults) meta.next_token = encodeToken(page[page.length - 1]!.id);
    out.meta = meta;
    return out;
  }

  private dmConvOf(other: string): string {
    const [a, b] = [this.me.id, other].sort(compareIds);
    const existing = [...this.dms.values()].find((e) => e.dm_conversation_id === `${a}-${b}` || e.dm_conversation_id === `${b}-${a}`);
    return existing?.dm_conversation_id ?? `${a}-${b}`;
  }

  private postTweet(body: unknown): { status: number; body: unknown } {
    const b = (body ?? {}) as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
    if (typeof b.text !== 'string' || !b.text) throw invalid('The `text` field is required', { text: [] });
    const len = tweetLength(b.text);
    if (len.problem === 'too_long') {
      throw new HttpError(400, {
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: `${PROBLEM}invalid-request`,
        errors: [{ message: 'Your Tweet text is too long.', parameters: { text: [b.text] } }],
      });
    }
    let conversationId: string | undefined;
    let inReplyToUser: string | undefined;
    const replyTo = b.reply?.in_reply_to_tweet_id;
    const replyText = typeof replyTo === 'string' || typeof replyTo === 'number' ? String(replyTo) : JSON.stringify(replyTo);
    if (replyTo !== undefined) {
      const parent = typeof replyTo === 'string' ? this.tweets.get(replyTo) : undefined;
      if (!parent) {
        throw new HttpError(400, {
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: `${PROBLEM}invalid-request`,
          errors: [{ message: `The Tweet you are replying to (${replyText}) does not exist or has been deleted.`, parameters: { 'reply.in_reply_to_tweet_id': [replyText] } }],
        });
      }
      conversationId = parent.conversation_id ?? parent.id;
      inReplyToUser = parent.author_id;
    }
    const t = this.addTweet({
      text: b.text,
      author_id: this.me.id,
      ...(conversationId ? { conversation_id: conversationId } : {}),
      ...(inReplyToUser ? { in_reply_to_user_id: inReplyToUser } : {}),
      ...(replyTo ? { referenced_tweets: [{ type: 'replied_to', id: replyText }] } : {}),
    });
    return { status: 201, body: { data: { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] } } };
  }

  private postDm(participant: string, body: unknown): { status: number; body: unknown } {
    const b = (body ?? {}) as { text?: unknown };
    if (typeof b.text !== 'string' || !b.text) throw invalid('The `text` field is required', { text: [] });
    if (!this.users.has(participant)) {
      throw new HttpError(400, {
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: `${PROBLEM}invalid-request`,
        errors: [{ message: `participant_id ${participant} is not a user`, parameters: { participant_id: [participant] } }],
      });
    }
    const conv = this.dmConvOf(participant);
    const e = this.addDm({ text: b.text, sender_id: this.me.id, dm_conversation_id: conv, participant_ids: [this.me.id, participant] });
    return { status: 201, body: { data: { dm_conversation_id: conv, dm_event_id: e.id } } };
  }

  /** The consent page, approved (or denied) at once: redirects to the app's redirect_uri. */
  private authorize(q: Record<string, string>): { status: number; body: unknown } {
    const cfg = this.opts.oauth2;
    const bad = (d: string) => new HttpError(400, { error: 'invalid_request', error_description: d });
    if (!cfg) throw bad('OAuth 2.0 is not configured on this server');
    if (q.response_type !== 'code') throw bad('response_type must be code');
    if (q.client_id !== cfg.clientId) throw bad('unknown client_id');
    if (!q.redirect_uri || !q.state || !q.code_challenge) throw bad('redirect_uri, state and code_challenge are required');
    if ((q.code_challenge_method ?? '').toLowerCase() !== 's256') throw bad('code_challenge_method must be S256');
    const to = new URL(q.redirect_uri);
    to.searchParams.set('state', q.state);
    if (this.authorizeDecision === 'deny') {
      to.searchParams.set('error', 'access_denied');
      return { status: 302, body: { location: to.toString() } };
    }
    const code = crypto.randomBytes(16).toString('hex');
    this.codes.set(code, { challenge: q.code_challenge, redirectUri: q.redirect_uri, clientId: q.client_id, scope: q.scope ?? '' });
    to.searchParams.set('code', code);
    return { status: 302, body: { location: to.toString() } };
  }

  private token(body: unknown): { status: number; body: unknown } {
    const b = (body ?? {}) as Record<string, unknown>;
    const cfg = this.opts.oauth2;
    const bad = (d: string) => new HttpError(400, { error: 'invalid_request', error_description: d });
    if (!cfg) throw bad('OAuth 2.0 is not configured on this server');
    if (b.grant_type === 'authorization_code') {
      const grant = typeof b.code === 'string' ? this.codes.get(b.code) : undefined;
      if (!grant) throw bad('Value passed for the authorization code was invalid.');
      this.codes.delete(b.code as string);
      const verifier = typeof b.code_verifier === 'string' ? b.code_verifier : '';
      const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== grant.challenge) throw bad('Value passed for the code_verifier was invalid.');
      if (b.redirect_uri !== grant.redirectUri || b.client_id !== grant.clientId) throw bad('redirect_uri or client_id does not match the authorization request');
    } else if (b.grant_type !== 'refresh_token') throw bad('unsupported grant_type');
    else {
      if (b.client_id !== cfg.clientId) throw bad('Missing valid authorization header');
      if (typeof b.refresh_token !== 'string' || !this.refreshTokens.has(b.refresh_token)) throw bad('Value passed for the token was invalid.');
      // Refresh tokens are single-use: the old one dies, a new pair is issued.
      this.refreshTokens.delete(b.refresh_token);
    }
    const n = ++this.seq;
    const access = `access-${n}-${Math.random().toString(36).slice(2, 10)}`;
    const refresh = `refresh-${n}-${Math.random().toString(36).slice(2, 10)}`;
    this.tokens.add(access);
    this.refreshTokens.add(refresh);
    return {
      status: 200,
      body: { token_type: 'bearer', expires_in: cfg.expiresIn ?? 7200, access_token: access, scope: 'tweet.read tweet.write users.read dm.read dm.write offline.access', refresh_token: refresh },
    };
  }
}

export async function startXServer(opts: XServerOptions): Promise<XTestServer> {
  return new XTestServer(opts).start();
}
