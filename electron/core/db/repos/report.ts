// SQL of the canary report (electron/core/report): the raw rows it computes from, read in a few
// whole-table scans (each conversation's reply facts, kept on write in conversation_facts by
// migration 0390; its tags; the escalation marks) so that 100,000 conversations take one pass
// instead of a query each.
import { prepareReadRaw, prepRead, type ReadDB } from '../stmt';

/** One message's conversation, direction and time: [conversation_id, in (1) / out (0), sent_at]. */
export type MessageTimeRow = [number, number, number];

/**
 * Every message's (conversation, direction, time), ordered by conversation then time (the
 * messages_conversation index), streamed: what conversation_facts is worked out from (report/facts.ts
 * factsOf does the same in code; the tests compare the two).
 */
export function messageTimes(db: ReadDB): IterableIterator<MessageTimeRow> {
  // Not cached (stmt.ts): raw() changes the statement it is called on. Iterated rather than loaded:
  // 300,000 rows kept alive at once cost more in garbage collection than the scan.
  return prepareReadRaw(db, "SELECT conversation_id, direction = 'in', sent_at FROM messages ORDER BY conversation_id, sent_at, id").iterate() as IterableIterator<MessageTimeRow>;
}

/** Conversation statuses by the codes reportConversations gives them. */
export const REPORT_STATUSES = ['open', 'waiting', 'snoozed', 'done'] as const;

/**
 * The conversations with a customer message and their reply facts (migration 0390), as columns: the
 * i-th entry of each is the i-th conversation. Times are epoch ms (null: none).
 */
export interface ReportColumns {
  id: number[];
  /** 1 on X, 0 email. */
  onX: number[];
  accountId: (number | null)[];
  /** An index into REPORT_STATUSES. */
  status: number[];
  firstIn: number[];
  firstReply: (number | null)[];
  lastOut: (number | null)[];
  followUps: number[];
}

const REPORT_COLUMNS = `SELECT json_group_array(f.conversation_id), json_group_array(c.channel = 'x'), json_group_array(c.account_id),
  json_group_array(CASE c.status WHEN 'open' THEN 0 WHEN 'waiting' THEN 1 WHEN 'snoozed' THEN 2 ELSE 3 END),
  json_group_array(f.first_in), json_group_array(f.first_reply), json_group_array(f.last_out), json_group_array(f.follow_ups)
  FROM conversation_facts f JOIN conversations c ON c.id = f.conversation_id`;

/**
 * The conversations whose first customer message is in [from, to) (epoch ms; infinite ends are open).
 * Read as one row of JSON arrays, not a row per conversation: 100,000 rows cost ~150 ms to hand to
 * JavaScript one by one (an array and strings per row, then their garbage), the arrays ~60-90 ms.
 */
export function reportConversations(db: ReadDB, from: number, to: number): ReportColumns {
  // The whole history reads the table in order; a range walks the first_in index over its part only.
  const row = (
    from === -Infinity && to === Infinity
      ? prepareReadRaw(db, `${REPORT_COLUMNS} WHERE f.first_in IS NOT NULL`).get()
      : prepareReadRaw(db, `${REPORT_COLUMNS} WHERE f.first_in >= ? AND f.first_in < ?`).get(Math.max(from, Number.MIN_SAFE_INTEGER), Math.min(to, Number.MAX_SAFE_INTEGER))
  ) as string[];
  const [id, onX, accountId, status, firstIn, firstReply, lastOut, followUps] = row.map((json) => JSON.parse(json) as (number | null)[]);
  return { id, onX, accountId, status, firstIn, firstReply, lastOut, followUps } as ReportColumns;
}

/** Each tagged conversation's tags, lowercased. */
export function conversationTagRows(db: ReadDB): { conversationId: number; tag: string }[] {
  return prepRead(db, 'SELECT conversation_id AS conversationId, lower(tag) AS tag FROM conversation_tags').all() as { conversationId: number; tag: string }[];
}

/** Account names by id. */
export function accountNames(db: ReadDB): Map<number, string> {
  const rows = prepRead(db, 'SELECT id, name FROM accounts').all() as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The conversations marked escalated or likely (conversations.escalated = 1) that have a customer message: their escalation JSON and first customer message. */
export function escalationRows(db: ReadDB): { id: number; escalation: string | null; firstIn: number }[] {
  return prepRead(
    db,
    'SELECT c.id, c.escalation, f.first_in AS firstIn FROM conversations c JOIN conversation_facts f ON f.conversation_id = c.id WHERE c.escalated = 1 AND f.first_in IS NOT NULL',
  ).all() as { id: number; escalation: string | null; firstIn: number }[];
}

/**
 * An email conversation's account, subject, its customer's messages' text (oldest first) and its
 * oldest customer message after the business's last (null when the business wrote last), for its
 * touchpoints; null when it is gone.
 */
export function sourceThread(db: ReadDB, conversationId: number): { accountId: number | null; subject: string; unansweredFrom: number | null; bodies: string[] } | null {
  const c = prepRead(
    db,
    'SELECT c.account_id AS accountId, c.subject, f.unanswered_from AS unansweredFrom FROM conversations c LEFT JOIN conversation_facts f ON f.conversation_id = c.id WHERE c.id = ?',
  ).get(conversationId) as { accountId: number | null; subject: string; unansweredFrom: number | null } | undefined;
  if (!c) return null;
  const bodies = (prepRead(db, "SELECT body_text FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY sent_at, id").all(conversationId) as { body_text: string }[]).map(
    (r) => r.body_text,
  );
  return { ...c, bodies };
}
