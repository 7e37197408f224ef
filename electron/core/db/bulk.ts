// Grouped commits for a long import (many files per transaction). Bulk writes in progress (a first
// sync, a backfill) are told on the core bus (BulkWriteStarted / BulkWriteEnded, bus.ts), which
// linking follows.
import type { DB } from './open';

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

/** Roll the open group back (all of it: its files' savepoints with it). */
export function rollbackGroup(db: DB): void {
  if (db.inTransaction) db.exec('ROLLBACK');
}

/**
 * Keep SQLite's statement journals in memory during a bulk write; the returned function puts the
 * setting back. A write that may fail halfway (a table with triggers, several rows) first copies
 * each page it changes into a statement journal; once one statement's copies pass 64 KiB the
 * journal becomes a temporary file for the rest of the transaction, is never cut back, and takes a
 * system call per page: ~6 % of the X import's CPU (x.bench). In memory it is cut back after each
 * statement. SQLite takes the setting when a transaction begins: call this outside one.
 */
export function tempStoreInMemory(db: DB): () => void {
  const was = db.pragma('temp_store', { simple: true }) as number;
  if (was === 2 || db.inTransaction) return () => {};
  db.pragma('temp_store = MEMORY');
  return () => {
    if (!db.inTransaction) db.pragma(`temp_store = ${was}`);
  };
}
