// What the composer needs around an email reply: attachments (sent as base64 within the call,
// stored content-addressed by the core before the reply is queued), the attachment limit told
// before sending (the SMTP server's EHLO SIZE when known, else 25 MB), each email account's
// signature, and undo send (an email or X reply queued with `undo` waits the configured seconds in the
// outbox; outbox.undo takes it back). X replies take no attachments and no signature.
// Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';
import type { OutboxItemView } from './outbox';

const id = z.number().int().positive();

/** The attachments' total when the server announces no smaller SIZE (as Gmail and Outlook take). */
export const DEFAULT_ATTACHMENT_LIMIT = 25 * 1024 * 1024;
/** The most files one reply carries. */
export const MAX_ATTACHMENTS = 20;
/** The longest signature. */
export const MAX_SIGNATURE = 4000;
/** The most seconds a reply may wait for undo (Settings). */
export const MAX_UNDO_SECONDS = 30;

/** base64 of at most DEFAULT_ATTACHMENT_LIMIT bytes. */
const base64 = z
  .string()
  .max(Math.ceil(DEFAULT_ATTACHMENT_LIMIT / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

/** A file attached to an email reply: its name as picked (sanitized by the core), its type and bytes. */
export const outgoingAttachment = z
  .object({
    filename: z.string().max(1000),
    /** A MIME type such as image/png; anything else is sent as application/octet-stream. */
    contentType: z.string().max(200).optional(),
    base64,
  })
  .strict();

export type OutgoingAttachment = z.infer<typeof outgoingAttachment>;

export const composeSchemas = {
  /** What a reply to this email conversation may carry: the attachment limit (and where it comes from), the signature, the undo delay. */
  'compose.limits': z.object({ conversationId: id }).strict(),
  /** Take back a reply queued with `undo` before it is sent: cancelled, its conversation's status as before; returns the text to put back. */
  'outbox.undo': z.object({ id }).strict(),
  /** Every email account's signature ('' when none). */
  'signatures.list': z.object({}).strict(),
  /** Set an email account's signature ('' removes it). Emits 'settings.changed'. */
  'signatures.set': z.object({ accountId: id, text: z.string().max(MAX_SIGNATURE) }).strict(),
} as const;

export interface ComposeLimitsView {
  accountId: number;
  accountName: string;
  /** The most bytes the files of one reply may have together. */
  maxAttachmentBytes: number;
  /** The server's EHLO SIZE (whole message), null when it announced none or could not be asked. */
  serverMaxBytes: number | null;
  source: 'server' | 'default';
  /** The limit in words, as the composer shows it. */
  note: string;
  /** Appended below "-- " to email replies from this account ('' when none). */
  signature: string;
  /** Seconds a reply waits in the outbox for Undo (0: sent at once). */
  undoSeconds: number;
}

export interface SignatureView {
  accountId: number;
  accountName: string;
  address: string | null;
  signature: string;
  updatedAt: number | null;
}

export interface UndoSendView {
  item: OutboxItemView;
  /** The reply's text as typed (email: without the signature), to put back in the composer. */
  text: string;
  html: string | null;
  all: boolean;
  attachments: { filename: string; contentType: string; size: number }[];
}

export interface ComposeResults {
  'compose.limits': ComposeLimitsView;
  'outbox.undo': UndoSendView;
  'signatures.list': SignatureView[];
  'signatures.set': SignatureView;
}
