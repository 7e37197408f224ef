// SQL of the canary report (electron/core/report): the raw rows it computes from, read in a few
// whole-table scans (each conversation's messages in time order, its tags, the escalation marks) so
// that 100,000 conversations take one pass instead of a query each.
import type { DB } from '../open';
import { prep } from '../stmt';

/** One message's conversation, direction and time: [conversation_id, in (1) / out (0), sent_at]. */
export type MessageTimeRow = [number, number, number];

/** Every message's (conversation, direction, time), ordered by conversation then time (the messages_conversation index). */
export function messageTimes(db: DB): MessageTimeRow[] {
  // Not cached (stmt.ts): raw() changes the statement it is called on.
  return db.prepare("SELECT conversation_id, direction = 'in', sent_at FROM messages ORDER BY conversation_id, sent_at, id").raw(true).all() as MessageTimeRow[];
}

export interface ReportConversationRow {
  id: number;
  channel: 'email' | 'x';
  accountId: number | null;
  status: string;
}

/** Every conversation's channel, account and status, ordered by id. */
export function reportConversations(db: DB): ReportConversationRow[] {
  return prep(db, 'SELECT id, channel, account_id AS accountId, status FROM conversations ORDER BY id').all() as ReportConversationRow[];
}

/** Each tagged conversation's tags, lowercased. */
export function conversationTagRows(db: DB): { conversationId: number; tag: string }[] {
  return prep(db, 'SELECT conversation_id AS conversationId, lower(tag) AS tag FROM conversation_tags').all() as { conversationId: number; tag: string }[];
}

/** Account names by id. */
export function accountNames(db: DB): Map<number, string> {
  const rows = prep(db, 'SELECT id, name FROM accounts').all() as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The X conversations marked escalated or likely (conversations.escalated = 1) with their escalation JSON. */
export function escalationRows(db: DB): { id: number; escalation: string | null }[] {
  return prep(db, 'SELECT id, escalation FROM conversations WHERE escalated = 1').all() as { id: number; escalation: string | null }[];
}

/** An email conversation's subject and its customer's messages' text (oldest first), for its topics. */
export function emailTopicText(db: DB, conversationId: number): { subject: string; bodies: string[] } {
  const subject = (prep(db, 'SELECT subject FROM conversations WHERE id = ?').get(conversationId) as { subject: string } | undefined)?.subject ?? '';
  const bodies = (prep(db, "SELECT body_text FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY sent_at, id").all(conversationId) as { body_text: string }[]).map((r) => r.body_text);
  return { subject, bodies };
}
