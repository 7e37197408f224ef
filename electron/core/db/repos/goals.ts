// SQL for response goals and the at-risk list (core/goals, core/risk): the stored goal settings
// (settings table, key 'goals'), the business's reply history, the conversations waiting on it, their
// messages, and what is known of their customers on X.
import type { GoalSettings } from '../../../../shared/contract/goals';
import { businessHoursSchema, goalOverrideSchema } from '../../../../shared/contract/goals';
import { parseJson } from '../json';
import type { DB } from '../open';
import { prep } from '../stmt';

export const EMPTY_GOALS: GoalSettings = { firstReplyMs: null, nextReplyMs: null, hours: null, overrides: [] };
/** How many of the most recent answered email conversations the history reads. */
export const HISTORY_CONVERSATIONS = 5000;

export function getGoalSettings(db: DB): GoalSettings {
  const row = prep(db, "SELECT value FROM settings WHERE key = 'goals'").get() as { value: string } | undefined;
  const v = parseJson<Record<string, unknown>>(row?.value, {});
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null);
  const hours = businessHoursSchema.safeParse(v.hours);
  const overrides = Array.isArray(v.overrides)
    ? v.overrides.flatMap((o) => {
        const p = goalOverrideSchema.safeParse(o);
        return p.success ? [p.data] : [];
      })
    : [];
  // A damaged part falls back to its default; the rest stands.
  return { firstReplyMs: num(v.firstReplyMs), nextReplyMs: num(v.nextReplyMs), hours: hours.success ? hours.data : null, overrides };
}

export function putGoalSettings(db: DB, s: GoalSettings): void {
  prep(db, "INSERT INTO settings (key, value) VALUES ('goals', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(s));
}

export interface ReplyRow {
  conversationId: number;
  direction: 'in' | 'out';
  sentAt: number;
}

/** The messages of the most recently answered email conversations up to `now`, grouped by conversation, oldest first. */
export function historyRows(db: DB, now: number): ReplyRow[] {
  return prep(
    db,
    `SELECT m.conversation_id AS conversationId, m.direction, m.sent_at AS sentAt FROM messages m
     WHERE m.conversation_id IN (
       SELECT id FROM conversations WHERE channel = 'email' AND last_outbound_at IS NOT NULL
       ORDER BY last_outbound_at DESC LIMIT ${HISTORY_CONVERSATIONS})
       AND m.sent_at <= ?
     ORDER BY m.conversation_id, m.sent_at, m.id`,
  ).all(now) as ReplyRow[];
}

/** Whether a message newer than `afterId` is the business's (an answer: the reply history may have changed). */
export function answeredSince(db: DB, afterId: number): boolean {
  return prep(db, "SELECT 1 FROM messages WHERE id > ? AND direction = 'out' LIMIT 1").get(afterId) !== undefined;
}

/** The newest message id: the history is read again when it changes. */
export function lastMessageId(db: DB): number {
  return (prep(db, 'SELECT MAX(id) AS n FROM messages').get() as { n: number | null }).n ?? 0;
}

export interface ConversationRow {
  id: number;
  channel: 'email' | 'x';
  kind: 'email' | 'tweet' | 'dm';
  status: 'open' | 'waiting' | 'snoozed' | 'done';
  accountId: number | null;
  customerId: number | null;
  subject: string;
  tags: string;
}

const CONV_COLS = 'c.id, c.channel, c.kind, c.status, c.account_id AS accountId, c.customer_id AS customerId, c.subject, c.tags';

/**
 * Open conversations whose last message is the customer's (waiting on the business): from the stored
 * columns, or, given `asOf`, from the messages sent up to then (what the list would have said at that moment).
 */
export function waitingConversations(db: DB, asOf?: number): ConversationRow[] {
  if (asOf === undefined) {
    return prep(
      db,
      // The partial index of exactly these (migration 0391), named: with the statistics' view of
      // `status` (four values, a quarter each) the planner would rather read the whole table.
      `SELECT ${CONV_COLS} FROM conversations c INDEXED BY conversations_waiting
       WHERE c.status = 'open' AND c.last_inbound_at IS NOT NULL AND (c.last_outbound_at IS NULL OR c.last_outbound_at < c.last_inbound_at)`,
    ).all() as ConversationRow[];
  }
  return prep(
    db,
    `SELECT ${CONV_COLS} FROM conversations c
     WHERE c.status = 'open' AND (
       SELECT m.direction FROM messages m WHERE m.conversation_id = c.id AND m.sent_at <= ? ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) = 'in'`,
  ).all(asOf) as ConversationRow[];
}

/** Those of `ids` waiting on the business now (the stored columns, as waitingConversations without `asOf`). */
export function waitingAmong(db: DB, ids: number[]): ConversationRow[] {
  return prep(
    db,
    `SELECT ${CONV_COLS} FROM conversations c
     WHERE c.id IN (SELECT value FROM json_each(?))
       AND c.status = 'open' AND c.last_inbound_at IS NOT NULL AND (c.last_outbound_at IS NULL OR c.last_outbound_at < c.last_inbound_at)`,
  ).all(JSON.stringify(ids)) as ConversationRow[];
}

export function conversationsByIds(db: DB, ids: number[]): ConversationRow[] {
  const st = prep(db, `SELECT ${CONV_COLS} FROM conversations c WHERE c.id = ?`);
  return ids.flatMap((id) => {
    const r = st.get(id) as ConversationRow | undefined;
    return r ? [r] : [];
  });
}

export interface MessageRow {
  direction: 'in' | 'out';
  sentAt: number;
  text: string;
}

/** A conversation's messages up to `now`, oldest first (text cut to 4,000 characters). */
export function threadMessages(db: DB, conversationId: number, now: number): MessageRow[] {
  return prep(
    db,
    `SELECT direction, sent_at AS sentAt, substr(body_text, 1, 4000) AS text FROM messages
     WHERE conversation_id = ? AND sent_at <= ? ORDER BY sent_at, id`,
  ).all(conversationId, now) as MessageRow[];
}

export interface ThreadRow extends MessageRow {
  conversationId: number;
}

/** The messages of many conversations up to `now` in one query, grouped by conversation, oldest first. */
export function threadsMessages(db: DB, ids: number[], now: number): ThreadRow[] {
  return prep(
    db,
    `SELECT conversation_id AS conversationId, direction, sent_at AS sentAt, substr(body_text, 1, 4000) AS text FROM messages
     WHERE conversation_id IN (SELECT value FROM json_each(?)) AND sent_at <= ? ORDER BY conversation_id, sent_at, id`,
  ).all(JSON.stringify(ids), now) as ThreadRow[];
}

export interface XAccountRow {
  customerId: number;
  identityId: number;
  handle: string | null;
  profile: string | null;
}

/** The customers' X accounts: their own X identities and those linked or confirmed to them (may repeat). */
export function customersXAccounts(db: DB, customerIds: number[]): XAccountRow[] {
  const ids = JSON.stringify(customerIds);
  return prep(
    db,
    `SELECT i.customer_id AS customerId, i.id AS identityId, i.handle, i.profile FROM identities i
     WHERE i.customer_id IN (SELECT value FROM json_each(@ids)) AND i.kind = 'x' AND i.is_self = 0
     UNION ALL
     SELECT l.customer_id, i.id, i.handle, i.profile FROM links l JOIN identities i ON i.id = l.identity_id
     WHERE l.customer_id IN (SELECT value FROM json_each(@ids)) AND l.state IN ('linked', 'confirmed') AND i.kind = 'x' AND i.is_self = 0`,
  ).all({ ids }) as XAccountRow[];
}

/** Conversations marked escalated, likely or public complaint with a customer message by `now`: their customer and authors. */
export function publicComplaints(db: DB, now: number): { id: number; customerId: number | null; identityId: number | null }[] {
  return prep(
    db,
    // The marked conversations by their partial index (migration 0391), then each one's messages.
    `SELECT DISTINCT c.id, c.customer_id AS customerId, m.author_identity_id AS identityId FROM conversations c INDEXED BY conversations_marked
     CROSS JOIN messages m ON m.conversation_id = c.id AND m.direction = 'in' AND m.sent_at <= ?
     WHERE c.escalation_rank > 0`,
  ).all(now) as { id: number; customerId: number | null; identityId: number | null }[];
}

export function customerNames(db: DB, customerIds: number[]): Map<number, string> {
  const rows = prep(db, "SELECT id, display_name AS n FROM customers WHERE id IN (SELECT value FROM json_each(?)) AND display_name != ''").all(JSON.stringify(customerIds)) as {
    id: number;
    n: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** How long customers waited after their last email before posting, from the escalation marks made by `now` (ms). */
export function escalationWaits(db: DB, now: number): number[] {
  return prep(
    db,
    `SELECT CAST(json_extract(escalation, '$.waitedMs') AS INTEGER) FROM conversations
     WHERE escalated = 1 AND json_valid(escalation) AND json_extract(escalation, '$.state') = 'escalated'
       AND json_extract(escalation, '$.waitedMs') > 0 AND last_inbound_at <= ?`,
  )
    .raw()
    .all(now)
    .map((r) => (r as number[])[0]!);
}
