// SQL of the canary report (electron/core/report): the raw rows it computes from, read in a few
// whole-table scans (each conversation's messages in time order, its tags, the escalation marks) so
// that 100,000 conversations take one pass instead of a query each.
import { prepareReadRaw, prepRead, type ReadDB } from '../stmt';

/** One message's conversation, direction and time: [conversation_id, in (1) / out (0), sent_at]. */
export type MessageTimeRow = [number, number, number];

/** Every message's (conversation, direction, time), ordered by conversation then time (the messages_conversation index), streamed. */
export function messageTimes(db: ReadDB): IterableIterator<MessageTimeRow> {
  // Not cached (stmt.ts): raw() changes the statement it is called on. Iterated rather than loaded:
  // 300,000 rows kept alive at once cost more in garbage collection than the scan.
  return prepareReadRaw(db, "SELECT conversation_id, direction = 'in', sent_at FROM messages ORDER BY conversation_id, sent_at, id").iterate() as IterableIterator<MessageTimeRow>;
}

/** The largest conversation id (0 when there is none). */
export function maxConversationId(db: ReadDB): number {
  return (prepRead(db, 'SELECT coalesce(max(id), 0) AS m FROM conversations').get() as { m: number }).m;
}

/** [id, channel, account_id, status] of a conversation. */
export type ReportConversationRow = [number, 'email' | 'x', number | null, string];

/** Every conversation's id, channel, account and status, streamed. */
export function reportConversations(db: ReadDB): IterableIterator<ReportConversationRow> {
  return prepareReadRaw(db, 'SELECT id, channel, account_id, status FROM conversations').iterate() as IterableIterator<ReportConversationRow>;
}

/** Each tagged conversation's tags, lowercased. */
export function conversationTagRows(db: ReadDB): { conversationId: number; tag: string }[] {
  return prepRead(db, 'SELECT conversation_id AS conversationId, lower(tag) AS tag FROM conversation_tags').all() as { conversationId: number; tag: string }[];
}

/** Account names by id. */
export function accountNames(db: ReadDB): Map<number, string> {
  const rows = prepRead(db, 'SELECT id, name FROM accounts').all() as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The X conversations marked escalated or likely (conversations.escalated = 1) with their escalation JSON. */
export function escalationRows(db: ReadDB): { id: number; escalation: string | null }[] {
  return prepRead(db, 'SELECT id, escalation FROM conversations WHERE escalated = 1').all() as { id: number; escalation: string | null }[];
}

/** An email conversation's account, subject and its customer's messages' text (oldest first), for its touchpoints; null when it is gone. */
export function sourceThread(db: ReadDB, conversationId: number): { accountId: number | null; subject: string; bodies: string[] } | null {
  const c = prepRead(db, 'SELECT account_id AS accountId, subject FROM conversations WHERE id = ?').get(conversationId) as { accountId: number | null; subject: string } | undefined;
  if (!c) return null;
  const bodies = (prepRead(db, "SELECT body_text FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY sent_at, id").all(conversationId) as { body_text: string }[]).map(
    (r) => r.body_text,
  );
  return { ...c, bodies };
}
