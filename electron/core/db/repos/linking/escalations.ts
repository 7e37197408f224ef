// What escalation marking (linking/escalation.ts) and its listing (escalation-view.ts) read and
// write: a customer's mail events, an X identity's posts and its link, the marks on X
// conversations. Statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepPluck } from '../../stmt';

export interface MailEventRow {
  conversationId: number;
  subject: string;
  status: string;
  direction: 'in' | 'out';
  at: number;
}

/** The customer's email events (their mail and the business's answers), newest 400. */
export function mailEventsOf(db: DB, customerId: number): MailEventRow[] {
  return prep(
    db,
    `SELECT m.conversation_id AS conversationId, c.subject, c.status, m.direction, m.sent_at AS at
     FROM conversations c JOIN messages m ON m.conversation_id = c.id
     WHERE c.customer_id = ? AND c.channel = 'email' ORDER BY m.sent_at DESC LIMIT 400`,
  ).all(customerId) as MailEventRow[];
}

/** The customer an X identity is linked to (a confirmation first, the newest). */
export function linkedCustomerOf(db: DB, identityId: number): number | undefined {
  return prepPluck(db, "SELECT customer_id FROM links WHERE identity_id = ? AND state IN ('linked', 'confirmed') ORDER BY state = 'confirmed' DESC, updated_at DESC LIMIT 1").get(identityId) as
    number | undefined;
}

/** Whether a person rejected or unlinked a customer for this X identity. */
export function hasRejection(db: DB, identityId: number): boolean {
  return prep(db, "SELECT 1 FROM links WHERE identity_id = ? AND state IN ('rejected', 'unlinked')").get(identityId) !== undefined;
}

/** The two best suggestions for an X identity. */
export function topSuggestions(db: DB, identityId: number): { id: number; customer_id: number; score: number }[] {
  return prep(db, "SELECT id, customer_id, score FROM links WHERE identity_id = ? AND state = 'suggested' ORDER BY score DESC, id LIMIT 2").all(identityId) as {
    id: number;
    customer_id: number;
    score: number;
  }[];
}

export function customerName(db: DB, customerId: number): string | undefined {
  return prepPluck(db, 'SELECT display_name FROM customers WHERE id = ?').get(customerId) as string | undefined;
}

/** A non-self X identity's customer. */
export function xIdentityCustomer(db: DB, identityId: number): { customer_id: number } | undefined {
  return prep(db, "SELECT customer_id FROM identities WHERE id = ? AND kind = 'x' AND is_self = 0").get(identityId) as { customer_id: number } | undefined;
}

/** An X identity's inbound posts and DMs. */
export function xPostsOf(db: DB, identityId: number): { conversation_id: number; sent_at: number; body_text: string }[] {
  return prep(db, "SELECT conversation_id, sent_at, body_text FROM messages WHERE author_identity_id = ? AND channel = 'x' AND direction = 'in'").all(identityId) as {
    conversation_id: number;
    sent_at: number;
    body_text: string;
  }[];
}

export function conversationMark(db: DB, conversationId: number): { escalated: number; escalation: string | null; status: string } | undefined {
  return prep(db, 'SELECT escalated, escalation, status FROM conversations WHERE id = ?').get(conversationId) as { escalated: number; escalation: string | null; status: string } | undefined;
}

/** When the business last wrote in a conversation. */
export function lastReplyAt(db: DB, conversationId: number): number | null {
  return (prepPluck(db, "SELECT max(sent_at) FROM messages WHERE conversation_id = ? AND direction = 'out'").get(conversationId) as number | null) ?? null;
}

export function setConversationMark(db: DB, conversationId: number, escalated: number, escalation: string | null, now: number): void {
  prep(db, 'UPDATE conversations SET escalated = ?, escalation = ?, updated_at = ? WHERE id = ?').run(escalated, escalation, now, conversationId);
}

export interface MarkedConversationRow {
  id: number;
  kind: 'tweet' | 'dm';
  external_id: string;
  customer_id: number | null;
  escalation: string | null;
  escalation_rank: number;
  identity_id: number | null;
}

/** Marked X conversations (rank > 0, or of one rank) in queue order, with the X identity who posted first. */
export function markedConversations(db: DB, rank?: number): MarkedConversationRow[] {
  return prep(
    db,
    `SELECT c.id, c.kind, c.external_id, c.customer_id, c.escalation, c.escalation_rank,
       (SELECT m.author_identity_id FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.author_identity_id IS NOT NULL ORDER BY m.sent_at LIMIT 1) AS identity_id
     FROM conversations c
     WHERE c.channel = 'x' AND c.escalation_rank ${rank !== undefined ? '= ?' : '> 0'}
     ORDER BY c.escalation_rank DESC, c.priority DESC, c.last_inbound_at, c.id`,
  ).all(...(rank !== undefined ? [rank] : [])) as MarkedConversationRow[];
}

export function xHandleOf(db: DB, identityId: number): { x_user_id: string; handle: string | null } | undefined {
  return prep(db, "SELECT x_user_id, handle FROM identities WHERE id = ? AND kind = 'x'").get(identityId) as { x_user_id: string; handle: string | null } | undefined;
}
