// Replies of both channels: one call, its args a union on `channel` (email: reply or reply-all,
// X: a public reply or a DM as the conversation is). The core hands each channel to its adapter
// (electron/core/replies/adapters.ts). Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';
import type { OutboxItemView } from './outbox';

const id = z.number().int().positive();
/** The same key twice queues one reply (double click, retried request). */
const idempotencyKey = z.string().min(1).max(200).optional();

export const replySend = z.discriminatedUnion('channel', [
  /** Reply (reply-all with `all`) to the latest message of an email conversation. */
  z
    .object({
      channel: z.literal('email'),
      conversationId: id,
      text: z.string().max(1_000_000),
      html: z.string().max(5_000_000).nullable().optional(),
      all: z.boolean().optional(),
      idempotencyKey,
    })
    .strict(),
  /** A public reply (post conversations) or a DM (DM conversations). */
  z
    .object({
      channel: z.literal('x'),
      conversationId: id,
      text: z.string().max(100_000),
      /** The owner saw the private-data warning and wants to post anyway. */
      confirmPrivate: z.boolean().optional(),
      idempotencyKey,
    })
    .strict(),
]);

export const replySchemas = {
  /** Queue a reply in the conversation's channel; it is sent at once when possible. */
  'replies.send': replySend,
  /** What the channel checks in a draft before it can be sent (X: its length as X counts it, private data). */
  'replies.check': z.discriminatedUnion('channel', [z.object({ channel: z.literal('x'), conversationId: id, text: z.string().max(100_000) }).strict()]),
} as const;

export type ReplyChannel = z.infer<typeof replySend>['channel'];

export interface XReplyCheckView {
  channel: 'x';
  kind: 'tweet' | 'dm';
  length: { weightedLength: number; maxLength: number; remaining: number; valid: boolean; problem: string | null };
  private: {
    warnings: { kind: 'email' | 'phone' | 'reference'; value: string; seenIn: { messageId: number; kind: 'email' | 'dm'; conversationId: number }[] }[];
    other: { kind: 'email' | 'phone' | 'reference'; value: string }[];
  };
  needsConfirmation: boolean;
}

export interface ReplyResults {
  'replies.send': OutboxItemView;
  'replies.check': XReplyCheckView;
}
