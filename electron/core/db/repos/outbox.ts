// The outbox table's state machine, shared by the email (SMTP) and X (posts, DMs) senders:
//   queued --claim (state 'sending', attempts+1, committed before the remote side sees anything)--> sending
//   sending --accepted--> sent | --transient failure--> queued with backoff | --permanent--> failed
//   a row found in 'sending' when a sender starts (the process died mid-send) → failed, never re-sent
//   automatically: it may or may not have been delivered, and the owner decides.
// Channels differ only in how they build, send and classify; the rows and their moves are here.
import type { DB } from '../open';
import { prep } from '../stmt';

export type OutboxKind = 'email' | 'tweet' | 'dm';
export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface OutboxRow {
  id: number;
  account_id: number | null;
  conversation_id: number | null;
  kind: OutboxKind;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  external_id: string | null;
  /** The cross-channel answer this item is one part of (migration 0340), else null. */
  group_id: string | null;
  created_at: number;
  updated_at: number;
}

/** `kind IN (?, ?)` for a list of kinds (fixed SQL per list, so statements are cached). */
function kindIn(kinds: readonly OutboxKind[]): string {
  return `kind IN (${kinds.map(() => '?').join(', ')})`;
}

/** The item queued earlier under this idempotency key, if any (a retried request queues nothing twice). */
export function outboxIdByKey(db: DB, key: string): number | undefined {
  return (prep(db, 'SELECT id FROM outbox WHERE idempotency_key = ?').get(key) as { id: number } | undefined)?.id;
}

/**
 * Queue an item. A reply moves its conversation to waiting (the owner has answered), or to `status`
 * when given (a cross-channel answer may close both conversations); a forward
 * (`answersCustomer: false`) leaves it as it is. `groupId` ties the parts of one cross-channel answer.
 */
export function insertOutbox(
  db: DB,
  item: {
    accountId: number;
    conversationId: number;
    kind: OutboxKind;
    payload: unknown;
    idempotencyKey: string;
    now: number;
    answersCustomer?: boolean;
    groupId?: string;
    status?: 'waiting' | 'done';
    /** Not sent before this time (undo send); default now. */
    notBefore?: number;
  },
): number {
  return db.transaction(() => {
    const id = Number(
      prep(
        db,
        `INSERT INTO outbox (account_id, conversation_id, kind, payload, state, attempts, next_attempt_at, idempotency_key, group_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?)`,
      ).run(item.accountId, item.conversationId, item.kind, JSON.stringify(item.payload), Math.max(item.now, item.notBefore ?? item.now), item.idempotencyKey, item.groupId ?? null, item.now, item.now)
        .lastInsertRowid,
    );
    if (item.answersCustomer === false) return id;
    prep(db, 'UPDATE conversations SET status = ?, snooze_until = NULL, unread = 0, updated_at = ? WHERE id = ?').run(item.status ?? 'waiting', item.now, item.conversationId);
    return id;
  })();
}

export function getOutboxRow(db: DB, id: number, kinds: readonly OutboxKind[]): OutboxRow | undefined {
  return prep(db, `SELECT * FROM outbox WHERE id = ? AND ${kindIn(kinds)}`).get(id, ...kinds) as OutboxRow | undefined;
}

export function listOutboxRows(db: DB, kinds: readonly OutboxKind[], filter: { conversationId?: number; states?: readonly OutboxState[]; withGroup?: boolean; groupId?: string } = {}): OutboxRow[] {
  const where = [kindIn(kinds)];
  const params: unknown[] = [...kinds];
  if (filter.conversationId !== undefined) {
    // withGroup: also the other parts of this conversation's cross-channel answers.
    where.push(filter.withGroup ? '(conversation_id = ? OR group_id IN (SELECT group_id FROM outbox WHERE conversation_id = ? AND group_id IS NOT NULL))' : 'conversation_id = ?');
    params.push(filter.conversationId);
    if (filter.withGroup) params.push(filter.conversationId);
  }
  if (filter.groupId !== undefined) {
    where.push('group_id = ?');
    params.push(filter.groupId);
  }
  if (filter.states) {
    if (!filter.states.length) return [];
    where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  return prep(db, `SELECT * FROM outbox WHERE ${where.join(' AND ')} ORDER BY id`).all(...params) as OutboxRow[];
}

/** Owner's decision: send a failed item again now. False when the item is not a failed one of these kinds. */
export function retryOutbox(db: DB, id: number, kinds: readonly OutboxKind[], now: number): boolean {
  return prep(db, `UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE id = ? AND ${kindIn(kinds)} AND state = 'failed'`).run(now, now, id, ...kinds).changes > 0;
}

/** Owner's decision: never send it. False when it is already sent or being sent. */
export function cancelOutbox(db: DB, id: number, kinds: readonly OutboxKind[], now: number): boolean {
  return prep(db, `UPDATE outbox SET state = 'cancelled', updated_at = ? WHERE id = ? AND ${kindIn(kinds)} AND state IN ('queued', 'failed')`).run(now, id, ...kinds).changes > 0;
}

/** A conversation's status and snooze time (what a reply queued for undo remembers). */
export function conversationStatus(db: DB, conversationId: number): { status: string; snooze_until: number | null } | undefined {
  return prep(db, 'SELECT status, snooze_until FROM conversations WHERE id = ?').get(conversationId) as { status: string; snooze_until: number | null } | undefined;
}

/**
 * Undo send: cancel a queued item no sender has tried yet and, when its conversation is still where
 * the reply put it (`setTo`), put it back as it was. False when it was already tried, sent or cancelled.
 */
export function undoOutbox(db: DB, id: number, kinds: readonly OutboxKind[], now: number, back: { setTo: string; status: string; snoozeUntil: number | null } | null): boolean {
  return db.transaction(() => {
    const row = prep(db, `UPDATE outbox SET state = 'cancelled', updated_at = ? WHERE id = ? AND ${kindIn(kinds)} AND state = 'queued' AND attempts = 0 RETURNING conversation_id`).get(
      now,
      id,
      ...kinds,
    ) as { conversation_id: number | null } | undefined;
    if (!row) return false;
    if (back && row.conversation_id !== null)
      prep(db, 'UPDATE conversations SET status = ?, snooze_until = ?, updated_at = ? WHERE id = ? AND status = ?').run(back.status, back.snoozeUntil, now, row.conversation_id, back.setTo);
    return true;
  })();
}

/** Items left in 'sending' by a process that died become failed with `why`; returns their ids. */
export function failInterrupted(db: DB, kinds: readonly OutboxKind[], why: string, now: number): number[] {
  const rows = prep(db, `UPDATE outbox SET state = 'failed', updated_at = ?, last_error = ? WHERE ${kindIn(kinds)} AND state = 'sending' RETURNING id`).all(now, why, ...kinds) as {
    id: number;
  }[];
  return rows.map((r) => r.id);
}

export function dueOutboxIds(db: DB, kinds: readonly OutboxKind[], now: number): number[] {
  return (prep(db, `SELECT id FROM outbox WHERE ${kindIn(kinds)} AND state = 'queued' AND next_attempt_at <= ? ORDER BY id`).all(...kinds, now) as { id: number }[]).map((r) => r.id);
}

/** Claim a queued item for sending; only one sender gets it, and the attempt is on record first. */
export function claimOutbox(db: DB, id: number, now: number): OutboxRow | undefined {
  return prep(db, "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued' RETURNING *").get(now, id) as OutboxRow | undefined;
}

export function markOutboxSent(db: DB, id: number, externalId: string, now: number): void {
  prep(db, "UPDATE outbox SET state = 'sent', external_id = ?, last_error = NULL, updated_at = ? WHERE id = ?").run(externalId, now, id);
}

export function requeueOutbox(db: DB, id: number, nextAttemptAt: number, error: string, now: number): void {
  prep(db, "UPDATE outbox SET state = 'queued', next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?").run(nextAttemptAt, error, now, id);
}

export function failOutbox(db: DB, id: number, error: string, now: number): void {
  prep(db, "UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?").run(error, now, id);
}

/** A note on an item without changing its state (a sent item whose copy could not be filed). */
export function noteOutbox(db: DB, id: number, note: string, now: number): void {
  prep(db, 'UPDATE outbox SET last_error = ?, updated_at = ? WHERE id = ?').run(note, now, id);
}

/** When the next queued item of these kinds is due, or null when nothing is queued. */
export function nextOutboxAttempt(db: DB, kinds: readonly OutboxKind[]): number | null {
  return (prep(db, `SELECT min(next_attempt_at) AS t FROM outbox WHERE ${kindIn(kinds)} AND state = 'queued'`).get(...kinds) as { t: number | null }).t;
}
