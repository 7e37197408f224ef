// X API v2 pages → stored rows. One normalizer for the importer and the live sync: a page is
// validated whole (validate.ts), then written in one SQLite transaction (all of it or nothing).
import type { DB } from '../db/open';
import * as xIngest from '../db/repos/x/ingest';
import { ensureXIdentity } from '../db/repos/customers';
import { withBulkFts } from '../db/repos/messages';
import { getAccount, updateAccount } from '../db/repos/accounts';
import type { Identity, XProfile } from '../../../shared/domain/types';
import type { XDmEventsPage, XIncludes, XPageKind, XProblem, XTweetsPage, XUser, XUserPage } from './types';
import { parseXJson, validateDmEventsPage, validateTweetsPage, validateUserPage, XPageError } from './validate';
import { dmParticipants, dmText, mergeProfile, profileOf, referencedOf, timeOf, tweetText } from './items';
import { emptyStoreResult, PageWriter, type StoreOptions, type StoreResult } from './page-writer';

export { parseXJson, validateDmEventsPage, validateTweetsPage, validateUserPage, XPageError };
export { dmParticipants, dmText, mergeProfile, profileOf, referencedOf, tweetText };
export { newRunCache, type RunCache, type StoreOptions, type StoreResult } from './page-writer';

function usersOf(includes: XIncludes | undefined, extra: XUser[] = []): Map<string, XUser> {
  const m = new Map<string, XUser>();
  for (const u of [...(includes?.users ?? []), ...extra]) m.set(u.id, u);
  return m;
}

function problemsOf(errors: XProblem[] | undefined): string[] {
  return (errors ?? []).map((e) => [e.title, e.detail].filter(Boolean).join(': ') || JSON.stringify(e));
}

/** Mark the business's own account and remember it on the X account row. */
export function storeSelf(db: DB, page: XUserPage, opts: StoreOptions): Identity {
  return db.transaction(() => {
    const u = page.data;
    const storedProfile = xIngest.xProfileText(db, u.id);
    const ident = ensureXIdentity(db, {
      xUserId: u.id,
      handle: u.username,
      ...(u.name !== undefined ? { name: u.name } : {}),
      profile: mergeProfile(storedProfile ? (JSON.parse(storedProfile) as XProfile) : null, profileOf(u)),
      isSelf: true,
      now: opts.now ?? Date.now(),
      // A users/me file carries no date: it fills what is missing and replaces nothing observed.
      seenAt: opts.fromFile ? 0 : (opts.now ?? Date.now()),
    });
    if (opts.accountId) {
      const acc = getAccount(db, opts.accountId);
      if (acc && (acc.xUserId !== u.id || acc.address !== u.username)) {
        updateAccount(db, opts.accountId, { xUserId: u.id, address: u.username, now: opts.now ?? Date.now() });
      }
    }
    return ident;
  })();
}

/** The options with seenAt set: a file's users are as of its newest item (0 with none), a fetched page's now. */
function observed(opts: StoreOptions, items: { id: string; created_at?: string | undefined }[]): StoreOptions {
  if (!opts.fromFile || opts.seenAt !== undefined) return opts;
  let newest = 0;
  for (const i of items) newest = Math.max(newest, timeOf(i.created_at, i.id, 0));
  return { ...opts, seenAt: newest };
}

/** Run a page's writes in a transaction of its own, or straight in the caller's (opts.noSavepoint). */
function atomically<T>(db: DB, opts: StoreOptions, fn: () => T): T {
  return opts.noSavepoint && db.inTransaction ? fn() : db.transaction(fn)();
}

/**
 * Store a mentions, search or posts-lookup page. Posts in `includes.tweets` that belong to a
 * conversation of the page (the post replied to, the business's own replies) are stored too;
 * quoted posts from other conversations are not.
 */
export function storeTweetsPage(db: DB, page: XTweetsPage, opts: StoreOptions): StoreResult {
  // The page's search rows are indexed in one statement at the end (withBulkFts), not row by row.
  return atomically(db, opts, () =>
    withBulkFts(db, () => {
      const data = page.data ?? [];
      const w = new PageWriter(db, observed(opts, [...data, ...(page.includes?.tweets ?? page.includes?.posts ?? [])]), usersOf(page.includes));
      const conversations = new Set(data.map((t) => t.conversation_id ?? t.id));
      const dataIds = new Set(data.map((t) => t.id));
      for (const t of page.includes?.tweets ?? page.includes?.posts ?? []) {
        if (!dataIds.has(t.id) && t.conversation_id && conversations.has(t.conversation_id)) w.tweet(t, true);
      }
      for (const t of data) w.tweet(t, false);
      const r = w.finish();
      r.apiErrors = problemsOf(page.errors);
      return r;
    }),
  );
}

/** Store a DM events page (MessageCreate events become messages; join/leave are skipped). */
export function storeDmEventsPage(db: DB, page: XDmEventsPage, opts: StoreOptions): StoreResult {
  return atomically(db, opts, () =>
    withBulkFts(db, () => {
      const w = new PageWriter(db, observed(opts, page.data ?? []), usersOf(page.includes));
      for (const e of page.data ?? []) w.dmEvent(e);
      const r = w.finish();
      r.apiErrors = problemsOf(page.errors);
      return r;
    }),
  );
}

/** Validate and store one page of any kind. */
export function storeXPage(db: DB, kind: XPageKind, json: unknown, opts: StoreOptions): StoreResult {
  switch (kind) {
    case 'me': {
      const page = validateUserPage(json, opts.source);
      const ident = storeSelf(db, page, opts);
      return { ...emptyStoreResult(), items: 1, identityIds: [ident.id], ids: [page.data.id], apiErrors: problemsOf(page.errors) };
    }
    case 'dm_events':
      return storeDmEventsPage(db, validateDmEventsPage(json, opts.source), opts);
    default:
      return storeTweetsPage(db, validateTweetsPage(json, opts.source), opts);
  }
}
