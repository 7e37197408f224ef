// Per-conversation facts the report aggregates, from one ordered scan of every message's
// (conversation, direction, time).
import type { MessageTimeRow } from '../db/repos/report';

export interface ConversationFacts {
  /** The customer's first message. */
  firstIn: number;
  /** The business's first message after it, or null (unanswered). */
  firstReply: number | null;
  /** The business's last message, or null. */
  lastOut: number | null;
  /** Customer messages after the first one and before the first reply (all of them when unanswered). */
  followUps: number;
  /** The oldest customer message not followed by a business message (null when the business wrote last). */
  unansweredFrom: number | null;
}

/** Facts of every conversation with a customer message, by conversation id. Rows ordered by conversation, time. */
export function factsOf(rows: readonly MessageTimeRow[]): Map<number, ConversationFacts> {
  const out = new Map<number, ConversationFacts>();
  let i = 0;
  while (i < rows.length) {
    const conv = rows[i]![0];
    let firstIn: number | null = null;
    let firstReply: number | null = null;
    let lastOut: number | null = null;
    let followUps = 0;
    let unansweredFrom: number | null = null;
    for (; i < rows.length && rows[i]![0] === conv; i++) {
      const [, inbound, at] = rows[i]!;
      if (inbound) {
        if (firstIn === null) firstIn = at;
        else if (firstReply === null) followUps++;
        if (unansweredFrom === null) unansweredFrom = at;
      } else {
        if (firstIn !== null && firstReply === null) firstReply = at;
        lastOut = at;
        unansweredFrom = null;
      }
    }
    if (firstIn !== null) out.set(conv, { firstIn, firstReply, lastOut, followUps, unansweredFrom });
  }
  return out;
}
