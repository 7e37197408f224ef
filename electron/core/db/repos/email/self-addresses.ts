// What learning and repairing the business's own addresses read and write (email/self-learn.ts,
// email/self-repair.ts, email/customer.ts): the evidence in an account's stored mail, identities'
// is_self mark, message directions, and the conversations a changed address touches.
// Statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepRead, prepReadPluck, type ReadDB } from '../../stmt';

/** An account's stored config (JSON text), undefined when the account is gone. */
export function accountConfigText(db: ReadDB, accountId: number): string | undefined {
  return (prepRead(db, 'SELECT config FROM accounts WHERE id = ?').get(accountId) as { config: string } | undefined)?.config;
}

/** The senders of an account's folder (lowercase) with how many of its messages each sent. */
export function folderSenders(db: ReadDB, accountId: number, folder: string): { a: string; n: number }[] {
  return prepRead(
    db,
    `SELECT lower(m.author_address) AS a, count(*) AS n FROM message_locations l JOIN messages m ON m.id = l.message_id
     WHERE l.account_id = ? AND l.folder = ? AND m.author_address != '' GROUP BY lower(m.author_address)`,
  ).all(accountId, folder) as { a: string; n: number }[];
}

/** An account's newest email messages (sender, recipients, threading headers, subject), at most `limit`. */
export function newestAccountMail(db: ReadDB, accountId: number, limit: number): { a: string; r: string; irt: string | null; refs: string; s: string }[] {
  return prepRead(
    db,
    `SELECT m.author_address AS a, m.recipients AS r, m.in_reply_to AS irt, m.refs AS refs, m.subject AS s FROM messages m
     WHERE m.id IN (SELECT message_id FROM message_locations WHERE account_id = ?) AND m.kind = 'email'
     ORDER BY m.sent_at DESC LIMIT ?`,
  ).all(accountId, limit) as { a: string; r: string; irt: string | null; refs: string; s: string }[];
}

/** Every email account's id, in order. */
export function emailAccountIds(db: ReadDB): number[] {
  return (prepRead(db, "SELECT id FROM accounts WHERE channel = 'email' ORDER BY id").all() as { id: number }[]).map((a) => a.id);
}

/** The email identity of an address is a customer's again (if it was the business's). */
export function unmarkSelf(db: DB, address: string, now: number): void {
  prep(db, "UPDATE identities SET is_self = 0, updated_at = ? WHERE kind = 'email' AND address = ? AND is_self = 1").run(now, address);
}

export function markSelf(db: DB, identityId: number, now: number): void {
  prep(db, 'UPDATE identities SET is_self = 1, updated_at = ? WHERE id = ?').run(now, identityId);
}

/** The email identity of an address, with its is_self mark. */
export function emailIdentityOf(db: ReadDB, address: string): { id: number; is_self: number } | undefined {
  return prepRead(db, "SELECT id, is_self FROM identities WHERE kind = 'email' AND address = ?").get(address) as { id: number; is_self: number } | undefined;
}

/** The customer of the email identity of an address that is not the business's. */
export function customerOfAddress(db: ReadDB, address: string): number | undefined {
  return (prepRead(db, "SELECT customer_id FROM identities WHERE kind = 'email' AND address = ? AND is_self = 0").get(address) as { customer_id: number } | undefined)?.customer_id;
}

/** Set the direction of an identity's email messages; how many changed. */
export function setAuthorDirection(db: DB, identityId: number, direction: 'in' | 'out'): number {
  return prep(db, "UPDATE messages SET direction = ? WHERE author_identity_id = ? AND kind = 'email' AND direction != ?").run(direction, identityId, direction).changes;
}

/** The conversations holding email an identity wrote. */
export function conversationsByAuthor(db: ReadDB, identityId: number): number[] {
  return prepReadPluck(db, "SELECT DISTINCT conversation_id FROM messages WHERE author_identity_id = ? AND kind = 'email'").all(identityId) as number[];
}

/** The conversations holding email whose recipients mention an address (lowercase). */
export function conversationsMailedTo(db: ReadDB, address: string): number[] {
  return prepReadPluck(db, "SELECT DISTINCT conversation_id FROM messages WHERE kind = 'email' AND instr(lower(recipients), ?) > 0").all(address) as number[];
}

/** Conversations with email from two or more different senders, inbound. */
export function conversationsWithSeveralSenders(db: ReadDB): number[] {
  return prepReadPluck(
    db,
    `SELECT conversation_id FROM messages WHERE kind = 'email' GROUP BY conversation_id
     HAVING count(DISTINCT CASE WHEN direction = 'in' THEN lower(author_address) END) >= 2`,
  ).all() as number[];
}

/** Conversations whose email all came without threading headers. */
export function conversationsWithoutHeaders(db: ReadDB): number[] {
  return prepReadPluck(
    db,
    `SELECT conversation_id FROM messages WHERE kind = 'email' GROUP BY conversation_id
     HAVING sum(in_reply_to IS NULL AND refs = '[]') = count(*)`,
  ).all() as number[];
}

export function messageCount(db: ReadDB, conversationId: number): number {
  return prepReadPluck(db, 'SELECT count(*) FROM messages WHERE conversation_id = ?').get(conversationId) as number;
}

/** An open or waiting conversation is waiting when the business wrote last, open otherwise. */
export function resetOpenStatus(db: DB, conversationId: number, now: number): void {
  prep(
    db,
    `UPDATE conversations SET status = CASE
         WHEN last_outbound_at IS NOT NULL AND (last_inbound_at IS NULL OR last_outbound_at >= last_inbound_at) THEN 'waiting' ELSE 'open' END,
       updated_at = ?
     WHERE id = ? AND status IN ('open', 'waiting')`,
  ).run(now, conversationId);
}

/** A conversation whose customer is only the business's loses it. */
export function unsetSelfCustomer(db: DB, conversationId: number): void {
  prep(
    db,
    `UPDATE conversations SET customer_id = NULL WHERE id = ? AND customer_id IN (SELECT customer_id FROM identities WHERE is_self = 1)
       AND customer_id NOT IN (SELECT customer_id FROM identities WHERE is_self = 0)`,
  ).run(conversationId);
}

/** The customer of a conversation's earliest inbound mail from someone who is not the business. */
export function firstInboundCustomer(db: ReadDB, conversationId: number): number | undefined {
  return (
    prepRead(
      db,
      `SELECT i.customer_id AS c FROM messages m JOIN identities i ON i.id = m.author_identity_id
     WHERE m.conversation_id = ? AND m.direction = 'in' AND i.is_self = 0 ORDER BY m.sent_at, m.id LIMIT 1`,
    ).get(conversationId) as { c: number } | undefined
  )?.c;
}

/** The recipients (JSON text) of a conversation's earliest outbound mail. */
export function firstOutboundRecipients(db: ReadDB, conversationId: number): string | undefined {
  return (prepRead(db, `SELECT recipients FROM messages WHERE conversation_id = ? AND direction = 'out' ORDER BY sent_at, id LIMIT 1`).get(conversationId) as { recipients: string } | undefined)
    ?.recipients;
}

export function conversationCustomer(db: ReadDB, conversationId: number): number | null {
  return (prepRead(db, 'SELECT customer_id FROM conversations WHERE id = ?').get(conversationId) as { customer_id: number | null }).customer_id;
}

export function setConversationCustomer(db: DB, conversationId: number, customerId: number, now: number): void {
  prep(db, 'UPDATE conversations SET customer_id = ?, updated_at = ? WHERE id = ?').run(customerId, now, conversationId);
}

/** How many email accounts have their address set. */
export function emailAccountsWithAddress(db: ReadDB): number {
  return (prepRead(db, "SELECT count(*) AS n FROM accounts WHERE channel = 'email' AND address IS NOT NULL").get() as { n: number }).n;
}
