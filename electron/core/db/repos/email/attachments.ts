// Stored attachments as the window opens them (attachments.get). Statements prepared once per database.
import { prepRead, type ReadDB } from '../../stmt';

export interface StoredAttachment {
  id: number;
  message_id: number;
  filename: string;
  mime_type: string;
  size: number;
  sha256: string;
}

export function attachmentById(db: ReadDB, id: number): StoredAttachment | undefined {
  return prepRead(db, 'SELECT id, message_id, filename, mime_type, size, sha256 FROM attachments WHERE id = ?').get(id) as StoredAttachment | undefined;
}
