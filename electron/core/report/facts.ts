// Per-conversation facts the report aggregates, from one ordered scan of every message's
// (conversation, direction, time), in typed arrays indexed by conversation id (NaN for none). The
// report reads them from conversation_facts, kept on write by migration 0390's triggers; this is the
// same definition in code, which the tests compare the table with after arbitrary writes.
import type { MessageTimeRow } from '../db/repos/report';

export interface Facts {
  /** The customer's first message (NaN: the conversation has no customer message). */
  firstIn: Float64Array;
  /** The business's first message after it (NaN: unanswered). */
  firstReply: Float64Array;
  /** The business's last message (NaN: none). */
  lastOut: Float64Array;
  /** Customer messages after the first one and before the first reply (all of them when unanswered). */
  followUps: Int32Array;
  /** The oldest customer message not followed by a business message (NaN when the business wrote last). */
  unansweredFrom: Float64Array;
}

/** Facts of conversations 1..maxId from rows ordered by conversation, time. */
export function factsOf(rows: Iterable<MessageTimeRow>, maxId: number): Facts {
  const n = maxId + 1;
  const f: Facts = {
    firstIn: new Float64Array(n).fill(NaN),
    firstReply: new Float64Array(n).fill(NaN),
    lastOut: new Float64Array(n).fill(NaN),
    followUps: new Int32Array(n),
    unansweredFrom: new Float64Array(n).fill(NaN),
  };
  const { firstIn, firstReply, lastOut, followUps, unansweredFrom } = f;
  for (const [conv, inbound, at] of rows) {
    if (conv > maxId) continue;
    if (inbound) {
      if (Number.isNaN(firstIn[conv]!)) firstIn[conv] = at;
      else if (Number.isNaN(firstReply[conv]!)) followUps[conv]!++;
      if (Number.isNaN(unansweredFrom[conv]!)) unansweredFrom[conv] = at;
    } else {
      if (!Number.isNaN(firstIn[conv]!) && Number.isNaN(firstReply[conv]!)) firstReply[conv] = at;
      lastOut[conv] = at;
      unansweredFrom[conv] = NaN;
    }
  }
  return f;
}
