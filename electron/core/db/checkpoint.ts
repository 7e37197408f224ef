// A WAL checkpoint run from a connection of its own, so that the thread that owns the app's
// connection does not wait for it. Used after a bulk write (a first sync) from the parser worker.
import Database from 'better-sqlite3';

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
