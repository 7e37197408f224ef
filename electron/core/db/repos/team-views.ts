// Team mode's read side (migration 0350, electron/core/team/views.ts): the teammates the log names,
// and what the log holds for one local conversation (its shared keys, their events, fields and lost writes).
import type { ConversationStatus } from '../../../../shared/domain/types';
import type { ReadDB } from '../open';
import { prepRead } from '../stmt';
import type { TeamEventRow, TeamFieldRow, TeamHistoryRow } from './team';

export interface TeammateRow {
  /** The author's address (lowercase), else their device id: what the merge orders authors by. */
  key: string;
  name: string;
  address: string;
  events: number;
  devices: number;
  last_at: number;
  last_kind: string;
}

/** Every author in the log: their newest name, how many events and devices, their newest event's time and kind. */
export function teammates(db: ReadDB): TeammateRow[] {
  // SQLite takes a bare column's value from the row that holds max(at) in its group.
  return prepRead(
    db,
    `SELECT lower(CASE WHEN author_address != '' THEN author_address ELSE device END) AS key, max(at) AS last_at,
       author_name AS name, author_address AS address, kind AS last_kind, count(*) AS events, count(DISTINCT device) AS devices
     FROM team_events GROUP BY key ORDER BY last_at DESC, key`,
  ).all() as TeammateRow[];
}

/** The shared keys that lead to a local conversation: its own and, for email, every Message-ID of the thread. */
export function targetsOfConversation(db: ReadDB, id: number): string[] {
  return (
    prepRead(
      db,
      `SELECT c.kind || ':' || c.external_id AS t FROM conversations c WHERE c.id = @id
       UNION SELECT 'email:' || r.message_id_header FROM email_thread_refs r WHERE r.conversation_id = @id`,
    ).all({ id }) as { t: string }[]
  ).map((r) => r.t);
}

/** The events of these keys but claims (short-lived, renewed while typing), oldest first (one device's events of the same ms in their order; at most `limit`, the newest kept). */
export function eventsOfTargets(db: ReadDB, targets: string[], limit = 500): TeamEventRow[] {
  if (!targets.length) return [];
  return prepRead(
    db,
    `SELECT * FROM (SELECT * FROM team_events WHERE target IN (SELECT value FROM json_each(@t)) AND kind != 'conversation.claim' ORDER BY at DESC, device DESC, seq DESC LIMIT @limit) ORDER BY at, device, seq`,
  ).all({
    t: JSON.stringify(targets),
    limit,
  }) as TeamEventRow[];
}

export function fieldsOfTargets(db: ReadDB, targets: string[]): TeamFieldRow[] {
  if (!targets.length) return [];
  return prepRead(db, 'SELECT * FROM team_fields WHERE target IN (SELECT value FROM json_each(@t)) ORDER BY field').all({ t: JSON.stringify(targets) }) as TeamFieldRow[];
}

export function historyOfTargets(db: ReadDB, targets: string[]): TeamHistoryRow[] {
  if (!targets.length) return [];
  return prepRead(
    db,
    `SELECT target, field, value, at, author_name, author_address, event_id, lost_to, concurrent, recorded_at FROM team_history
     WHERE target IN (SELECT value FROM json_each(@t)) ORDER BY at, event_id, field`,
  ).all({ t: JSON.stringify(targets) }) as TeamHistoryRow[];
}

/** Per-author fields of these keys whose name starts with `prefix` (`claim:`, `reply:`), with their event's author. */
export function authorFieldsOfTargets(db: ReadDB, targets: string[], prefix: string): (TeamFieldRow & { author_name: string; author_address: string })[] {
  if (!targets.length) return [];
  return prepRead(
    db,
    `SELECT f.*, e.author_name, e.author_address FROM team_fields f JOIN team_events e ON e.id = f.event_id
     WHERE f.target IN (SELECT value FROM json_each(@t)) AND substr(f.field, 1, length(@p)) = @p`,
  ).all({ t: JSON.stringify(targets), p: prefix }) as (TeamFieldRow & { author_name: string; author_address: string })[];
}

/** Replies in a conversation after `since` that this copy's outbox did not send (a teammate's, from the Sent folder), newest first. */
export function outboundNotFromOutbox(db: ReadDB, conversationId: number, since: number): { sent_at: number; author_name: string; author_address: string }[] {
  return prepRead(
    db,
    `SELECT m.sent_at, m.author_name, m.author_address FROM messages m
     WHERE m.conversation_id = ? AND m.direction = 'out' AND m.sent_at > ?
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.external_id IS NOT NULL AND trim(o.external_id, '<>') = trim(m.external_id, '<>'))
     ORDER BY m.sent_at DESC LIMIT 20`,
  ).all(conversationId, since) as { sent_at: number; author_name: string; author_address: string }[];
}

/** Whether the conversation's newest message is the customer's and is marked \Answered on the server (answered elsewhere, the answer not here). */
export function newestInboundAnswered(db: ReadDB, conversationId: number): boolean {
  const r = prepRead(
    db,
    `SELECT m.direction, EXISTS (SELECT 1 FROM message_locations l, json_each(l.flags) f WHERE l.message_id = m.id AND lower(f.value) = '\\answered') AS answered
     FROM messages m WHERE m.conversation_id = ? ORDER BY m.sent_at DESC, m.id DESC LIMIT 1`,
  ).get(conversationId) as { direction: string; answered: number } | undefined;
  return r?.direction === 'in' && r.answered === 1;
}

/** Where a conversation's messages are on an account's server (folder, UIDVALIDITY, UID), for its status keywords. */
export function locationsOfConversation(db: ReadDB, accountId: number, conversationId: number): { folder: string; uidvalidity: number; uid: number }[] {
  return prepRead(
    db,
    `SELECT l.folder, l.uidvalidity, l.uid FROM message_locations l JOIN messages m ON m.id = l.message_id
     WHERE l.account_id = ? AND m.conversation_id = ? ORDER BY l.folder, l.uid`,
  ).all(accountId, conversationId) as { folder: string; uidvalidity: number; uid: number }[];
}

export function conversationStatus(db: ReadDB, id: number): ConversationStatus | null {
  const r = prepRead(db, 'SELECT status FROM conversations WHERE id = ?').get(id) as { status: ConversationStatus } | undefined;
  return r?.status ?? null;
}
