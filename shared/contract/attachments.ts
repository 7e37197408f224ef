// Opening an attachment: its bytes (base64) with the stored filename and content type, read from the
// content-addressed attachments folder only (by the row's sha256, checked on read).
import { z } from 'zod';

export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

export const attachmentSchemas = {
  'attachments.get': z.object({ id: z.number().int().positive() }).strict(),
} as const;

export interface AttachmentContentView {
  id: number;
  messageId: number;
  filename: string;
  mimeType: string;
  size: number;
  /** The file's bytes, base64. */
  base64: string;
}

export interface AttachmentResults {
  'attachments.get': AttachmentContentView;
}
