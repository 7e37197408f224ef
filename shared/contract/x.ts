// The X channel's part of the contract: accounts (settings, reach, usage and spend), sync, replies
// (public reply or DM) with the length and private-data check, and the X outbox.
// Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';

const id = z.number().int().positive();
const usd = z.number().min(0).max(1_000_000);

export const xSchemas = {
  'x.accounts.list': z.object({}).strict(),
  /** Settings the owner changes: watched searches, poll interval, price table, monthly cap. */
  'x.accounts.update': z
    .object({
      id,
      patch: z
        .object({
          name: z.string().min(1).max(200).optional(),
          enabled: z.boolean().optional(),
          watchedQueries: z.array(z.string().min(1).max(512)).max(50).optional(),
          pollIntervalSec: z.number().int().min(30).max(86_400).optional(),
          monthlyCapUsd: usd.nullable().optional(),
          prices: z
            .object({ postRead: usd, userRead: usd, dmEventRead: usd, postCreate: usd, postCreateWithUrl: usd, dmCreate: usd })
            .partial()
            .strict()
            .optional(),
        })
        .strict(),
    })
    .strict(),
  /** Run one sync pass (in the background) for one X account or all; 'sync.status' events follow. */
  'x.sync.run': z.object({ accountId: id.optional() }).strict(),
  /** Length (as X counts it) and private-data warnings of a draft. */
  'x.reply.check': z.object({ conversationId: id, text: z.string().max(100_000) }).strict(),
  /** Queue a public reply (post conversations) or a DM (DM conversations); sent at once when possible. */
  'x.reply': z
    .object({
      conversationId: id,
      text: z.string().max(100_000),
      /** The owner saw the private-data warning and wants to post anyway. */
      confirmPrivate: z.boolean().optional(),
      idempotencyKey: z.string().min(1).max(200).optional(),
    })
    .strict(),
  'x.outbox.list': z
    .object({ conversationId: id.optional(), states: z.array(z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled'])).optional() })
    .strict(),
  'x.outbox.retry': z.object({ id }).strict(),
  'x.outbox.cancel': z.object({ id }).strict(),
} as const;

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

export interface XReplyCheckView {
  kind: 'tweet' | 'dm';
  length: { weightedLength: number; maxLength: number; remaining: number; valid: boolean; problem: string | null };
  private: {
    warnings: { kind: 'email' | 'phone' | 'reference'; value: string; seenIn: { messageId: number; kind: 'email' | 'dm'; conversationId: number }[] }[];
    other: { kind: 'email' | 'phone' | 'reference'; value: string }[];
  };
  needsConfirmation: boolean;
}

export interface XOutboxItemView {
  id: number;
  accountId: number | null;
  conversationId: number | null;
  kind: 'tweet' | 'dm';
  state: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** Post id or DM event id once sent. */
  externalId: string | null;
  text: string;
  to: string;
  createdAt: number;
  updatedAt: number;
}

export interface XResults {
  'x.accounts.list': XAccountView[];
  'x.accounts.update': XAccountView;
  'x.sync.run': { started: number[] };
  'x.reply.check': XReplyCheckView;
  'x.reply': XOutboxItemView;
  'x.outbox.list': XOutboxItemView[];
  'x.outbox.retry': XOutboxItemView;
  'x.outbox.cancel': XOutboxItemView;
}
