// The X sync's timelines: a since_id-tracked tweet scope (mentions, a watched search) and the DM
// events scope (newest first until a known id). Each asks for its next page while the last one is
// queued for storing, pauses at the monthly cap, and moves its cursor only once all its pages are stored.
import type { TwitterApi } from 'twitter-api-v2';
import { getSyncCursor, setSyncState } from '../db/repos/accounts';
import { XApiFailure } from './limits';
import { DM_EXPANSIONS, DM_FIELDS, USER_FIELDS, yieldToIo, type Run, type XScopeReport } from './sync-run';
import { compareIds } from './text';
import type { XDmEventsPage, XTweetsPage } from './types';

/** One paged, since_id-tracked tweet scope (mentions or a watched search). */
export async function tweetScope(
  run: Run,
  scope: string,
  endpoint: string,
  fetchPage: (params: { since_id?: string; token?: string; max: number }) => Promise<{ data: XTweetsPage; rateLimit?: unknown }>,
  kind: 'mentions' | 'search',
): Promise<void> {
  // max_results: mentions 5-100, recent search 10-100.
  const minSize = kind === 'mentions' ? 5 : 10;
  const rep: XScopeReport = { scope, pages: 0, items: 0, inserted: 0, duplicates: 0, status: 'ok' };
  run.reports.push(rep);
  const db = run.ctx.db;
  const cursor = getSyncCursor<{ sinceId?: string }>(db, run.acc.id, scope, {});
  setSyncState(db, run.acc.id, scope, { status: 'running', now: run.now });
  let sinceId = cursor.sinceId;
  let newest: string | undefined;
  let token: string | undefined;
  try {
    // The next page is requested before this one is stored, so storing overlaps the network.
    let inFlight: Promise<{ data: XTweetsPage }> | null = null;
    do {
      const max = inFlight ? 0 : run.pageFor('tweets', minSize);
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
          pg = await run.sched.call(endpoint, () => fetchPage({ ...(sinceId ? { since_id: sinceId } : {}), ...(token ? { token } : {}), max }));
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
      run.queue(kind, page, endpoint, { requests: 1, postsRead: (page.data?.length ?? 0) + (page.includes?.tweets?.length ?? 0), usersRead: page.includes?.users?.length ?? 0 }, rep);
      if (rep.pages === 0) newest = page.meta?.newest_id;
      rep.pages++;
      token = page.meta?.next_token;
      if (token && rep.pages >= run.maxPages) {
        rep.truncated = true;
        break;
      }
      if (token) {
        const next = run.pageFor('tweets', minSize);
        if (!next) {
          rep.status = 'capped';
          break;
        }
        const t = token;
        const since = sinceId;
        inFlight = run.sched.call(endpoint, () => fetchPage({ ...(since ? { since_id: since } : {}), token: t, max: next }));
        inFlight.catch(() => undefined); // awaited next turn; never an unhandled rejection
        await yieldToIo();
      }
      run.maybeFlush();
    } while (token);
    const next = newerId(newest, cursor.sinceId);
    run.finish(scope, rep, { ...(next ? { sinceId: next } : {}) });
  } catch (e) {
    run.fail(rep, scope, e);
  }
}

export async function dmScope(run: Run): Promise<void> {
  const scope = 'x:dm_events';
  const endpoint = 'GET /2/dm_events';
  const rep: XScopeReport = { scope, pages: 0, items: 0, inserted: 0, duplicates: 0, status: 'ok' };
  run.reports.push(rep);
  const db = run.ctx.db;
  const cursor = getSyncCursor<{ newestId?: string }>(db, run.acc.id, scope, {});
  setSyncState(db, run.acc.id, scope, { status: 'running', now: run.now });
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
      return run.sched.call(endpoint, () => run.client.v2.listDmEvents(params as Parameters<TwitterApi['v2']['listDmEvents']>[0]));
    };
    for (;;) {
      const max = inFlight ? 0 : run.pageFor('dms', 1);
      if (!inFlight && !max) {
        rep.status = 'capped';
        break;
      }
      const pg = await (inFlight ?? fetchDms(token, max));
      inFlight = null;
      const page = pg.data as XDmEventsPage;
      run.queue('dm_events', page, endpoint, { requests: 1, dmEventsRead: page.data?.length ?? 0, usersRead: page.includes?.users?.length ?? 0 }, rep);
      const ids = (page.data ?? []).map((e) => e.id);
      if (rep.pages === 0) top = ids[0];
      rep.pages++;
      token = page.meta?.next_token;
      // Newest first: once a page reaches what the last run stored, the rest is known.
      const reachedKnown = cursor.newestId !== undefined && ids.some((id) => compareIds(id, cursor.newestId!) <= 0);
      if (!token || reachedKnown) break;
      if (rep.pages >= run.maxPages) {
        rep.truncated = true;
        break;
      }
      const next = run.pageFor('dms', 1);
      if (!next) {
        rep.status = 'capped';
        break;
      }
      inFlight = fetchDms(token, next);
      inFlight.catch(() => undefined);
      await yieldToIo();
      run.maybeFlush();
    }
    const next = newerId(top, cursor.newestId);
    run.finish(scope, rep, { ...(next ? { newestId: next } : {}) });
  } catch (e) {
    run.fail(rep, scope, e);
  }
}

/** The newer of two snowflake ids (either may be missing). */
function newerId(a: string | undefined, b: string | undefined): string | undefined {
  return a && (!b || compareIds(a, b) > 0) ? a : b;
}
