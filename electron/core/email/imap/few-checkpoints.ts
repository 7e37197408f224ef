// Few WAL checkpoints during a bulk sync (moved out of sync.ts, which uses it).

import type { CoreContext } from '../../context';
import { busyTimeout, setBusyTimeout, setWalAutocheckpoint, truncateWal, walAutocheckpoint, type CheckpointMode, type CheckpointResult } from '../../db/checkpoint';

/** WAL pages between automatic checkpoints while a bulk sync runs (256 MB with 4 KB pages). */
const BULK_WAL_PAGES = 65_536;
const bulkWriters = new WeakMap<CoreContext['db'], { count: number; saved: number }>();

/**
 * Run a long series of write transactions (a first sync, a backfill) with few WAL checkpoints.
 * A checkpoint syncs the database file to disk: with SQLite's default (every 1,000 pages, i.e.
 * every batch or two of a first sync) the main thread spent more time waiting for those writes
 * than storing (20,000 messages: 0.57 → 0.24 ms per message with this). The setting belongs to
 * this connection only and nothing of it persists: a crash loses no data (the WAL is the database
 * until it is checkpointed).
 *
 * At the end the WAL is copied into the database and emptied by `offThread` when given (the
 * parser worker's own connection: PASSIVE, which blocks no reader or writer here, then TRUNCATE),
 * so this thread stays free for the app. Done on this thread, the copy of a 20,000-message sync's
 * ~100 MB held the event loop for ~1 s. Without a worker this connection does it, as before.
 */
export async function withFewCheckpoints<T>(
  db: CoreContext['db'],
  fn: () => Promise<T>,
  opts: { offThread?: (mode: CheckpointMode) => Promise<CheckpointResult | null>; onCheckpoint?: (ms: number) => void } = {},
): Promise<T> {
  const state = bulkWriters.get(db);
  if (state) state.count++;
  else {
    const saved = walAutocheckpoint(db);
    bulkWriters.set(db, { count: 1, saved });
    if (saved > 0 && saved < BULK_WAL_PAGES) setWalAutocheckpoint(db, BULK_WAL_PAGES);
  }
  try {
    return await fn();
  } finally {
    const st = bulkWriters.get(db)!;
    if (--st.count === 0 && db.open) {
      const t = performance.now();
      let done = false;
      if (opts.offThread) {
        // Copy the WAL without holding anyone up, then empty it (quick once it is copied).
        const copied = await opts.offThread('PASSIVE').catch(() => null);
        const emptied = copied && copied.busy === 0 ? await opts.offThread('TRUNCATE').catch(() => null) : null;
        done = !!emptied && emptied.busy === 0;
      }
      // Another bulk writer may have started meanwhile: the last one to finish checkpoints.
      if (st.count === 0) {
        bulkWriters.delete(db);
        if (db.open) {
          const busy = busyTimeout(db);
          try {
            setWalAutocheckpoint(db, st.saved);
            // Without the worker: fold the WAL into the database here and give its space back,
            // without waiting for a reader in another process (busy_timeout 0): if one holds
            // the WAL, the next automatic checkpoint does it.
            if (!done) {
              setBusyTimeout(db, 0);
              truncateWal(db);
            }
            opts.onCheckpoint?.(performance.now() - t);
          } catch {
            // the database went away meanwhile, or the checkpoint was busy
          } finally {
            if (db.open) setBusyTimeout(db, busy);
          }
        }
      }
    } else if (st.count === 0) bulkWriters.delete(db);
  }
}
