// What changed since the linking engine's watermark: new messages and changed identities (the
// incremental refresh reads them), statements prepared once per database.
import type { DB } from '../../open';
import { prepPluck, prep } from '../../stmt';

/** The newest message id and identity change time (the watermark a refresh moves to). */
export function currentMarks(db: DB): { messageId: number; identityUpdatedAt: number } {
  const messageId = (newestMessageId(db) as number | undefined) ?? 0;
  const identityUpdatedAt = (prepPluck(db, 'SELECT coalesce(max(updated_at), 0) FROM identities').get() as number) ?? 0;
  return { messageId, identityUpdatedAt };
}

export function newestMessageId(db: DB): number {
  return prepPluck(db, 'SELECT coalesce(max(id), 0) FROM messages').get() as number;
}

/** Messages after `messageId`, counted up to `limit`. */
export function countMessagesAfter(db: DB, messageId: number, limit: number): number {
  return prepPluck(db, 'SELECT count(*) FROM (SELECT 1 FROM messages WHERE id > ? LIMIT ?)').get(messageId, limit) as number;
}

/** Identities changed after `updatedAt`, counted up to `limit`. */
export function countIdentitiesAfter(db: DB, updatedAt: number, limit: number): number {
  return prepPluck(db, 'SELECT count(*) FROM (SELECT 1 FROM identities WHERE updated_at > ? LIMIT ?)').get(updatedAt, limit) as number;
}

export interface NewMessage {
  channel: 'email' | 'x';
  direction: 'in' | 'out';
  conversation_id: number;
  author_identity_id: number | null;
  author_customer: number | null;
  author_kind: 'email' | 'x' | null;
  is_self: number | null;
  conv_customer: number | null;
}

/** Messages after `messageId` with their author and conversation's customer. */
export function messagesAfter(db: DB, messageId: number): NewMessage[] {
  return prep(
    db,
    `SELECT m.channel, m.direction, m.conversation_id, m.author_identity_id, i.customer_id AS author_customer, i.kind AS author_kind, i.is_self,
                c.customer_id AS conv_customer
         FROM messages m LEFT JOIN identities i ON i.id = m.author_identity_id JOIN conversations c ON c.id = m.conversation_id
         WHERE m.id > ?`,
  ).all(messageId) as NewMessage[];
}

/** Identities changed after `updatedAt`. */
export function identitiesChangedAfter(db: DB, updatedAt: number): { id: number; kind: 'email' | 'x'; customer_id: number; is_self: number }[] {
  return prep(db, 'SELECT id, kind, customer_id, is_self FROM identities WHERE updated_at > ?').all(updatedAt) as {
    id: number;
    kind: 'email' | 'x';
    customer_id: number;
    is_self: number;
  }[];
}

/** X identities that posted (inbound) in a conversation. */
export function xAuthorsIn(db: DB, conversationId: number): number[] {
  return prepPluck(db, "SELECT DISTINCT m.author_identity_id FROM messages m JOIN identities i ON i.id = m.author_identity_id WHERE m.conversation_id = ? AND m.direction = 'in' AND i.kind = 'x'").all(
    conversationId,
  ) as number[];
}

/** X identities (not the business's) that posted on X, inbound, in any of these conversations. */
export function xAuthorsOfConversations(db: DB, conversationIds: readonly number[]): number[] {
  return prepPluck(
    db,
    `SELECT DISTINCT m.author_identity_id FROM messages m JOIN identities i ON i.id = m.author_identity_id
       WHERE m.conversation_id IN (SELECT value FROM json_each(?)) AND m.channel = 'x' AND m.direction = 'in' AND i.kind = 'x' AND i.is_self = 0`,
  ).all(JSON.stringify(conversationIds)) as number[];
}
