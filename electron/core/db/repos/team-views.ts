// Team mode's read side (migration 0350, electron/core/team/views.ts): the teammates the log names,
// and what the log holds for one local conversation (its shared keys, their events, fields and lost writes).
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

/** The events of these keys, oldest first (one device's events of the same ms in their order; at most `limit`, the newest kept). */
export function eventsOfTargets(db: ReadDB, targets: string[], limit = 500): TeamEventRow[] {
  if (!targets.length) return [];
  return prepRead(db, `SELECT * FROM (SELECT * FROM team_events WHERE target IN (SELECT value FROM json_each(@t)) ORDER BY at DESC, device DESC, seq DESC LIMIT @limit) ORDER BY at, device, seq`).all({
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
