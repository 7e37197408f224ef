// Stored attachments as the window opens them (attachments.get). Statements prepared once per database.
import { prepRead, type ReadDB } from '../../stmt';
import type { AttachmentRow } from '../messages';

/** The attachments row's columns attachments.get reads. */
export type StoredAttachment = Omit<AttachmentRow, 'content_id' | 'disposition'>;

export function attachmentById(db: ReadDB, id: number): StoredAttachment | undefined {
  return prepRead(db, 'SELECT id, message_id, filename, mime_type, size, sha256 FROM attachments WHERE id = ?').get(id) as StoredAttachment | undefined;
}
