// The X sync engine: through twitter-api-v2 only. Per account and run:
//   GET /2/users/me                      → the business's own identity (outbound vs inbound)
//   GET /2/users/:id/mentions            → since_id cursor (sync_state 'x:mentions'), pages by pagination_token
//   GET /2/tweets/search/recent          → one cursor per watched query ('x:search:<query>')
//   GET /2/dm_events                     → no since_id on this endpoint: newest-first pages until a known id ('x:dm_events')
// with author / referenced-post expansions. Every page goes through the importer's normalizer
// (normalize.ts) in one transaction; a cursor moves only after all pages of its scope are stored.
// Calls go through XScheduler (rate limits, 429 reset waits, jittered backoff, token refresh) and
// the usage meter (spend estimate, monthly cap).

import type { TwitterApi, TTweetv2Expansion, TTweetv2TweetField, TTweetv2UserField } from 'twitter-api-v2';
import type { CoreContext } from '../context';
import { getSyncCursor, setSyncState } from '../db/repos/accounts';
import { getXAccount, loadCredentials, pricesOf, saveCredentials, type XAccount } from './account';
import { makeClient, refreshOAuth2, type XCredentials } from './client';
import { XApiFailure, XDeferred, XScheduler, type SchedulerOptions } from './limits';
import { newRunCache, storeXPage, type StoreResult } from './normalize';
import { compareIds } from './text';
import type { XDmEventsPage, XPageKind, XSelf, XTweetsPage } from './types';
import { costOf, getUsage, recordUsage, withinCap, worstPerDmEvent, worstPerPost, type UsageDelta, type XUsage } from './usage';
import type { XSyncReportView } from '../../../shared/contract/runs';

/** How often users/me is asked again once the account's id is known. */
export const ME_EVERY_MS = 24 * 3600_000;

/** Pages stored per transaction during a sync (fewer commits; the write lock is never held across a request). */
const FLUSH_PAGES = 10;

/** Let a request that was just started reach the socket before synchronous work begins. */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export const TWEET_FIELDS = ['author_id', 'created_at', 'conversation_id', 'in_reply_to_user_id', 'referenced_tweets', 'entities', 'lang', 'note_tweet', 'attachments'] as TTweetv2TweetField[];
export const USER_FIELDS = ['name', 'username', 'description', 'url', 'location', 'entities', 'profile_image_url', 'created_at', 'public_metrics'] as TTweetv2UserField[];
export const TWEET_EXPANSIONS = ['author_id', 'referenced_tweets.id', 'referenced_tweets.id.author_id', 'in_reply_to_user_id'] as TTweetv2Expansion[];
export const DM_FIELDS = ['id', 'event_type', 'text', 'sender_id', 'dm_conversation_id', 'created_at', 'participant_ids', 'referenced_tweets', 'attachments', 'entities'];
export const DM_EXPANSIONS = ['sender_id', 'participant_ids'];

export type XScope = 'mentions' | 'search' | 'dm_events';

export interface XSyncOptions extends SchedulerOptions {
  /** Which scopes to run (default all). */
  scopes?: XScope[];
}

/** One timeline's pass: the contract's view of it (shared/contract/runs.ts), so the two never drift. */
export type XScopeReport = XSyncReportView['scopes'][number];

export interface XSyncReport {
  accountId: number;
  account: string;
  self: XSelf | null;
  scopes: XScopeReport[];
  inserted: number;
  duplicates: number;
  conversationIds: number[];
  requests: number;
  retries: number;
  usage: XUsage;
  /** Earliest time a deferred scope can run again (epoch ms). */
  retryAt: number | null;
  ok: boolean;
}

class Run {
  client: TwitterApi;
  creds: XCredentials;
  readonly sched: XScheduler;
  readonly touched = new Set<number>();
  readonly reports: XScopeReport[] = [];
  self: XSelf | null = null;
  readonly cache = newRunCache();

  constructor(
    readonly ctx: CoreContext,
    readonly acc: XAccount,
    opts: XSyncOptions,
  ) {
    this.creds = loadCredentials(ctx, acc);
    this.client = makeClient(this.creds, { apiBase: acc.config.apiBase, timeoutMs: acc.config.timeoutMs });
    this.sched = new XScheduler(ctx.db, acc.id, {
      now: ctx.now,
      ...opts,
      onAuthError: () => this.refresh(),
    });
  }

  get now(): number {
    return this.sched.now();
  }

  get pageSize(): number {
    return Math.min(100, Math.max(10, this.acc.config.pageSize ?? 100));
  }

  get maxPages(): number {
    return Math.max(1, this.acc.config.maxPages ?? 10);
  }

  /** Renew an OAuth 2.0 token; false when these credentials cannot be refreshed. */
  async refresh(): Promise<boolean> {
    const c = this.creds;
    if (c.kind !== 'oauth2' || !c.refreshToken || !c.clientId) return false;
    const fresh = await refreshOAuth2(c, { apiBase: this.acc.config.apiBase, now: this.now });
    this.creds = fresh;
    saveCredentials(this.ctx, this.acc, fresh);
    this.client = makeClient(fresh, { apiBase: this.acc.config.apiBase, timeoutMs: this.acc.config.timeoutMs });
    return true;
  }

  usage(d: UsageDelta): XUsage {
    return recordUsage(this.ctx.db, this.acc.id, d, pricesOf(this.acc.config), this.now);
  }

  /** Fetched pages waiting to be stored: written FLUSH_PAGES at a time, one transaction, a savepoint per page. */
  private pending: { kind: XPageKind; page: unknown; source: string; usage: UsageDelta; rep: XScopeReport }[] = [];

  queue(kind: XPageKind, page: unknown, source: string, usage: UsageDelta, rep: XScopeReport): void {
    this.pending.push({ kind, page, source, usage, rep });
  }

  /** Store the queued pages once there are enough (called while the next request is in flight). */
  maybeFlush(): void {
    if (this.pending.length >= FLUSH_PAGES) this.flush();
  }

  /** Store the queued pages; pages before a bad one are kept, nothing of the bad one; then its error is thrown. */
  flush(): void {
    if (!this.pending.length) return;
    const items = this.pending;
    this.pending = [];
    let failure: unknown = null;
    this.ctx.db.transaction(() => {
      const total: Required<UsageDelta> = { requests: 0, postsRead: 0, usersRead: 0, dmEventsRead: 0, postsCreated: 0, postsCreatedWithUrl: 0, dmsSent: 0 };
      for (const p of items) {
        for (const k of Object.keys(total) as (keyof UsageDelta)[]) total[k] += p.usage[k] ?? 0;
        if (failure) continue; // read (and billed), but not stored after a bad page
        try {
          const r = this.store(p.kind, p.page, p.source);
          p.rep.items += r.items;
          p.rep.inserted += r.inserted;
          p.rep.duplicates += r.duplicates;
        } catch (e) {
          failure = e;
        }
      }
      this.usage(total);
    })();
    if (failure) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  }

  /**
   * How many items the next page may ask for so that even its worst case stays under the monthly
   * cap (0: none; the scope pauses). Worst case per post: the post, up to two referenced posts, and
   * four users (author, referenced authors, replied-to user); per DM event: the event, sender and
   * other participant. Pages fetched but not yet stored count as spent.
   */
  pageFor(kind: 'tweets' | 'dms', minSize: number): number {
    const cap = this.acc.config.monthlyCapUsd;
    if (cap == null) return this.pageSize;
    const p = pricesOf(this.acc.config);
    const perItem = kind === 'tweets' ? worstPerPost(p) : worstPerDmEvent(p);
    const queued = this.pending.reduce((sum, q) => sum + costOf(q.usage, p), 0);
    const room = cap - getUsage(this.ctx.db, this.acc.id, this.now).spendUsd - queued;
    const n = perItem > 0 ? Math.min(this.pageSize, Math.floor(room / perItem + 1e-9)) : this.pageSize;
    return n >= minSize ? n : 0;
  }

  store(kind: XPageKind, page: unknown, source: string): StoreResult {
    let r: StoreResult;
    try {
      r = storeXPage(this.ctx.db, kind, page, { source, accountId: this.acc.id, self: this.self, now: this.now, cache: this.cache });
    } catch (e) {
      // The page was rolled back: forget what the run cache learnt from it.
      this.cache.identities.clear();
      this.cache.conversations.clear();
      throw e;
    }
    for (const id of r.conversationIds) this.touched.add(id);
    return r;
  }

  async me(): Promise<void> {
    const res = await this.sched.call('GET /2/users/me', () => this.client.v2.me({ 'user.fields': USER_FIELDS }));
    this.usage({ requests: 1, usersRead: 1 });
    this.store('me', res, 'GET /2/users/me');
    this.self = { id: res.data.id, username: res.data.username, name: res.data.name };
  }

  /** One paged, since_id-tracked tweet scope (mentions or a watched search). */
  async tweetScope(
    scope: string,
    endpoint: string,
    fetchPage: (params: { since_id?: string; token?: string; max: number }) => Promise<{ data: XTweetsPage; rateLimit?: unknown }>,
    kind: 'mentions' | 'search',
  ): Promise<void> {
    // max_results: mentions 5-100, recent search 10-100.
    const minSize = kind === 'mentions' ? 5 : 10;
    const rep: XScopeReport = { scope, pages: 0, items: 0, inserted: 0, duplicates: 0, status: 'ok' };
    this.reports.push(rep);
    const db = this.ctx.db;
    const cursor = getSyncCursor<{ sinceId?: string }>(db, this.acc.id, scope, {});
    setSyncState(db, this.acc.id, scope, { status: 'running', now: this.now });
    let sinceId = cursor.sinceId;
    let newest: string | undefined;
    let token: string | undefined;
    try {
      // The next page is requested before this one is stored, so storing overlaps the network.
      let inFlight: Promise<{ data: XTweetsPage }> | null = null;
      do {
        const max = inFlight ? 0 : this.pageFor('tweets', minSize);
        if (!inFlight && !max) {
          rep.status = 'capped';
          break;
        }
        let pg: { data: XTweetsPage };
        if (inFlight) {
          pg = await inFlight;
          inFlight = null;
        } else {
          try {
            pg = await this.sched.call(endpoint, () => fetchPage({ ...(sinceId ? { since_id: sinceId } : {}), ...(token ? { token } : {}), max }));
          } catch (e) {
            // Recent search refuses a since_id older than its 7-day window: start again without it.
            if (e instanceof XApiFailure && e.status === 400 && sinceId && /since_id/i.test(e.message) && !token) {
              sinceId = undefined;
              continue;
            }
            throw e;
          }
        }
        const page = pg.data;
        this.queue(kind, page, endpoint, { requests: 1, postsRead: (page.data?.length ?? 0) + (page.includes?.tweets?.length ?? 0), usersRead: page.includes?.users?.length ?? 0 }, rep);
        if (rep.pages === 0) newest = page.meta?.newest_id;
        rep.pages++;
        token = page.meta?.next_token;
        if (token && rep.pages >= this.maxPages) {
          rep.truncated = true;
          break;
        }
        if (token) {
          const next = this.pageFor('tweets', minSize);
          if (!next) {
            rep.status = 'capped';
            break;
          }
          const t = token;
          const since = sinceId;
          inFlight = this.sched.call(endpoint, () => fetchPage({ ...(since ? { since_id: since } : {}), token: t, max: next }));
          inFlight.catch(() => undefined); // awaited next turn; never an unhandled rejection
          await yieldToIo();
        }
        this.maybeFlush();
      } while (token);
      const next = newerId(newest, cursor.sinceId);
      this.finish(scope, rep, { ...(next ? { sinceId: next } : {}) });
    } catch (e) {
      this.fail(rep, scope, e);
    }
  }

  async dmScope(): Promise<void> {
    const scope = 'x:dm_events';
    const endpoint = 'GET /2/dm_events';
    const rep: XScopeReport = { scope, pages: 0, items: 0, inserted: 0, duplicates: 0, status: 'ok' };
    this.reports.push(rep);
    const db = this.ctx.db;
    const cursor = getSyncCursor<{ newestId?: string }>(db, this.acc.id, scope, {});
    setSyncState(db, this.acc.id, scope, { status: 'running', now: this.now });
    let top: string | undefined;
    let token: string | undefined;
    try {
      let inFlight: Promise<{ data: unknown }> | null = null;
      const fetchDms = (t: string | undefined, max: number) => {
        const params = {
          max_results: max,
          'dm_event.fields': DM_FIELDS,
          expansions: DM_EXPANSIONS,
          'user.fields': USER_FIELDS,
          event_types: 'MessageCreate',
          ...(t ? { pagination_token: t } : {}),
        };
        return this.sched.call(endpoint, () => this.client.v2.listDmEvents(params as Parameters<TwitterApi['v2']['listDmEvents']>[0]));
      };
      for (;;) {
        const max = inFlight ? 0 : this.pageFor('dms', 1);
        if (!inFlight && !max) {
          rep.status = 'capped';
          break;
        }
        const pg = await (inFlight ?? fetchDms(token, max));
        inFlight = null;
        const page = pg.data as XDmEventsPage;
        this.queue('dm_events', page, endpoint, { requests: 1, dmEventsRead: page.data?.length ?? 0, usersRead: page.includes?.users?.length ?? 0 }, rep);
        const ids = (page.data ?? []).map((e) => e.id);
        if (rep.pages === 0) top = ids[0];
        rep.pages++;
        token = page.meta?.next_token;
        // Newest first: once a page reaches what the last run stored, the rest is known.
        const reachedKnown = cursor.newestId !== undefined && ids.some((id) => compareIds(id, cursor.newestId!) <= 0);
        if (!token || reachedKnown) break;
        if (rep.pages >= this.maxPages) {
          rep.truncated = true;
          break;
        }
        const next = this.pageFor('dms', 1);
        if (!next) {
          rep.status = 'capped';
          break;
        }
        inFlight = fetchDms(token, next);
        inFlight.catch(() => undefined);
        await yieldToIo();
        this.maybeFlush();
      }
      const next = newerId(top, cursor.newestId);
      this.finish(scope, rep, { ...(next ? { newestId: next } : {}) });
    } catch (e) {
      this.fail(rep, scope, e);
    }
  }

  /** A scope's pass ended well: store what is still queued, then its new cursor and state. */
  finish(scope: string, rep: XScopeReport, cursor: Record<string, string>): void {
    this.flush();
    setSyncState(this.ctx.db, this.acc.id, scope, {
      cursor,
      status: rep.status === 'capped' ? 'capped' : 'idle',
      lastError: null,
      progress: { pages: rep.pages, items: rep.items, inserted: rep.inserted, at: this.now },
      now: this.now,
    });
  }

  fail(rep: XScopeReport, scope: string, err: unknown): void {
    // Pages fetched before the failure are stored; a bad one among them is the error to report.
    let e = err;
    try {
      this.flush();
    } catch (fe) {
      e = fe;
    }
    if (e instanceof XDeferred) {
      rep.status = 'deferred';
      rep.retryAt = e.retryAt;
      rep.error = e.message;
      setSyncState(this.ctx.db, this.acc.id, scope, { status: 'deferred', lastError: e.message, now: this.now });
      this.ctx.log.info('X scope deferred', { service: 'x-sync', accountId: this.acc.id, scope, retryAt: e.retryAt, reason: e.message });
      return;
    }
    rep.status = 'error';
    rep.error = (e as Error).message;
    this.ctx.log.warn('X scope failed', { service: 'x-sync', accountId: this.acc.id, scope, err: e });
    setSyncState(this.ctx.db, this.acc.id, scope, { status: 'error', lastError: rep.error, now: this.now });
  }
}

function tweetParams(pageSize: number): Record<string, unknown> {
  return { max_results: pageSize, 'tweet.fields': TWEET_FIELDS, 'user.fields': USER_FIELDS, expansions: TWEET_EXPANSIONS };
}

/** Sync one X account once. Never throws for API trouble: each scope reports its own outcome. */
export async function syncXAccount(ctx: CoreContext, accountId: number, opts: XSyncOptions = {}): Promise<XSyncReport> {
  const acc = getXAccount(ctx, accountId);
  const run = new Run(ctx, acc, opts);
  const scopes = new Set(opts.scopes ?? ['mentions', 'search', 'dm_events']);
  // Renew an OAuth 2.0 token that is about to expire before using it.
  if (run.creds.kind === 'oauth2' && run.creds.expiresAt && run.creds.expiresAt < run.now + 60_000) {
    await run.refresh().catch(() => false);
  }
  // users/me is billed like any user read: asked when the account's id is unknown, or once a day
  // (the business may change its handle), not on every poll; never when it would cross the cap.
  const known = acc.xUserId ? { id: acc.xUserId, ...(acc.address ? { username: acc.address } : {}) } : null;
  const meAt = getSyncCursor<{ at?: number }>(ctx.db, acc.id, 'x:me', {}).at;
  // An app-only bearer token cannot read users/me at all: it relies on the id saved with the account.
  const meDue = !known || (run.creds.kind !== 'bearer' && (meAt === undefined || run.now - meAt >= ME_EVERY_MS));
  if (meDue) {
    const meRep: XScopeReport = { scope: 'x:me', pages: 0, items: 0, inserted: 0, duplicates: 0, status: 'ok' };
    run.reports.push(meRep);
    if (!withinCap(getUsage(ctx.db, acc.id, run.now), pricesOf(acc.config).userRead, acc.config.monthlyCapUsd)) {
      meRep.status = 'capped';
      run.self = known;
    } else {
      try {
        await run.me();
        meRep.pages = 1;
        meRep.items = 1;
        setSyncState(ctx.db, acc.id, 'x:me', { cursor: { at: run.now }, status: 'idle', lastError: null, now: run.now });
      } catch (e) {
        run.fail(meRep, 'x:me', e);
        // App-only bearer tokens cannot read users/me: use the id saved with the account.
        run.self = known;
      }
    }
  } else run.self = known;
  if (run.self) {
    const self = run.self;
    if (scopes.has('mentions')) {
      await run.tweetScope(
        'x:mentions',
        'GET /2/users/:id/mentions',
        async ({ since_id, token, max }) => {
          const pg = await run.client.v2.userMentionTimeline(self.id, {
            ...tweetParams(max),
            ...(since_id ? { since_id } : {}),
            ...(token ? { pagination_token: token } : {}),
          });
          return { data: pg.data as unknown as XTweetsPage, rateLimit: pg.rateLimit };
        },
        'mentions',
      );
    }
    if (scopes.has('search')) {
      for (const q of acc.config.watchedQueries ?? []) {
        await run.tweetScope(
          `x:search:${q}`,
          'GET /2/tweets/search/recent',
          async ({ since_id, token, max }) => {
            // Retweets repeat what is already stored; the owner can ask for them with is:retweet.
            const query = /is:retweet/.test(q) ? q : `${q} -is:retweet`;
            const pg = await run.client.v2.search(query, {
              ...tweetParams(max),
              ...(since_id ? { since_id } : {}),
              ...(token ? { next_token: token } : {}),
            });
            return { data: pg.data as unknown as XTweetsPage, rateLimit: pg.rateLimit };
          },
          'search',
        );
      }
    }
    if (scopes.has('dm_events')) await run.dmScope();
  }
  run.sched.persist();
  const conversationIds = [...run.touched];
  if (conversationIds.length) {
    // messages.changed lets linking re-score what the new posts and DMs touch.
    ctx.bus.emit('MessagesStored', { conversationIds });
    ctx.bus.emit('ConversationsChanged', { ids: conversationIds });
  }
  ctx.bus.emit('SyncStatusChanged', { accountId });
  const retryAts = run.reports.map((r) => r.retryAt).filter((x): x is number => typeof x === 'number');
  return {
    accountId,
    account: acc.name,
    self: run.self,
    scopes: run.reports,
    inserted: run.reports.reduce((s, r) => s + r.inserted, 0),
    duplicates: run.reports.reduce((s, r) => s + r.duplicates, 0),
    conversationIds,
    requests: run.sched.stats.requests,
    retries: run.sched.stats.retries,
    usage: getUsage(ctx.db, accountId, run.now),
    retryAt: retryAts.length ? Math.min(...retryAts) : null,
    ok: run.reports.every((r) => r.status === 'ok' || r.status === 'capped' || r.status === 'deferred'),
  };
}

/** The newer of two snowflake ids (either may be missing). */
function newerId(a: string | undefined, b: string | undefined): string | undefined {
  return a && (!b || compareIds(a, b) > 0) ? a : b;
}
