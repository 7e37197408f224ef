// Replies of both channels: one call, its args a union on `channel` (email: reply or reply-all,
// X: a public reply or a DM as the conversation is). The core hands each channel to its adapter
// (electron/core/replies/adapters.ts). Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';
import type { Escalation } from '../domain/types';
import type { EmailOutboxItemView, OutboxItemView, XOutboxItemView } from './outbox';
import { MAX_ATTACHMENTS, outgoingAttachment } from './compose';

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
      /** Files to attach (compose.limits says how much; a name with path pieces or control characters is sanitized). */
      attachments: z.array(outgoingAttachment).max(MAX_ATTACHMENTS).optional(),
      /** Wait Settings' undo seconds in the outbox first (outbox.undo takes it back meanwhile); without it the reply goes at once. */
      undo: z.boolean().optional(),
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
      /** Wait Settings' undo seconds in the outbox first (outbox.undo takes it back meanwhile). */
      undo: z.boolean().optional(),
      idempotencyKey,
    })
    .strict(),
]);

/**
 * The cross-channel answer: the email answer to the customer's thread and the reply on X (a public
 * reply to their post, or a DM), queued together as two outbox items sharing a group id; each is
 * sent and retried on its own, never twice. Both conversations move to `status` together.
 */
export const replySendBoth = z
  .object({
    email: z.object({ conversationId: id, text: z.string().max(1_000_000), html: z.string().max(5_000_000).nullable().optional(), all: z.boolean().optional() }).strict(),
    x: z.object({ conversationId: id, text: z.string().max(100_000), confirmPrivate: z.boolean().optional() }).strict(),
    /** Where both conversations go once queued (default waiting). */
    status: z.enum(['waiting', 'done']).optional(),
    /** A likely escalation: the owner knows that sending confirms the suggested link (refused without it). */
    confirmLink: z.boolean().optional(),
    idempotencyKey,
  })
  .strict();

export const replySchemas = {
  /** Queue a reply in the conversation's channel; it is sent at once when possible. */
  'replies.send': replySend,
  /** Queue the email answer and the X reply together (replySendBoth). */
  'replies.sendBoth': replySendBoth,
  /**
   * The other half of a cross-channel answer for a conversation, or null: for an escalated or likely
   * X conversation its email thread; for an email thread the customer's open X conversation.
   */
  'replies.counterpart': z.object({ conversationId: id }).strict(),
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

/** Both halves of a cross-channel answer, as the composer shows them. */
export interface ReplyCounterpartView {
  email: { conversationId: number; subject: string; customerName: string; to: string };
  x: { conversationId: number; kind: 'tweet' | 'dm'; to: string; escalation: Escalation | null };
  /** Set when the X conversation is a likely escalation: sending confirms this suggested link. */
  confirmsLink: { linkId: number; name: string; email: string } | null;
  /** The X part's starting text (the escalation default). */
  defaultXText: string;
}

export interface ReplySendBothView {
  groupId: string;
  status: 'waiting' | 'done';
  email: EmailOutboxItemView;
  x: XOutboxItemView;
  /** The link confirmed by sending (a likely escalation), else null. */
  confirmedLinkId: number | null;
  /** The X conversation's escalation with the answer recorded, else null. */
  escalation: Escalation | null;
}

export interface ReplyResults {
  'replies.send': OutboxItemView;
  'replies.sendBoth': ReplySendBothView;
  'replies.counterpart': ReplyCounterpartView | null;
  'replies.check': XReplyCheckView;
}
