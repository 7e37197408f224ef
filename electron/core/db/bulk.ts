// Bulk writes in progress per database (a first sync or a backfill: thousands of messages a
// second). Work that follows new rows a batch at a time, the linking refresh, waits for them to
// end and then does it once: run during a first sync it re-read the same customers' mail every
// half second and cost more than the sync itself.
import type { DB } from './open';

const active = new WeakMap<DB, number>();

/** Mark a bulk write as running until the returned function is called. */
export function beginBulkWrite(db: DB): () => void {
  active.set(db, (active.get(db) ?? 0) + 1);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    const n = (active.get(db) ?? 1) - 1;
    if (n > 0) active.set(db, n);
    else active.delete(db);
  };
}

export function bulkWriteActive(db: DB): boolean {
  return (active.get(db) ?? 0) > 0;
}

/**
 * An explicit transaction a long import commits in groups (many files per commit, each file its
 * own savepoint inside through db.transaction): begin one when none is open, commit the open one.
 */
export function beginGroup(db: DB): void {
  if (!db.inTransaction) db.exec('BEGIN');
}

export function commitGroup(db: DB): void {
  if (db.inTransaction) db.exec('COMMIT');
}
