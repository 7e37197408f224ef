// SQL of the at-risk list's cache (electron/core/risk/inputs.ts): whether anything at all was written
// since it last read, which conversations' messages changed (message_changes, migration 0391), which
// conversations started or stopped waiting or changed while waiting (conversation_changes, 0392) and
// which customers' names or X accounts changed (customer_changes, 0392).
import { prepRead, prepReadPluck, type ReadDB } from '../stmt';

/**
 * Changes on this connection (SQLite's total_changes(), every row any statement or trigger wrote)
 * and other connections' commits (data_version): the same value means the database is as it was.
 */
export function writeSignature(db: ReadDB): string {
  const r = prepRead(db, 'SELECT total_changes() AS t, (SELECT data_version FROM pragma_data_version) AS v').get() as { t: number; v: number };
  return `${r.t}|${r.v}`;
}

/** The sequence number of the latest message change (0: none yet). */
export function lastMessageChange(db: ReadDB): number {
  return (prepRead(db, 'SELECT coalesce(max(seq), 0) AS s FROM message_changes').get() as { s: number }).s;
}

/** The conversations whose messages changed after sequence number `seq`. */
export function messagesChangedSince(db: ReadDB, seq: number): number[] {
  return (prepRead(db, 'SELECT conversation_id AS id FROM message_changes WHERE seq > ?').all(seq) as { id: number }[]).map((r) => r.id);
}

export type ChangeKind = 'message' | 'conversation' | 'customer';

/** Each kind's table and key, as 0391 and 0392 made them. */
const CHANGES: Record<ChangeKind, { table: string; key: string }> = {
  message: { table: 'message_changes', key: 'conversation_id' },
  conversation: { table: 'conversation_changes', key: 'conversation_id' },
  customer: { table: 'customer_changes', key: 'customer_id' },
};

/** The latest sequence number of each kind of change (0: none yet), read together. */
export function lastChanges(db: ReadDB): Record<ChangeKind, number> {
  return prepRead(
    db,
    `SELECT (SELECT coalesce(max(seq), 0) FROM message_changes) AS message, (SELECT coalesce(max(seq), 0) FROM conversation_changes) AS conversation,
       (SELECT coalesce(max(seq), 0) FROM customer_changes) AS customer`,
  ).get() as Record<ChangeKind, number>;
}

/** The conversations (message, conversation) or customers (customer) changed after sequence number `seq`. */
export function changedSince(db: ReadDB, kind: ChangeKind, seq: number): number[] {
  const { table, key } = CHANGES[kind];
  return prepReadPluck(db, `SELECT ${key} FROM ${table} WHERE seq > ?`).all(seq) as number[];
}

/**
 * Conversations marked escalated, likely or public complaint: their customer, the authors of their
 * customer messages, and each author's first message there (the list counts those sent by its `now`).
 */
export function publicComplaintAuthors(db: ReadDB): { id: number; customerId: number | null; identityId: number | null; firstAt: number }[] {
  return prepRead(
    db,
    `SELECT c.id, c.customer_id AS customerId, m.author_identity_id AS identityId, min(m.sent_at) AS firstAt
     FROM conversations c INDEXED BY conversations_marked
     CROSS JOIN messages m ON m.conversation_id = c.id AND m.direction = 'in'
     WHERE c.escalation_rank > 0
     GROUP BY c.id, m.author_identity_id`,
  ).all() as { id: number; customerId: number | null; identityId: number | null; firstAt: number }[];
}
