// Team mode's tables (migration 0350, electron/core/team): the events this copy made or read, the
// winning value of each shared field, the writes that lost, where the log was read up to.
import type { ConversationStatus } from '../../../../shared/domain/types';
import type { DB } from '../open';
import { prep, prepRead, type ReadDB } from '../stmt';

export type TeamEventState = 'queued' | 'appending' | 'sent' | 'received';

export interface TeamEventRow {
  id: string;
  device: string;
  seq: number;
  author_name: string;
  author_address: string;
  at: number;
  kind: string;
  target: string;
  body: string;
  state: TeamEventState;
  uid: number | null;
  created_at: number;
}

export interface TeamFieldRow {
  target: string;
  field: string;
  value: string;
  at: number;
  author: string;
  event_id: string;
  applied: number;
}

export function getMeta(db: ReadDB, key: string): string | null {
  const r = prepRead(db, 'SELECT value FROM team_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}

export function setMeta(db: DB, key: string, value: string): void {
  prep(db, 'INSERT INTO team_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function lastSeq(db: ReadDB, device: string): number {
  const r = prepRead(db, 'SELECT max(seq) AS s FROM team_events WHERE device = ?').get(device) as { s: number | null };
  return r.s ?? 0;
}

/** Store an event; false when its id is known already (nothing changes then). */
export function insertEvent(db: DB, e: TeamEventRow): boolean {
  return (
    prep(
      db,
      `INSERT INTO team_events (id, device, seq, author_name, author_address, at, kind, target, body, state, uid, created_at)
       VALUES (@id, @device, @seq, @author_name, @author_address, @at, @kind, @target, @body, @state, @uid, @created_at)
       ON CONFLICT DO NOTHING`,
    ).run(e).changes === 1
  );
}

export function eventState(db: ReadDB, id: string): { state: TeamEventState; uid: number | null } | null {
  return (prepRead(db, 'SELECT state, uid FROM team_events WHERE id = ?').get(id) as { state: TeamEventState; uid: number | null } | undefined) ?? null;
}

export function setEventState(db: DB, id: string, state: TeamEventState, uid: number | null = null): void {
  prep(db, 'UPDATE team_events SET state = ?, uid = coalesce(?, uid) WHERE id = ?').run(state, uid, id);
}

/** This copy's events not yet known to be in the log folder, oldest first. */
export function outboxEvents(db: ReadDB, state: 'queued' | 'appending', limit = 500): TeamEventRow[] {
  return prepRead(db, 'SELECT * FROM team_events WHERE state = ? ORDER BY seq LIMIT ?').all(state, limit) as TeamEventRow[];
}

export function outboxCount(db: ReadDB): number {
  return (prepRead(db, "SELECT count(*) AS n FROM team_events WHERE state IN ('queued', 'appending')").get() as { n: number }).n;
}

/** Per device other than `self`, its newest event applied here: what a new event says it had seen. */
export function latestPerDevice(db: ReadDB, self: string): string[] {
  return (
    prepRead(
      db,
      `SELECT e.id FROM (SELECT device, max(seq) AS seq FROM team_events WHERE device != ? GROUP BY device) m
       JOIN team_events e ON e.device = m.device AND e.seq = m.seq ORDER BY e.device`,
    ).all(self) as { id: string }[]
  ).map((r) => r.id);
}

export function getField(db: ReadDB, target: string, field: string): TeamFieldRow | null {
  return (prepRead(db, 'SELECT * FROM team_fields WHERE target = ? AND field = ?').get(target, field) as TeamFieldRow | undefined) ?? null;
}

export function putField(db: DB, f: TeamFieldRow): void {
  prep(
    db,
    `INSERT INTO team_fields (target, field, value, at, author, event_id, applied) VALUES (@target, @field, @value, @at, @author, @event_id, @applied)
     ON CONFLICT (target, field) DO UPDATE SET value = excluded.value, at = excluded.at, author = excluded.author,
       event_id = excluded.event_id, applied = excluded.applied`,
  ).run(f);
}

export function markFieldsApplied(db: DB, target: string): void {
  prep(db, 'UPDATE team_fields SET applied = 1 WHERE target = ? AND applied = 0').run(target);
}

export function fieldsOf(db: ReadDB, target: string): TeamFieldRow[] {
  return prepRead(db, 'SELECT * FROM team_fields WHERE target = ? ORDER BY field').all(target) as TeamFieldRow[];
}

export interface TeamHistoryRow {
  target: string;
  field: string;
  value: string;
  at: number;
  author_name: string;
  author_address: string;
  event_id: string;
  lost_to: string;
  concurrent: number;
  recorded_at: number;
}

export function insertHistory(db: DB, h: TeamHistoryRow): void {
  prep(
    db,
    `INSERT INTO team_history (target, field, value, at, author_name, author_address, event_id, lost_to, concurrent, recorded_at)
     VALUES (@target, @field, @value, @at, @author_name, @author_address, @event_id, @lost_to, @concurrent, @recorded_at)
     ON CONFLICT (event_id, field) DO UPDATE SET lost_to = excluded.lost_to, concurrent = max(concurrent, excluded.concurrent)`,
  ).run(h);
}

export function historyOf(db: ReadDB, target: string): TeamHistoryRow[] {
  return prepRead(db, 'SELECT target, field, value, at, author_name, author_address, event_id, lost_to, concurrent, recorded_at FROM team_history WHERE target = ? ORDER BY at, event_id, field').all(
    target,
  ) as TeamHistoryRow[];
}

/** What merging asks of a stored event: its device, sequence number and author. */
export interface KnownEvent {
  device: string;
  seq: number;
  author_name: string;
  author_address: string;
}

export function knownOfEvent(db: ReadDB, id: string): KnownEvent | null {
  return (prepRead(db, 'SELECT device, seq, author_name, author_address FROM team_events WHERE id = ?').get(id) as KnownEvent | undefined) ?? null;
}

export function eventById(db: ReadDB, id: string): TeamEventRow | null {
  return (prepRead(db, 'SELECT * FROM team_events WHERE id = ?').get(id) as TeamEventRow | undefined) ?? null;
}

export interface LogCursor {
  folder: string;
  uidvalidity: number;
  lastUid: number;
}

export function getCursor(db: ReadDB, accountId: number): LogCursor | null {
  const r = prepRead(db, 'SELECT folder, uidvalidity, last_uid FROM team_log_cursor WHERE account_id = ?').get(accountId) as { folder: string; uidvalidity: number; last_uid: number } | undefined;
  return r ? { folder: r.folder, uidvalidity: r.uidvalidity, lastUid: r.last_uid } : null;
}

export function setCursor(db: DB, accountId: number, c: LogCursor, now: number): void {
  prep(
    db,
    `INSERT INTO team_log_cursor (account_id, folder, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id) DO UPDATE SET folder = excluded.folder, uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`,
  ).run(accountId, c.folder, c.uidvalidity, c.lastUid, now);
}

/** The key every copy shares for a conversation: its kind and external id (an email thread's root Message-ID, an X conversation id). */
export function targetOfConversation(db: ReadDB, id: number): string | null {
  const r = prepRead(db, 'SELECT kind, external_id FROM conversations WHERE id = ?').get(id) as { kind: string; external_id: string } | undefined;
  return r ? `${r.kind}:${r.external_id}` : null;
}

/**
 * The local conversation of a shared key. An email key is any Message-ID of the thread (another copy
 * may know an older root, or not yet): found through the threading index.
 */
export function resolveTarget(db: ReadDB, target: string): number | null {
  const i = target.indexOf(':');
  if (i < 0) return null;
  const kind = target.slice(0, i);
  const ext = target.slice(i + 1);
  const direct = prepRead(db, 'SELECT id FROM conversations WHERE kind = ? AND external_id = ?').get(kind, ext) as { id: number } | undefined;
  if (direct) return direct.id;
  if (kind !== 'email') return null;
  const viaRef = prepRead(db, 'SELECT conversation_id AS id FROM email_thread_refs WHERE message_id_header = ?').get(ext) as { id: number } | undefined;
  return viaRef?.id ?? null;
}

/** Shared keys with fields not yet shown locally that now lead to these conversations. */
export function unappliedTargetsOf(db: ReadDB, conversationIds: number[]): string[] {
  if (!conversationIds.length) return [];
  return (
    prepRead(
      db,
      `SELECT DISTINCT f.target FROM team_fields f WHERE f.applied = 0 AND f.target IN (
         SELECT c.kind || ':' || c.external_id FROM conversations c WHERE c.id IN (SELECT value FROM json_each(@ids))
         UNION SELECT 'email:' || r.message_id_header FROM email_thread_refs r WHERE r.conversation_id IN (SELECT value FROM json_each(@ids)))`,
    ).all({ ids: JSON.stringify(conversationIds) }) as { target: string }[]
  ).map((r) => r.target);
}

export function hasUnapplied(db: ReadDB): boolean {
  return prepRead(db, 'SELECT 1 FROM team_fields WHERE applied = 0 LIMIT 1').get() !== undefined;
}

/** Show a shared status on the local conversation; whether anything changed. */
export function applyConversationStatus(db: DB, id: number, status: ConversationStatus, snoozeUntil: number | null, now: number): boolean {
  return (
    prep(db, 'UPDATE conversations SET status = ?, snooze_until = ?, updated_at = ? WHERE id = ? AND (status IS NOT ? OR snooze_until IS NOT ?)').run(status, snoozeUntil, now, id, status, snoozeUntil)
      .changes > 0
  );
}

/** Show a shared assignee on the local conversation (migration 0380; null: nobody); whether it changed. */
export function applyConversationAssignee(db: DB, id: number, assignee: string | null): boolean {
  return prep(db, 'UPDATE conversations SET assignee = ? WHERE id = ? AND assignee IS NOT ?').run(assignee, id, assignee).changes > 0;
}

export function conversationTags(db: ReadDB, id: number): string[] {
  const r = prepRead(db, 'SELECT tags FROM conversations WHERE id = ?').get(id) as { tags: string } | undefined;
  try {
    const v = JSON.parse(r?.tags ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** Set a conversation's tags (conversation_tags follows by trigger, migration 0304). */
export function setConversationTags(db: DB, id: number, tags: string[], now: number): void {
  prep(db, 'UPDATE conversations SET tags = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(tags), now, id);
}

/** The events that win some field now and were read from the log at or below `upTo` (a snapshot's content), oldest first. */
export function winningEventsUpTo(db: ReadDB, upTo: number, kinds: readonly string[]): TeamEventRow[] {
  return prepRead(
    db,
    `SELECT e.* FROM team_events e WHERE e.id IN (SELECT DISTINCT event_id FROM team_fields)
       AND e.uid IS NOT NULL AND e.uid <= @upTo AND e.state IN ('sent', 'received') AND e.kind IN (SELECT value FROM json_each(@kinds))
     ORDER BY e.at, e.device, e.seq`,
  ).all({ upTo, kinds: JSON.stringify(kinds) }) as TeamEventRow[];
}

/** UIDs at or below `upTo` of log messages holding events of these kinds (what a snapshot replaces; a newer Canary's events are kept). */
export function eventUidsUpTo(db: ReadDB, upTo: number, kinds: readonly string[]): number[] {
  return (
    prepRead(db, `SELECT DISTINCT uid FROM team_events WHERE uid IS NOT NULL AND uid <= ? AND state IN ('sent', 'received') AND kind IN (SELECT value FROM json_each(?)) ORDER BY uid`).all(
      upTo,
      JSON.stringify(kinds),
    ) as { uid: number }[]
  ).map((r) => r.uid);
}

/** UIDs at or below `upTo` of log messages holding events of other kinds (a newer Canary's): never compacted away. */
export function otherKindUidsUpTo(db: ReadDB, upTo: number, kinds: readonly string[]): number[] {
  return (
    prepRead(db, `SELECT DISTINCT uid FROM team_events WHERE uid IS NOT NULL AND uid <= ? AND kind NOT IN (SELECT value FROM json_each(?))`).all(upTo, JSON.stringify(kinds)) as {
      uid: number;
    }[]
  ).map((r) => r.uid);
}

/** The UIDs of the snapshot parts this copy has read in the log folder (team_meta; reset when UIDVALIDITY changes). */
export function snapshotUids(db: ReadDB, uidValidity: number): number[] {
  const raw = getMeta(db, 'snapshot-parts');
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as { uidValidity?: unknown; uids?: unknown };
    return v.uidValidity === uidValidity && Array.isArray(v.uids) ? v.uids.filter((u): u is number => Number.isInteger(u)) : [];
  } catch {
    return [];
  }
}

export function setSnapshotUids(db: DB, uidValidity: number, uids: number[]): void {
  setMeta(db, 'snapshot-parts', JSON.stringify({ uidValidity, uids: [...new Set(uids)].sort((a, b) => a - b) }));
}
