// What answering an X conversation reads (x/outbox.ts): the conversation, the post answered, the
// DM participant and their handle. Read-only; statements prepared once per database.
import type { ReadDB } from '../../open';
import { prepRead } from '../../stmt';

export interface XReplyConversation {
  id: number;
  channel: string;
  kind: string;
  account_id: number | null;
  external_id: string;
  customer_id: number | null;
}

export function replyConversation(db: ReadDB, conversationId: number): XReplyConversation | undefined {
  return prepRead(db, 'SELECT id, channel, kind, account_id, external_id, customer_id FROM conversations WHERE id = ?').get(conversationId) as XReplyConversation | undefined;
}

/** The post a reply answers: the customer's latest in the conversation, else the latest. */
export function postToAnswer(db: ReadDB, conversationId: number): { external_id: string; author_address: string } | undefined {
  return prepRead(db, `SELECT external_id, author_address FROM messages WHERE conversation_id = ? AND kind = 'tweet' ORDER BY direction = 'in' DESC, sent_at DESC, id DESC LIMIT 1`).get(
    conversationId,
  ) as { external_id: string; author_address: string } | undefined;
}

/** The X user id of the author of a conversation's latest inbound message. */
export function latestInboundXUser(db: ReadDB, conversationId: number): string | null | undefined {
  return (
    prepRead(db, `SELECT i.x_user_id FROM messages m JOIN identities i ON i.id = m.author_identity_id WHERE m.conversation_id = ? AND m.direction = 'in' ORDER BY m.sent_at DESC LIMIT 1`).get(
      conversationId,
    ) as { x_user_id: string | null } | undefined
  )?.x_user_id;
}

/** The handle of an X user as stored (null or undefined when unknown). */
export function xHandleOf(db: ReadDB, xUserId: string): string | null | undefined {
  return (prepRead(db, "SELECT handle FROM identities WHERE kind = 'x' AND x_user_id = ?").get(xUserId) as { handle: string | null } | undefined)?.handle;
}

export function conversationKind(db: ReadDB, conversationId: number): { kind: string; channel: string } | undefined {
  return prepRead(db, 'SELECT kind, channel FROM conversations WHERE id = ?').get(conversationId) as { kind: string; channel: string } | undefined;
}

export function conversationExternalId(db: ReadDB, conversationId: number): string | undefined {
  return (prepRead(db, 'SELECT external_id FROM conversations WHERE id = ?').get(conversationId) as { external_id: string } | undefined)?.external_id;
}

/** A likely escalation's suggested customer (the poster is probably them), else undefined. */
export function likelySuggestedCustomer(db: ReadDB, conversationId: number): number | undefined {
  return (
    (
      prepRead(
        db,
        `SELECT json_extract(escalation, '$.suggested.customerId') AS c FROM conversations
       WHERE id = ? AND escalated = 1 AND json_valid(escalation) AND json_extract(escalation, '$.state') = 'likely'`,
      ).get(conversationId) as { c: number | null } | undefined
    )?.c ?? undefined
  );
}
