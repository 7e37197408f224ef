// What a cross-channel answer (replies/answer.ts) reads: the two conversations, the customer's open X
// conversation for an email thread, names for the X part's default text. Read-only; statements
// prepared once per database. The escalation mark is written through repos/linking/escalations.ts.
import type { ReadDB } from '../open';
import { prepRead } from '../stmt';

export interface AnswerConversationRow {
  id: number;
  channel: 'email' | 'x';
  kind: 'email' | 'tweet' | 'dm';
  status: string;
  customer_id: number | null;
  subject: string;
  escalated: number;
  escalation: string | null;
}

export function answerConversation(db: ReadDB, id: number): AnswerConversationRow | undefined {
  return prepRead(db, 'SELECT id, channel, kind, status, customer_id, subject, escalated, escalation FROM conversations WHERE id = ?').get(id) as AnswerConversationRow | undefined;
}

/**
 * The customer's open X conversation for an email thread: one whose escalation names this thread
 * (escalated or likely), else one of the customer's own (linked) X conversations; escalations first,
 * then the latest post.
 */
export function openXConversationFor(db: ReadDB, emailConversationId: number, customerId: number | null): AnswerConversationRow | undefined {
  return prepRead(
    db,
    `SELECT id, channel, kind, status, customer_id, subject, escalated, escalation FROM conversations
     WHERE channel = 'x' AND status = 'open'
       AND ((json_valid(escalation) AND json_extract(escalation, '$.emailConversationId') = ? AND escalated = 1)
            OR (? IS NOT NULL AND customer_id = ?))
     ORDER BY escalation_rank DESC, last_inbound_at DESC, id DESC LIMIT 1`,
  ).get(emailConversationId, customerId, customerId) as AnswerConversationRow | undefined;
}

export function customerDisplayName(db: ReadDB, customerId: number): string | undefined {
  return (prepRead(db, 'SELECT display_name FROM customers WHERE id = ?').get(customerId) as { display_name: string | null } | undefined)?.display_name ?? undefined;
}

/** Who wrote a conversation's latest inbound message (name and address). */
export function latestInboundAuthor(db: ReadDB, conversationId: number): { author_name: string; author_address: string } | undefined {
  return prepRead(db, "SELECT author_name, author_address FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY sent_at DESC, id DESC LIMIT 1").get(conversationId) as
    { author_name: string; author_address: string } | undefined;
}
