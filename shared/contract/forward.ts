// Forward an email conversation: "Fwd:" subject, the owner's note above the quoted original, and
// the original's attachments re-attached (all, or those chosen). Goes through the email outbox.
import { z } from 'zod';
import type { EmailOutboxItemView } from './outbox';

const id = z.number().int().positive();
const address = z.string().min(3).max(320);

export const forwardSchemas = {
  /** What a forward would contain: subject, quoted original and attachments (the composer's prefill). */
  'email.forward.draft': z.object({ conversationId: id }).strict(),
  'email.forward': z
    .object({
      conversationId: id,
      to: z.array(address).min(1).max(50),
      cc: z.array(address).max(50).optional(),
      /** The whole body as sent (the composer prefills the quoted original). */
      text: z.string().max(1_000_000),
      subject: z.string().max(998).optional(),
      /** Attachment ids to re-attach (from the conversation); default: every attachment of the forwarded message. */
      attachmentIds: z.array(id).max(100).optional(),
      idempotencyKey: z.string().min(1).max(200).optional(),
    })
    .strict(),
} as const;

export interface ForwardDraftView {
  conversationId: number;
  /** The message forwarded: the latest one (from the customer when there is one). */
  messageId: number;
  subject: string;
  /** The quoted original: a header block and its text. */
  quoted: string;
  attachments: { id: number; filename: string; mimeType: string; size: number }[];
}

export interface ForwardResults {
  'email.forward.draft': ForwardDraftView;
  'email.forward': EmailOutboxItemView;
}
