// The X normalizer's hot paths (x/normalize.ts: imports and polls store 10,000s of rows): the
// identities and conversations it looks up, the rows it creates first-seen (the INSERTs of
// customers.ts ensureXIdentity and conversations.ts ensureConversation), and conversation
// aggregates written in one statement. Any write that changes an identity or gives a conversation
// its customer still goes through customers.ts and conversations.ts. Statements prepared once.
import type { Identity } from '../../../../../shared/domain/types';
import type { DB, ReadDB } from '../../open';
import { prep, prepRead } from '../../stmt';
import { rowToIdentity, type IdentityRow, type XIdentityInput } from '../customers';

/** The X user ids of the business's X identities. */
export function selfXUserIds(db: ReadDB): Set<string> {
  return new Set((prepRead(db, "SELECT x_user_id FROM identities WHERE kind = 'x' AND is_self = 1").all() as { x_user_id: string }[]).map((r) => r.x_user_id));
}

export function xIdentityRow(db: ReadDB, xUserId: string): IdentityRow | undefined {
  return prepRead(db, "SELECT * FROM identities WHERE kind = 'x' AND x_user_id = ?").get(xUserId) as IdentityRow | undefined;
}

/** The stored profile (JSON text) of an X user. */
export function xProfileText(db: ReadDB, xUserId: string): string | null | undefined {
  return (prepRead(db, "SELECT profile FROM identities WHERE kind = 'x' AND x_user_id = ?").get(xUserId) as { profile: string | null } | undefined)?.profile;
}

/** A first-seen X user: ensureXIdentity's INSERTs (customers.ts), a customer and its identity. */
export function insertXIdentity(db: DB, input: XIdentityInput): Identity {
  const now = input.now ?? Date.now();
  const seenAt = input.seenAt ?? now;
  const name = (input.name ?? '').trim();
  const profile = input.profile ? JSON.stringify(input.profile) : null;
  const customerId = Number(
    prep(db, 'INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)').run(name || (input.handle ? `@${input.handle}` : input.xUserId), now, now).lastInsertRowid,
  );
  const names = JSON.stringify(name ? [name] : []);
  const id = Number(
    prep(
      db,
      `INSERT INTO identities (customer_id, kind, x_user_id, handle, display_name, names, profile, is_self, profile_seen_at, created_at, updated_at)
       VALUES (?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(customerId, input.xUserId, input.handle ?? null, name, names, profile, input.isSelf ? 1 : 0, seenAt, now, now).lastInsertRowid,
  );
  return rowToIdentity({
    id,
    customer_id: customerId,
    kind: 'x',
    address: null,
    x_user_id: input.xUserId,
    handle: input.handle ?? null,
    display_name: name,
    names,
    profile,
    is_self: input.isSelf ? 1 : 0,
    profile_seen_at: seenAt,
  });
}

export function xConversationByExternalId(db: ReadDB, kind: 'tweet' | 'dm', externalId: string): { id: number; customer_id: number | null } | undefined {
  return prepRead(db, 'SELECT id, customer_id FROM conversations WHERE kind = ? AND external_id = ?').get(kind, externalId) as { id: number; customer_id: number | null } | undefined;
}

/** A new X conversation: the INSERT of ensureConversation (conversations.ts). Its id. */
export function insertXConversation(db: DB, accountId: number | null, kind: 'tweet' | 'dm', externalId: string, customerId: number | null, now: number): number {
  return Number(
    prep(
      db,
      `INSERT INTO conversations (account_id, channel, kind, external_id, customer_id, subject, created_at, updated_at)
       VALUES (?, 'x', ?, ?, ?, '', ?, ?)`,
    ).run(accountId, kind, externalId, customerId, now, now).lastInsertRowid,
  );
}

/** Set a conversation's aggregates as the normalizer counted them (a conversation it created). */
export function setConversationAggregates(db: DB, id: number, a: { n: number; last: number; lastIn: number | null; lastOut: number | null; snippet: string }): void {
  prep(db, 'UPDATE conversations SET message_count = ?, last_message_at = ?, last_inbound_at = ?, last_outbound_at = ?, snippet = ? WHERE id = ?').run(a.n, a.last, a.lastIn, a.lastOut, a.snippet, id);
}

/**
 * refreshConversation (conversations.ts) for many conversations in one statement: message count,
 * times, snippet and subject recomputed from their messages.
 */
export function refreshXConversations(db: DB, ids: number[]): void {
  if (!ids.length) return;
  // One grouped pass for counts and times; the snippet from the newest message (index lookup).
  // X messages carry no subject, so the subject rule of refreshConversation never applies here.
  prep(
    db,
    `UPDATE conversations SET
       message_count = agg.n, last_message_at = coalesce(agg.last, 0), last_inbound_at = agg.last_in, last_outbound_at = agg.last_out,
       snippet = coalesce((SELECT substr(replace(replace(m.body_text, char(13), ''), char(10), ' '), 1, 200)
                  FROM messages m WHERE m.conversation_id = conversations.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1), '')
     FROM (SELECT conversation_id AS cid, count(*) AS n, max(sent_at) AS last,
             max(CASE WHEN direction = 'in' THEN sent_at END) AS last_in, max(CASE WHEN direction = 'out' THEN sent_at END) AS last_out
           FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?)) GROUP BY conversation_id) AS agg
     WHERE conversations.id = agg.cid`,
  ).run(JSON.stringify(ids));
}
