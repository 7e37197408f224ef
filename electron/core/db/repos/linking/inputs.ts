// What linking reads of the stored mail and X rows to profile customers and X accounts
// (linking/inputs.ts turns the rows into profile inputs), statements prepared once per database.
import type { DB } from '../../open';
import { prep } from '../../stmt';

/** Mail bodies longer than this are cut before extraction (signatures and references sit early). */
const MAX_BODY = 20_000;
/** Most recent mails per customer read for a profile. */
const MAX_MAILS = 60;

export interface EmailIdentityRow {
  id: number;
  address: string;
  display_name: string;
  names: string;
}

export interface MailRow {
  id: number;
  conversation_id: number;
  direction: 'in' | 'out';
  author_identity_id: number | null;
  author_address: string;
  author_name: string;
  subject: string;
  body: string;
  sent_at: number;
}

export interface XIdentityInputRow {
  id: number;
  x_user_id: string;
  handle: string | null;
  display_name: string;
  names: string;
  profile: string | null;
}

export interface XPostRow {
  id: number;
  conversation_id: number;
  kind: 'tweet' | 'dm';
  body_text: string;
  sent_at: number;
}

const MAIL_COLUMNS = `m.id, m.conversation_id, m.direction, m.author_identity_id, m.author_address, m.author_name, m.subject,
           substr(m.body_text, 1, ${MAX_BODY}) AS body, m.sent_at`;

/** The business's own email addresses. */
export function selfAddresses(db: DB): string[] {
  return (prep(db, "SELECT address FROM identities WHERE kind = 'email' AND is_self = 1").all() as { address: string }[]).map((r) => r.address);
}

/** Email customers: customers with at least one email identity that is not the business's. */
export function emailCustomerIds(db: DB): number[] {
  return (prep(db, "SELECT DISTINCT customer_id FROM identities WHERE kind = 'email' AND is_self = 0 ORDER BY customer_id").all() as { customer_id: number }[]).map((r) => r.customer_id);
}

/** Non-self X identities. */
export function xIdentityIds(db: DB): number[] {
  return (prep(db, "SELECT id FROM identities WHERE kind = 'x' AND is_self = 0 ORDER BY id").all() as { id: number }[]).map((r) => r.id);
}

/** A customer's email identities (not the business's). */
export function emailIdentitiesOf(db: DB, customerId: number): EmailIdentityRow[] {
  return prep(db, "SELECT id, address, display_name, names FROM identities WHERE customer_id = ? AND kind = 'email' AND is_self = 0 ORDER BY id").all(customerId) as EmailIdentityRow[];
}

/** A customer's newest mails (in their conversations or written from their addresses), newest first. */
export function newestMailsOf(db: DB, customerId: number): MailRow[] {
  return prep(
    db,
    `
    SELECT m.id, m.conversation_id, m.direction, m.author_identity_id, m.author_address, m.author_name, m.subject,
           substr(m.body_text, 1, ${MAX_BODY}) AS body, m.sent_at
    FROM messages m
    WHERE m.channel = 'email' AND (
      m.conversation_id IN (SELECT id FROM conversations WHERE customer_id = @cid AND channel = 'email')
      OR m.author_identity_id IN (SELECT id FROM identities WHERE customer_id = @cid AND kind = 'email'))
    ORDER BY m.sent_at DESC, m.id DESC LIMIT ${MAX_MAILS}`,
  ).all({ cid: customerId }) as MailRow[];
}

/** The email identities of the customers with ids in [lo, hi], by customer. */
export function emailIdentitiesInRange(db: DB, lo: number, hi: number): (EmailIdentityRow & { customer_id: number })[] {
  return prep(db, "SELECT id, customer_id, address, display_name, names FROM identities WHERE kind = 'email' AND is_self = 0 AND customer_id BETWEEN ? AND ? ORDER BY customer_id, id").all(
    lo,
    hi,
  ) as (EmailIdentityRow & { customer_id: number })[];
}

/**
 * Each customer's newest mails for the customers with ids in [lo, hi], by customer and newest first
 * (ranked on the index and the rows' leading columns: bodies are read for those only, not for
 * every mail of a customer with thousands).
 */
export function newestMailsInRange(db: DB, lo: number, hi: number): (MailRow & { cid: number })[] {
  return prep(
    db,
    `
    WITH mine(cid, id) AS (
      SELECT c.customer_id, m.id FROM conversations c JOIN messages m ON m.conversation_id = c.id
      WHERE c.channel = 'email' AND m.channel = 'email' AND c.customer_id BETWEEN @lo AND @hi
      UNION
      SELECT i.customer_id, m.id FROM identities i JOIN messages m ON m.author_identity_id = i.id
      WHERE i.kind = 'email' AND i.customer_id BETWEEN @lo AND @hi AND m.channel = 'email'
    ), ranked AS (
      SELECT mine.cid, mine.id, row_number() OVER (PARTITION BY mine.cid ORDER BY m.sent_at DESC, m.id DESC) AS rn
      FROM mine JOIN messages m ON m.id = mine.id
    )
    SELECT ranked.cid AS cid, ${MAIL_COLUMNS}
    FROM ranked JOIN messages m ON m.id = ranked.id
    WHERE ranked.rn <= ${MAX_MAILS}
    ORDER BY ranked.cid, ranked.rn`,
  ).all({ lo, hi }) as (MailRow & { cid: number })[];
}

/** A non-self X identity's row. */
export function xIdentityInput(db: DB, identityId: number): XIdentityInputRow | undefined {
  return prep(db, "SELECT id, x_user_id, handle, display_name, names, profile FROM identities WHERE id = ? AND kind = 'x' AND is_self = 0").get(identityId) as XIdentityInputRow | undefined;
}

/** An X identity's newest inbound posts and DMs (200 at most), newest first. */
export function xPostsOf(db: DB, identityId: number): XPostRow[] {
  return prep(
    db,
    "SELECT id, conversation_id, kind, body_text, sent_at FROM messages WHERE author_identity_id = ? AND channel = 'x' AND direction = 'in' ORDER BY sent_at DESC, id DESC LIMIT 200",
  ).all(identityId) as XPostRow[];
}
