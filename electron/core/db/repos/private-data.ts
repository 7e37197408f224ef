// What the private-data check before a public X reply reads (x/private.ts): the customers linked
// to a customer, their private messages (email and DMs) and their public posts. Read-only.
import { prepRead, type ReadDB } from '../stmt';

/** The customer of a conversation (null when it has none or is gone). */
export function conversationCustomerId(db: ReadDB, conversationId: number): number | null {
  return (prepRead(db, 'SELECT customer_id FROM conversations WHERE id = ?').get(conversationId) as { customer_id: number | null } | undefined)?.customer_id ?? null;
}

/** The customers linked (linked or confirmed) to a customer's identities, or whose identities are linked to it. */
export function linkedCustomers(db: ReadDB, customerId: number): number[] {
  return (
    prepRead(
      db,
      `SELECT l.customer_id AS c FROM links l JOIN identities i ON i.id = l.identity_id
       WHERE i.customer_id = ? AND l.state IN ('linked', 'confirmed')
     UNION
     SELECT i.customer_id AS c FROM links l JOIN identities i ON i.id = l.identity_id
       WHERE l.customer_id = ? AND l.state IN ('linked', 'confirmed')`,
    ).all(customerId, customerId) as { c: number }[]
  ).map((r) => r.c);
}

export interface PrivateMessageRow {
  id: number;
  kind: 'email' | 'dm';
  conversation_id: number;
  body_text: string;
  subject: string;
}

/** The newest 5,000 private messages (email and DMs) in these customers' conversations. */
export function privateMessagesOf(db: ReadDB, customers: readonly number[]): PrivateMessageRow[] {
  if (!customers.length) return [];
  return prepRead(
    db,
    `SELECT m.id, m.kind, m.conversation_id, m.body_text, m.subject FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE c.customer_id IN (${customers.map(() => '?').join(',')}) AND m.kind IN ('email', 'dm') ORDER BY m.sent_at DESC LIMIT 5000`,
  ).all(...customers) as PrivateMessageRow[];
}

/** The text of the newest 5,000 public posts in these customers' conversations. */
export function publicPostTexts(db: ReadDB, customers: readonly number[]): string[] {
  if (!customers.length) return [];
  return (
    prepRead(
      db,
      `SELECT m.body_text FROM messages m JOIN conversations c ON c.id = m.conversation_id
     WHERE c.customer_id IN (${customers.map(() => '?').join(',')}) AND m.kind = 'tweet' ORDER BY m.sent_at DESC LIMIT 5000`,
    ).all(...customers) as { body_text: string }[]
  ).map((r) => r.body_text);
}
