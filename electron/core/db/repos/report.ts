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
  FROM conversation_facts f %INDEX% CROSS JOIN conversations c ON c.id = f.conversation_id`;

/**
 * The conversations whose first customer message is in [from, to) (epoch ms; infinite ends are open).
 * Read as one row of JSON arrays, not a row per conversation: 100,000 rows cost ~150 ms to hand to
 * JavaScript one by one (an array and strings per row, then their garbage), the arrays ~60-90 ms.
 */
export function reportConversations(db: ReadDB, from: number, to: number): ReportColumns {
  // The narrow facts table read in order, or for a range holding a small part of it, the first_in index
  // walked over that part; each row then finds its conversation by id (CROSS JOIN keeps that order).
  // Chosen here, not by the planner: with ANALYZE's statistics it walked the index for the whole
  // history (1.1-1.6 s instead of ~0.1-0.3 s), and a walk over half the table costs 3-4 times a scan.
  const whole = from === -Infinity && to === Infinity;
  const lo = Math.max(from, Number.MIN_SAFE_INTEGER);
  const hi = Math.min(to, Number.MAX_SAFE_INTEGER);
  const few =
    !whole &&
    4 * (prepRead(db, 'SELECT count(*) AS n FROM conversation_facts INDEXED BY conversation_facts_first_in WHERE first_in >= ? AND first_in < ?').get(lo, hi) as { n: number }).n <
      (prepRead(db, 'SELECT coalesce(max(conversation_id), 0) AS n FROM conversation_facts').get() as { n: number }).n;
  const sql = `${REPORT_COLUMNS.replace('%INDEX%', few ? 'INDEXED BY conversation_facts_first_in' : 'NOT INDEXED')} WHERE ${whole ? 'f.first_in IS NOT NULL' : 'f.first_in >= ? AND f.first_in < ?'}`;
  const row = (whole ? prepareReadRaw(db, sql).get() : prepareReadRaw(db, sql).get(lo, hi)) as string[];
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
    // The marked ones by their partial index (migration 0360), then each one's facts by id.
    'SELECT c.id, c.escalation, f.first_in AS firstIn FROM conversations c INDEXED BY conversations_escalated CROSS JOIN conversation_facts f ON f.conversation_id = c.id WHERE c.escalated = 1 AND f.first_in IS NOT NULL',
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
