// The X usage meter: what an account read and wrote this month, and what that is estimated to
// cost under a price table (X's pay-per-use API bills per resource). An optional monthly cap
// pauses polling before a request could cross it.

import type { XPriceTableView, XUsageView } from '../../../shared/contract/x';
import type { DB } from '../db/open';
import { getSyncCursor, setSyncState } from '../db/repos/accounts';

/**
 * USD per resource read or per write request. Defaults: X API pay-per-usage list prices (docs.x.com,
 * "X API pay-per-usage pricing and credits", 2026): Posts: Read 0.005, User: Read 0.010, DM Event: Read
 * 0.010, Content: Create 0.015 (0.200 with a URL), DM Interaction: Create 0.015. Override per account.
 * X charges a resource read twice in one UTC day once; the meter counts every read, so it errs high.
 */
export type XPriceTable = XPriceTableView;

export const DEFAULT_X_PRICES: XPriceTable = {
  postRead: 0.005,
  userRead: 0.01,
  dmEventRead: 0.01,
  postCreate: 0.015,
  postCreateWithUrl: 0.2,
  dmCreate: 0.015,
};

export type XUsage = XUsageView;

export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function scope(month: string): string {
  return `x:usage:${month}`;
}

function empty(month: string): XUsage {
  return { month, requests: 0, postsRead: 0, usersRead: 0, dmEventsRead: 0, postsCreated: 0, postsCreatedWithUrl: 0, dmsSent: 0, spendUsd: 0 };
}

export function getUsage(db: DB, accountId: number, now: number): XUsage {
  const month = monthOf(now);
  return { ...empty(month), ...getSyncCursor<Partial<XUsage>>(db, accountId, scope(month), {}), month };
}

export type UsageDelta = Partial<Omit<XUsage, 'month' | 'spendUsd'>>;

export function costOf(d: UsageDelta, prices: XPriceTable): number {
  return (
    (d.postsRead ?? 0) * prices.postRead +
    (d.usersRead ?? 0) * prices.userRead +
    (d.dmEventsRead ?? 0) * prices.dmEventRead +
    ((d.postsCreated ?? 0) - (d.postsCreatedWithUrl ?? 0)) * prices.postCreate +
    (d.postsCreatedWithUrl ?? 0) * prices.postCreateWithUrl +
    (d.dmsSent ?? 0) * prices.dmCreate
  );
}

/** Add to this month's figures; returns the new totals. */
export function recordUsage(db: DB, accountId: number, d: UsageDelta, prices: XPriceTable, now: number): XUsage {
  const u = getUsage(db, accountId, now);
  const next: XUsage = {
    month: u.month,
    requests: u.requests + (d.requests ?? 0),
    postsRead: u.postsRead + (d.postsRead ?? 0),
    usersRead: u.usersRead + (d.usersRead ?? 0),
    dmEventsRead: u.dmEventsRead + (d.dmEventsRead ?? 0),
    postsCreated: u.postsCreated + (d.postsCreated ?? 0),
    postsCreatedWithUrl: u.postsCreatedWithUrl + (d.postsCreatedWithUrl ?? 0),
    dmsSent: u.dmsSent + (d.dmsSent ?? 0),
    spendUsd: Math.round((u.spendUsd + costOf(d, prices)) * 1e6) / 1e6,
  };
  setSyncState(db, accountId, scope(u.month), { cursor: next, now });
  return next;
}

/** Whether a read that could cost up to `worstCase` USD stays under the cap. */
export function withinCap(usage: XUsage, worstCase: number, capUsd: number | null | undefined): boolean {
  if (capUsd == null) return true;
  return usage.spendUsd + worstCase <= capUsd;
}

/** Most a post read through the sync can cost: itself, two referenced posts, four users (expansions). */
export function worstPerPost(p: XPriceTable): number {
  return 3 * p.postRead + 4 * p.userRead;
}

/** Most a DM event read can cost: itself, its sender and the other participant. */
export function worstPerDmEvent(p: XPriceTable): number {
  return p.dmEventRead + 2 * p.userRead;
}

/** The smallest mentions page (max_results 5) no longer fits under the cap: polling of posts is paused. */
export function postsCapped(usage: XUsage, p: XPriceTable, capUsd: number | null | undefined): boolean {
  return !withinCap(usage, 5 * worstPerPost(p), capUsd);
}
