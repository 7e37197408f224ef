// The X channel's part of the contract: account settings and views (reach, usage and spend). Its calls
// are by domain: accounts (accounts.ts), sync (runs.ts), replies (replies.ts), the outbox (outbox.ts).
import { z } from 'zod';

const usd = z.number().min(0).max(1_000_000);

/** What an owner may change on an X account (accounts.update with channel 'x'): watched searches, poll interval, price table, monthly cap. */
export const xAccountPatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    enabled: z.boolean().optional(),
    watchedQueries: z.array(z.string().min(1).max(512)).max(50).optional(),
    pollIntervalSec: z.number().int().min(30).max(86_400).optional(),
    monthlyCapUsd: usd.nullable().optional(),
    prices: z.object({ postRead: usd, userRead: usd, dmEventRead: usd, postCreate: usd, postCreateWithUrl: usd, dmCreate: usd }).partial().strict().optional(),
  })
  .strict();

/** What an X account read and wrote this month, and the estimated spend (electron/core/x/usage.ts). */
export interface XUsageView {
  /** Calendar month (UTC) the figures belong to, "2026-11". */
  month: string;
  requests: number;
  postsRead: number;
  usersRead: number;
  dmEventsRead: number;
  postsCreated: number;
  /** Of postsCreated, those with a URL (billed at postCreateWithUrl). */
  postsCreatedWithUrl: number;
  dmsSent: number;
  /** Estimated spend in USD under the price table in force when each item was counted. */
  spendUsd: number;
}

/** USD per resource read or per write request (defaults: electron/core/x/usage.ts DEFAULT_X_PRICES). */
export interface XPriceTableView {
  postRead: number;
  userRead: number;
  dmEventRead: number;
  postCreate: number;
  /** A post whose text contains a URL is billed at this rate instead. */
  postCreateWithUrl: number;
  dmCreate: number;
}

export interface XAccountView {
  channel: 'x';
  id: number;
  name: string;
  handle: string | null;
  xUserId: string | null;
  auth: 'oauth2' | 'oauth1' | 'bearer' | null;
  apiBase: string | null;
  enabled: boolean;
  hasCredential: boolean;
  watchedQueries: string[];
  pollIntervalSec: number;
  monthlyCapUsd: number | null;
  prices: XPriceTableView;
  /** Endpoints the credentials reached at the last check. */
  reach: Record<string, { ok: boolean; error?: string; checkedAt: number }>;
  usage: XUsageView;
  /** Polling paused because the next page could cross the monthly cap. */
  capped: boolean;
  running: boolean;
  scopes: { scope: string; status: string; lastError: string | null; progress: unknown; updatedAt: number }[];
}
