// Team mode's status keywords kept across restarts (migration 0393, electron/core/team/keywords.ts):
// the conversations whose keywords are still owed to the server, and per folder how far this copy has
// read keyword changes made by others (HIGHESTMODSEQ, and UIDNEXT then).
import type { DB } from '../open';
import { prep, prepRead, type ReadDB } from '../stmt';

export interface OwedRow {
  id: number;
  since: number;
}

/** These conversations' keywords are owed (again): `since` moves on even within one ms, so an older write clears nothing newer. Unknown ids are skipped. */
export function oweKeywords(db: DB, ids: Iterable<number>, now: number): void {
  const list = [...new Set(ids)];
  if (!list.length) return;
  prep(
    db,
    `INSERT INTO team_keywords_owed (conversation_id, since)
       SELECT c.id, @now FROM conversations c WHERE c.id IN (SELECT value FROM json_each(@ids))
     ON CONFLICT (conversation_id) DO UPDATE SET since = max(excluded.since, team_keywords_owed.since + 1)`,
  ).run({ ids: JSON.stringify(list), now });
}

/** The conversations whose keywords are owed, oldest first. */
export function owedKeywords(db: ReadDB, limit = 5000): OwedRow[] {
  return prepRead(db, 'SELECT conversation_id AS id, since FROM team_keywords_owed ORDER BY since, conversation_id LIMIT ?').all(limit) as OwedRow[];
}

export function isOwed(db: ReadDB, id: number): boolean {
  return prepRead(db, 'SELECT 1 FROM team_keywords_owed WHERE conversation_id = ?').get(id) !== undefined;
}

/** Written: each row is cleared unless it was owed again since it was read. */
export function clearOwed(db: DB, rows: OwedRow[]): void {
  const del = prep(db, 'DELETE FROM team_keywords_owed WHERE conversation_id = ? AND since = ?');
  db.transaction(() => {
    for (const r of rows) del.run(r.id, r.since);
  })();
}

export interface KeywordCursor {
  uidvalidity: number;
  /** HIGHESTMODSEQ read up to (decimal: a modseq is a 63-bit number). */
  modseq: string;
  /** UIDNEXT when it was read: UIDs from here on are new mail, not status changes. */
  uidnext: number;
}

export function getKeywordCursor(db: ReadDB, accountId: number, folder: string): KeywordCursor | null {
  return (prepRead(db, 'SELECT uidvalidity, modseq, uidnext FROM team_keyword_cursor WHERE account_id = ? AND folder = ?').get(accountId, folder) as KeywordCursor | undefined) ?? null;
}

export function setKeywordCursor(db: DB, accountId: number, folder: string, c: KeywordCursor, now: number): void {
  prep(
    db,
    `INSERT INTO team_keyword_cursor (account_id, folder, uidvalidity, modseq, uidnext, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, modseq = excluded.modseq, uidnext = excluded.uidnext, updated_at = excluded.updated_at`,
  ).run(accountId, folder, c.uidvalidity, c.modseq, c.uidnext, now);
}

/** The folders of an account that hold synced messages (one index seek per folder). */
export function foldersWithMessages(db: ReadDB, accountId: number): string[] {
  return (
    prepRead(
      db,
      `WITH RECURSIVE f(folder) AS (
         SELECT min(folder) FROM message_locations WHERE account_id = @a
         UNION ALL SELECT (SELECT min(folder) FROM message_locations WHERE account_id = @a AND folder > f.folder) FROM f WHERE f.folder IS NOT NULL)
       SELECT folder FROM f WHERE folder IS NOT NULL`,
    ).all({ a: accountId }) as { folder: string }[]
  ).map((r) => r.folder);
}

/** The conversations of these UIDs of a folder (UIDs not synced here are left out). */
export function conversationsOfUids(db: ReadDB, accountId: number, folder: string, uidvalidity: number, uids: number[]): { uid: number; conversation_id: number }[] {
  if (!uids.length) return [];
  return prepRead(
    db,
    `SELECT l.uid, m.conversation_id FROM message_locations l JOIN messages m ON m.id = l.message_id
     WHERE l.account_id = @a AND l.folder = @f AND l.uidvalidity = @v AND l.uid IN (SELECT value FROM json_each(@u)) AND m.conversation_id IS NOT NULL`,
  ).all({ a: accountId, f: folder, v: uidvalidity, u: JSON.stringify(uids) }) as { uid: number; conversation_id: number }[];
}

/** The status the log holds for these keys (the winning write among them) and when this copy stored its event (its own clock); null: none. */
export function statusWinner(db: ReadDB, targets: string[]): { value: string; storedAt: number } | null {
  if (!targets.length) return null;
  return (
    (prepRead(
      db,
      `SELECT f.value, e.created_at AS storedAt FROM team_fields f JOIN team_events e ON e.id = f.event_id
       WHERE f.target IN (SELECT value FROM json_each(@t)) AND f.field = 'status' ORDER BY f.at DESC, f.author DESC, f.event_id DESC LIMIT 1`,
    ).get({ t: JSON.stringify(targets) }) as { value: string; storedAt: number } | undefined) ?? null
  );
}
