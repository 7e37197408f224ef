// A conversation's customer: the customer of its earliest inbound mail from someone who is not the
// business; a conversation the business started gets its first To recipient until someone writes in.
import type { DB } from '../db/open';
import * as self from '../db/repos/email/self-addresses';

/** Set conversations.customer_id from the conversation's messages (see the header). */
export function updateConversationCustomer(db: DB, conversationId: number, now: number): void {
  const firstIn = self.firstInboundCustomer(db, conversationId);
  const current = self.conversationCustomer(db, conversationId);
  let want: number | null = firstIn ?? null;
  if (want === null) {
    if (current !== null) return;
    // The business wrote first: the first recipient of its earliest message stands in.
    const firstOut = self.firstOutboundRecipients(db, conversationId);
    if (firstOut === undefined) return;
    let to: string[];
    try {
      to = (JSON.parse(firstOut) as { to?: string[] }).to ?? [];
    } catch {
      to = [];
    }
    for (const t of to) {
      const addr = (/<([^>]+)>$/.exec(t)?.[1] ?? t).toLowerCase();
      const r = self.customerOfAddress(db, addr);
      if (r !== undefined) {
        want = r;
        break;
      }
    }
  }
  if (want !== null && want !== current) {
    self.setConversationCustomer(db, conversationId, want, now);
  }
}
