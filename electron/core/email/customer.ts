// A conversation's customer: the customer of its earliest inbound mail from someone who is not the
// business; a conversation the business started gets its first To recipient until someone writes in.
import type { DB } from '../db/open';
import { prep } from '../db/stmt';

/** Set conversations.customer_id from the conversation's messages (see the header). */
export function updateConversationCustomer(db: DB, conversationId: number, now: number): void {
  const firstIn = prep(db,
      `SELECT i.customer_id AS c FROM messages m JOIN identities i ON i.id = m.author_identity_id
       WHERE m.conversation_id = ? AND m.direction = 'in' AND i.is_self = 0 ORDER BY m.sent_at, m.id LIMIT 1`,
    )
    .get(conversationId) as { c: number } | undefined;
  const conv = prep(db, 'SELECT customer_id FROM conversations WHERE id = ?').get(conversationId) as { customer_id: number | null };
  let want: number | null = firstIn?.c ?? null;
  if (want === null) {
    if (conv.customer_id !== null) return;
    // The business wrote first: the first recipient of its earliest message stands in.
    const firstOut = prep(db, `SELECT recipients FROM messages WHERE conversation_id = ? AND direction = 'out' ORDER BY sent_at, id LIMIT 1`)
      .get(conversationId) as { recipients: string } | undefined;
    if (!firstOut) return;
    let to: string[];
    try {
      to = (JSON.parse(firstOut.recipients) as { to?: string[] }).to ?? [];
    } catch {
      to = [];
    }
    for (const t of to) {
      const addr = (/<([^>]+)>$/.exec(t)?.[1] ?? t).toLowerCase();
      const r = prep(db, "SELECT customer_id FROM identities WHERE kind = 'email' AND address = ? AND is_self = 0").get(addr) as
        | { customer_id: number }
        | undefined;
      if (r) {
        want = r.customer_id;
        break;
      }
    }
  }
  if (want !== null && want !== conv.customer_id) {
    prep(db, 'UPDATE conversations SET customer_id = ?, updated_at = ? WHERE id = ?').run(want, now, conversationId);
  }
}

