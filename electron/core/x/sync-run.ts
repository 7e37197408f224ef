// One X sync run's state: the account's client and credentials (an OAuth 2.0 token renewed when
// refused), the scheduler, the pages fetched and waiting to be stored (FLUSH_PAGES per transaction),
// the monthly cap's room for the next page, and how a scope's pass ends (its cursor and sync state).
import type { TwitterApi, TTweetv2Expansion, TTweetv2TweetField, TTweetv2UserField } from 'twitter-api-v2';
import type { CoreContext } from '../context';
import { setSyncState } from '../db/repos/accounts';
import { tempStoreInMemory } from '../db/bulk';
import { loadCredentials, pricesOf, saveCredentials, type XAccount } from './account';
import { makeClient, refreshOAuth2, type XCredentials } from './client';
import { XDeferred, XScheduler, type SchedulerOptions } from './limits';
import { newRunCache, storeXPage, type StoreResult } from './normalize';
import type { XPageKind, XSelf } from './types';
import { costOf, getUsage, recordUsage, worstPerDmEvent, worstPerPost, type UsageDelta, type XUsage } from './usage';
import type { XSyncReportView } from '../../../shared/contract/runs';

/** Pages stored per transaction during a sync (fewer commits; the write lock is never held across a request). */
const FLUSH_PAGES = 10;

/** Let a request that was just started reach the socket before synchronous work begins. */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export const TWEET_FIELDS = ['author_id', 'created_at', 'conversation_id', 'in_reply_to_user_id', 'referenced_tweets', 'entities', 'lang', 'note_tweet', 'attachments'] as TTweetv2TweetField[];
export const USER_FIELDS = ['name', 'username', 'description', 'url', 'location', 'entities', 'profile_image_url', 'created_at', 'public_metrics'] as TTweetv2UserField[];
export const TWEET_EXPANSIONS = ['author_id', 'referenced_tweets.id', 'referenced_tweets.id.author_id', 'in_reply_to_user_id'] as TTweetv2Expansion[];
export const DM_FIELDS = ['id', 'event_type', 'text', 'sender_id', 'dm_conversation_id', 'created_at', 'participant_ids', 'referenced_tweets', 'attachments', 'entities'];
export const DM_EXPANSIONS = ['sender_id', 'participant_ids'];

/** One timeline's pass: the contract's view of it (shared/contract/runs.ts), so the two never drift. */
export type XScopeReport = XSyncReportView['scopes'][number];

export class Run {
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
    opts: SchedulerOptions,
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

  /**
   * Store the queued pages; pages before a bad one are kept, nothing of the bad one; then its error
   * is thrown. One transaction without a savepoint per page (see StoreOptions.noSavepoint): a bad
   * page rolls it back, and the pages before it are stored again without it.
   */
  flush(): void {
    if (!this.pending.length) return;
    const items = this.pending;
    this.pending = [];
    const total: Required<UsageDelta> = { requests: 0, postsRead: 0, usersRead: 0, dmEventsRead: 0, postsCreated: 0, postsCreatedWithUrl: 0, dmsSent: 0 };
    for (const p of items) for (const k of Object.keys(total) as (keyof UsageDelta)[]) total[k] += p.usage[k] ?? 0;
    let failure: unknown = null;
    const restoreTempStore = tempStoreInMemory(this.ctx.db);
    try {
      let upTo = items.length;
      for (;;) {
        const r = this.storeFirst(items, upTo, total);
        if ('stored' in r) {
          r.stored.forEach((s, i) => {
            const rep = items[i]!.rep;
            rep.items += s.items;
            rep.inserted += s.inserted;
            rep.duplicates += s.duplicates;
            for (const id of s.conversationIds) this.touched.add(id);
          });
          break;
        }
        failure = r.error;
        upTo = r.bad;
      }
    } finally {
      restoreTempStore();
    }
    if (failure) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  }

  /** The first n pages and every page's usage in one transaction; or which page failed (all rolled back). */
  private storeFirst(items: Run['pending'], n: number, usage: UsageDelta): { stored: StoreResult[] } | { bad: number; error: unknown } {
    let bad = -1;
    try {
      return {
        stored: this.ctx.db.transaction(() => {
          const out: StoreResult[] = [];
          for (let i = 0; i < n; i++) {
            const p = items[i]!;
            try {
              out.push(this.store(p.kind, p.page, p.source, true));
            } catch (e) {
              bad = i;
              throw e;
            }
          }
          // Every page fetched is read (and billed), stored or not.
          this.usage(usage);
          return out;
        })(),
      };
    } catch (e) {
      // Rolled back: forget what the run cache learnt from these pages.
      this.cache.identities.clear();
      this.cache.conversations.clear();
      if (bad < 0) throw e;
      return { bad, error: e };
    }
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

  /** Store a page (noSavepoint: inside flush's transaction, which rolls back whole when it throws). */
  store(kind: XPageKind, page: unknown, source: string, noSavepoint = false): StoreResult {
    let r: StoreResult;
    try {
      r = storeXPage(this.ctx.db, kind, page, { source, accountId: this.acc.id, self: this.self, now: this.now, cache: this.cache, noSavepoint });
    } catch (e) {
      // The page was rolled back: forget what the run cache learnt from it.
      this.cache.identities.clear();
      this.cache.conversations.clear();
      throw e;
    }
    if (!noSavepoint) for (const id of r.conversationIds) this.touched.add(id);
    return r;
  }

  async me(): Promise<void> {
    const res = await this.sched.call('GET /2/users/me', () => this.client.v2.me({ 'user.fields': USER_FIELDS }));
    this.usage({ requests: 1, usersRead: 1 });
    this.store('me', res, 'GET /2/users/me');
    this.self = { id: res.data.id, username: res.data.username, name: res.data.name };
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
