// What replying to and forwarding an email conversation read (email/outbox.ts, email/forward.ts):
// the conversation's channel and account, the message answered or forwarded, its body and
// attachments. Statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepRead, prepReadPluck, type ReadDB } from '../../stmt';
import type { AttachmentRow } from '../messages';

export function conversationChannel(db: ReadDB, conversationId: number): { id: number; channel: string; account_id: number | null } | undefined {
  return prepRead(db, 'SELECT id, channel, account_id FROM conversations WHERE id = ?').get(conversationId) as { id: number; channel: string; account_id: number | null } | undefined;
}

/** The message a reply answers or a forward carries: the latest from the customer, else the latest (the whole row). */
export function latestMessageToAnswer<Row>(db: ReadDB, conversationId: number): Row | undefined {
  return prepRead(db, `SELECT * FROM messages WHERE conversation_id = ? ORDER BY direction = 'in' DESC, sent_at DESC, id DESC LIMIT 1`).get(conversationId) as Row | undefined;
}

export function messageBodyText(db: ReadDB, messageId: number): string | undefined {
  return prepReadPluck(db, 'SELECT body_text FROM messages WHERE id = ?').get(messageId) as string | undefined;
}

export function attachmentsOfMessage(db: ReadDB, messageId: number): AttachmentRow[] {
  return prepRead(db, 'SELECT * FROM attachments WHERE message_id = ? ORDER BY id').all(messageId) as AttachmentRow[];
}

/** Those of these attachments that belong to a conversation's messages, by id. */
export function conversationAttachments(db: ReadDB, conversationId: number, ids: readonly number[]): AttachmentRow[] {
  if (!ids.length) return [];
  return prepRead(
    db,
    `SELECT a.* FROM attachments a JOIN messages m ON m.id = a.message_id
     WHERE m.conversation_id = ? AND a.id IN (${ids.map(() => '?').join(',')}) ORDER BY a.id`,
  ).all(conversationId, ...ids) as AttachmentRow[];
}

/** Replace an outbox row's payload (JSON text). */
export function setOutboxPayload(db: DB, outboxId: number, payload: string, now: number): void {
  prep(db, 'UPDATE outbox SET payload = ?, updated_at = ? WHERE id = ?').run(payload, now, outboxId);
}
