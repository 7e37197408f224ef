// message_locations as the email sync uses it: where each message sits on a server (account, folder,
// UIDVALIDITY, UID) with its flags; statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepRead, prepReadPluck, type ReadDB } from '../../stmt';

/** Store or refresh one location of a message (flags and modseq follow the server). */
export function upsertLocation(db: DB, accountId: number, folder: string, uidvalidity: number, uid: number, messageId: number, flags: string, modseq: number | null): void {
  prep(
    db,
    `INSERT INTO message_locations (account_id, folder, uidvalidity, uid, message_id, flags, modseq)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, folder, uidvalidity, uid) DO UPDATE SET flags = excluded.flags, modseq = excluded.modseq`,
  ).run(accountId, folder, uidvalidity, uid, messageId, flags, modseq);
}

/** Delete one location; the message it pointed to, or undefined when there was none. */
export function deleteLocation(db: DB, accountId: number, folder: string, uidvalidity: number, uid: number): number | undefined {
  const row = prep(db, 'DELETE FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ? RETURNING message_id').get(accountId, folder, uidvalidity, uid) as
    { message_id: number } | undefined;
  return row?.message_id;
}

export function messageHasLocation(db: ReadDB, messageId: number): boolean {
  return prepRead(db, 'SELECT 1 FROM message_locations WHERE message_id = ? LIMIT 1').get(messageId) !== undefined;
}

/** The account of one of a message's locations (the first found), if it has any. */
export function accountOfMessage(db: ReadDB, messageId: number): number | undefined {
  return prepReadPluck(db, 'SELECT account_id FROM message_locations WHERE message_id = ? LIMIT 1').get(messageId) as number | undefined;
}

/** Set a location's flags (and modseq when given); true when they changed. */
export function setLocationFlags(db: DB, accountId: number, folder: string, uidvalidity: number, uid: number, flags: string, modseq: number | null): boolean {
  return (
    prep(
      db,
      `UPDATE message_locations SET flags = ?, modseq = coalesce(?, modseq)
     WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ? AND flags != ?`,
    ).run(flags, modseq, accountId, folder, uidvalidity, uid, flags).changes > 0
  );
}

/** The stored UIDs of a folder up to `top`, newest first. */
export function storedUidsDesc(db: ReadDB, accountId: number, folder: string, uidvalidity: number, top: number): number[] {
  return prepReadPluck(db, 'SELECT uid FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid <= ? ORDER BY uid DESC').all(
    accountId,
    folder,
    uidvalidity,
    top,
  ) as number[];
}

/** The stored UIDs of a folder up to `top` (index order). */
export function storedUids(db: ReadDB, accountId: number, folder: string, uidvalidity: number, top: number): number[] {
  return prepReadPluck(db, 'SELECT uid FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid <= ?').all(accountId, folder, uidvalidity, top) as number[];
}

/** Every location of a folder. */
export function deleteFolderLocations(db: DB, accountId: number, folder: string): void {
  prep(db, 'DELETE FROM message_locations WHERE account_id = ? AND folder = ?').run(accountId, folder);
}
