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
