// The X sync engine: through twitter-api-v2 only. Per account and run:
//   GET /2/users/me                      → the business's own identity (outbound vs inbound)
//   GET /2/users/:id/mentions            → since_id cursor (sync_state 'x:mentions'), pages by pagination_token
//   GET /2/tweets/search/recent          → one cursor per watched query ('x:search:<query>')
//   GET /2/dm_events                     → no since_id on this endpoint: newest-first pages until a known id ('x:dm_events')
// with author / referenced-post expansions. Every page goes through the importer's normalizer
// (normalize.ts) in one transaction; a cursor moves only after all pages of its scope are stored.
// Calls go through XScheduler (rate limits, 429 reset waits, jittered backoff, token refresh) and
// the usage meter (spend estimate, monthly cap).

import type { CoreContext } from '../context';
import { getSyncCursor, setSyncState } from '../db/repos/accounts';
import { getXAccount, pricesOf } from './account';
import type { SchedulerOptions } from './limits';
import { dmScope, tweetScope } from './sync-scopes';
import { Run, TWEET_EXPANSIONS, TWEET_FIELDS, USER_FIELDS, type XScopeReport } from './sync-run';
import type { XSelf, XTweetsPage } from './types';
import { getUsage, withinCap, type XUsage } from './usage';

export type { XScopeReport } from './sync-run';

/** How often users/me is asked again once the account's id is known. */
export const ME_EVERY_MS = 24 * 3600_000;

export type XScope = 'mentions' | 'search' | 'dm_events';

export interface XSyncOptions extends SchedulerOptions {
  /** Which scopes to run (default all). */
  scopes?: XScope[];
}

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
      await tweetScope(
        run,
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
        await tweetScope(
          run,
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
    if (scopes.has('dm_events')) await dmScope(run);
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
