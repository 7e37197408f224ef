// The email sync's writes to a folder's locations (message_locations) outside the ingest path:
// flags, expunges, a UIDVALIDITY reset, and the stored UIDs a pass compares with the server's.

import type { CoreContext } from '../../context';
import { refreshConversation } from '../../db/repos/conversations';
import { prep, prepPluck } from '../../db/stmt';
import { storedFlags } from '../imap/uids';

/**
 * Remove one location; a message left with no location on any server is gone from the mailbox and
 * is removed too (its conversation is refreshed, or removed when empty).
 */
export function forgetLocation(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, uid: number): boolean {
  const db = ctx.db;
  const row = db
    .prepare('DELETE FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ? RETURNING message_id')
    .get(accountId, folder, uidvalidity, uid) as { message_id: number } | undefined;
  if (!row) return false;
  const left = db.prepare('SELECT 1 FROM message_locations WHERE message_id = ? LIMIT 1').get(row.message_id);
  if (!left) {
    const m = db.prepare('DELETE FROM messages WHERE id = ? RETURNING conversation_id').get(row.message_id) as { conversation_id: number } | undefined;
    if (m) {
      const n = db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?').get(m.conversation_id) as { n: number };
      if (n.n === 0) db.prepare('DELETE FROM conversations WHERE id = ?').run(m.conversation_id);
      else refreshConversation(db, m.conversation_id);
      ctx.events.emit('conversations.changed', { ids: [m.conversation_id] });
    }
  }
  return true;
}

export function setFlags(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, uid: number, flags: Set<string> | string[], modseq?: bigint | number | null): boolean {
  const list = JSON.stringify(storedFlags(flags));
  const r = prep(
    ctx.db,
    `UPDATE message_locations SET flags = ?, modseq = coalesce(?, modseq)
     WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ? AND flags != ?`,
  ).run(list, modseq == null ? null : Number(modseq), accountId, folder, uidvalidity, uid, list);
  return r.changes > 0;
}

/** The stored UIDs of a folder up to `top`, newest first. */
export function storedUidsDesc(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, top: number): number[] {
  return prepPluck(ctx.db, 'SELECT uid FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid <= ? ORDER BY uid DESC').all(
    accountId,
    folder,
    uidvalidity,
    top,
  ) as number[];
}

/** The stored UIDs of a folder up to `top` (index order). */
export function storedUids(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, top: number): number[] {
  return prepPluck(ctx.db, 'SELECT uid FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid <= ?').all(accountId, folder, uidvalidity, top) as number[];
}

/** Every location of a folder (its UIDVALIDITY changed: the old UIDs mean nothing now). */
export function dropFolderLocations(ctx: CoreContext, accountId: number, folder: string): void {
  prep(ctx.db, 'DELETE FROM message_locations WHERE account_id = ? AND folder = ?').run(accountId, folder);
}
