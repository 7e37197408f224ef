// What the X file import reads besides the normalizer (x/importer.ts): the business's X identity
// and the X account of a user id. Read-only; statements prepared once per database.
import type { ReadDB } from '../../open';
import { prepRead } from '../../stmt';

/** The business's first X identity (is_self), if any. */
export function selfXIdentity(db: ReadDB): { x_user_id: string; handle: string | null; display_name: string } | undefined {
  return prepRead(db, "SELECT x_user_id, handle, display_name FROM identities WHERE kind = 'x' AND is_self = 1 ORDER BY id LIMIT 1").get() as
    { x_user_id: string; handle: string | null; display_name: string } | undefined;
}

/** The first X account of this X user. */
export function xAccountOfUser(db: ReadDB, xUserId: string): number | undefined {
  return (prepRead(db, "SELECT id FROM accounts WHERE channel = 'x' AND x_user_id = ? ORDER BY id LIMIT 1").get(xUserId) as { id: number } | undefined)?.id;
}

/** Rows written on this connection since it opened (SQLite's total_changes()): whether a failed file wrote anything. */
export function totalChanges(db: ReadDB): number {
  return (prepRead(db, 'SELECT total_changes() AS n').get() as { n: number }).n;
}
