// What storing one email needs beyond messages.ts and the threader: the message already stored
// under a Message-ID, its attachments' rows, a conversation's status after a new message, and its
// subject (its earliest message's). Statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepRead, type ReadDB } from '../../stmt';

/** The email stored under a Message-ID. */
export interface StoredEmailRef {
  id: number;
  conversation_id: number;
  direction: 'in' | 'out';
  author_address: string;
  sent_at: number;
  /** The start of the body (what tells a copy of a message from another message under its Message-ID). */
  body_start: string;
}

export function emailByMessageId(db: ReadDB, messageId: string): StoredEmailRef | undefined {
  return prepRead(db, "SELECT id, conversation_id, direction, author_address, sent_at, substr(body_text, 1, 600) AS body_start FROM messages WHERE kind = 'email' AND external_id = ?").get(
    messageId,
  ) as StoredEmailRef | undefined;
}

/** Messages kept under `${messageId}#…` because another message had their Message-ID first (ingest.ts reusedIdFor). */
export function reusedIdVariants(db: ReadDB, messageId: string): { external_id: string; author_address: string }[] {
  return prepRead(db, "SELECT external_id, author_address FROM messages WHERE kind = 'email' AND external_id >= ? AND external_id < ?").all(`${messageId}#`, `${messageId}$`) as {
    external_id: string;
    author_address: string;
  }[];
}

export interface AttachmentInsert {
  filename: string | null;
  mimeType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  disposition: string | null;
}

export function insertAttachment(db: DB, messageId: number, a: AttachmentInsert): void {
  prep(db, `INSERT INTO attachments (message_id, filename, mime_type, size, sha256, content_id, disposition) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    messageId,
    a.filename,
    a.mimeType,
    a.size,
    a.sha256,
    a.contentId,
    a.disposition,
  );
}

export function conversationExists(db: ReadDB, conversationId: number): boolean {
  return prepRead(db, 'SELECT 1 FROM conversations WHERE id = ?').get(conversationId) !== undefined;
}

/**
 * The business's message sent at `sentAt`: unless a customer's message came after it, the
 * conversation waits for the customer (unsnoozed, read). `keepDone`: a done conversation stays done
 * (the outbox's copy of a reply the owner sent with 'done').
 */
export function statusAfterOutbound(db: DB, conversationId: number, sentAt: number, now: number, keepDone = false): void {
  const laterIn = prep(db, "SELECT 1 FROM messages WHERE conversation_id = ? AND direction = 'in' AND sent_at > ? LIMIT 1").get(conversationId, sentAt);
  if (laterIn) return;
  if (keepDone) prep(db, "UPDATE conversations SET status = 'waiting', snooze_until = NULL, unread = 0, updated_at = ? WHERE id = ? AND status != 'done'").run(now, conversationId);
  else prep(db, "UPDATE conversations SET status = 'waiting', snooze_until = NULL, unread = 0, updated_at = ? WHERE id = ?").run(now, conversationId);
}

/**
 * A customer's message sent at `sentAt`: when it is the newest, a waiting, done or snoozed
 * conversation opens again, and it is unread unless the message was seen.
 */
export function statusAfterInbound(db: DB, conversationId: number, sentAt: number, seen: boolean, now: number): void {
  const later = prep(db, 'SELECT 1 FROM messages WHERE conversation_id = ? AND sent_at > ? LIMIT 1').get(conversationId, sentAt);
  if (!later) {
    prep(
      db,
      `UPDATE conversations SET status = CASE WHEN status IN ('waiting', 'done', 'snoozed') THEN 'open' ELSE status END,
         snooze_until = CASE WHEN status IN ('waiting', 'done', 'snoozed') THEN NULL ELSE snooze_until END,
         unread = CASE WHEN @seen THEN unread ELSE 1 END, updated_at = @now
       WHERE id = @id AND (status IN ('waiting', 'done', 'snoozed') OR (NOT @seen AND unread = 0))`,
    ).run({ seen: seen ? 1 : 0, now, id: conversationId });
  }
}

/** A conversation's subject becomes its earliest message's that has one. */
export function subjectFromEarliest(db: DB, conversationId: number): void {
  prep(
    db,
    `UPDATE conversations SET subject = coalesce((SELECT subject FROM messages WHERE conversation_id = @id AND subject != ''
       ORDER BY sent_at, id LIMIT 1), subject) WHERE id = @id`,
  ).run({ id: conversationId });
}
