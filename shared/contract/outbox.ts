// The outbox of both channels: email replies and forwards (SMTP), X public replies and DMs. One
// table, one id space: retry and cancel take the item's id and the core hands it to its channel.
// Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';

const id = z.number().int().positive();
export const channel = z.enum(['email', 'x']);
const state = z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled']);

export const outboxSchemas = {
  /**
   * Outbox items, oldest first: of one channel or both, of one conversation (`withGroup`: and the
   * other parts of its cross-channel answers), of one cross-channel answer (`groupId`), in some states.
   */
  'outbox.list': z
    .object({
      channel: channel.optional(),
      conversationId: id.optional(),
      withGroup: z.boolean().optional(),
      groupId: z.string().min(1).max(100).optional(),
      states: z.array(state).optional(),
    })
    .strict(),
  /** Send a failed item again now. */
  'outbox.retry': z.object({ id }).strict(),
  /** Never send a queued or failed item. */
  'outbox.cancel': z.object({ id }).strict(),
  /** Send every due item now (of one channel, or both); resolves when they were tried. */
  'outbox.send': z.object({ channel: channel.optional() }).strict(),
} as const;

export type OutboxState = z.infer<typeof state>;

export interface EmailOutboxItemView {
  channel: 'email';
  id: number;
  accountId: number | null;
  conversationId: number | null;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** Message-ID once sent. */
  externalId: string | null;
  /** The cross-channel answer (replies.sendBoth) this item is one part of, else null. */
  groupId: string | null;
  subject: string;
  to: string[];
  createdAt: number;
  updatedAt: number;
}

export interface XOutboxItemView {
  channel: 'x';
  id: number;
  accountId: number | null;
  conversationId: number | null;
  kind: 'tweet' | 'dm';
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** Post id or DM event id once sent. */
  externalId: string | null;
  /** The cross-channel answer (replies.sendBoth) this item is one part of, else null. */
  groupId: string | null;
  text: string;
  to: string;
  createdAt: number;
  updatedAt: number;
}

/** An outbox item of either channel (`channel` tells which). */
export type OutboxItemView = EmailOutboxItemView | XOutboxItemView;

/** What one send run did with an item. */
export interface OutboxSendView {
  id: number;
  channel: 'email' | 'x';
  state: OutboxState;
  error?: string;
}

export interface OutboxResults {
  'outbox.list': OutboxItemView[];
  'outbox.retry': OutboxItemView;
  'outbox.cancel': OutboxItemView;
  'outbox.send': OutboxSendView[];
}
