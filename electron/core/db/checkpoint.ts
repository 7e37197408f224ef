// A WAL checkpoint run from a connection of its own, so that the thread that owns the app's
// connection does not wait for it. Used after a bulk write (a first sync) from the parser worker.
import Database from 'better-sqlite3';
import type { DB } from './open';

export interface CheckpointResult {
  /** 1 when the checkpoint could not finish (a writer or a reader held it up), else 0. */
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Frames copied into the database file. */
  checkpointed: number;
  ms: number;
}

export type CheckpointMode = 'PASSIVE' | 'TRUNCATE';

/**
 * Copy the WAL into the database file and sync it to disk. PASSIVE neither waits for nor blocks
 * any reader or writer of another connection; the next write then starts the WAL over. TRUNCATE
 * (after a PASSIVE one, at the end of a bulk write) also empties the WAL file: it waits up to a
 * second for other connections' transactions, and holds theirs back while it truncates.
 */
export function checkpointFile(file: string, mode: CheckpointMode, nativeBinding?: string): CheckpointResult {
  const t = performance.now();
  const db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma('busy_timeout = 1000');
    const [r] = db.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[];
    return { busy: r?.busy ?? 1, log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0, ms: performance.now() - t };
  } finally {
    db.close();
  }
}

// The WAL settings of the app's own connection, for the bulk-write policy (email/imap/few-checkpoints.ts).

/** WAL pages between this connection's automatic checkpoints (0: none). */
export function walAutocheckpoint(db: DB): number {
  return db.pragma('wal_autocheckpoint', { simple: true }) as number;
}

export function setWalAutocheckpoint(db: DB, pages: number): void {
  db.pragma(`wal_autocheckpoint = ${Math.trunc(pages)}`);
}

/** How long (ms) this connection waits for a lock held by another one. */
export function busyTimeout(db: DB): number {
  return db.pragma('busy_timeout', { simple: true }) as number;
}

export function setBusyTimeout(db: DB, ms: number): void {
  db.pragma(`busy_timeout = ${Math.trunc(ms)}`);
}

/** Fold the WAL into the database file and empty it, from this connection. */
export function truncateWal(db: DB): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}
