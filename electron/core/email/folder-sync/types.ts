// The email sync's shared shapes: a folder's cursor, a pass's result and progress, the options.
import type { EmailFolderPassView } from '../../../../shared/contract/runs';

export interface FolderCursor {
  uidValidity: number | null;
  top: number;
  low: number;
  backfillDone: boolean;
  highestModseq: string | null;
  /** UIDs in [low, top] that could not be stored (see FolderPipeline.notStored): fetched again every pass. */
  retry?: number[];
}

export const EMPTY_CURSOR: FolderCursor = { uidValidity: null, top: 0, low: 0, backfillDone: false, highestModseq: null };

/** The sync_state scope of a folder's cursor. */
export const scopeOf = (folder: string) => `imap:${folder}`;

export interface SyncProgress {
  accountId: number;
  folder: string;
  phase: 'new' | 'backfill' | 'flags' | 'done';
  done: number;
  total: number;
  /** Messages per second in this folder pass. */
  rate: number;
}

/** One folder's pass: the contract's view of it (shared/contract/runs.ts), so the two never drift. */
export type FolderResult = EmailFolderPassView;

export function emptyResult(folder: string, errors: string[] = []): FolderResult {
  return { folder, fetched: 0, stored: 0, flagsUpdated: 0, flagsRead: 0, expunged: 0, uidValidityReset: false, usedQresync: false, ms: 0, errors, notStored: 0 };
}

export interface SyncOptions {
  /** Messages per fetch + transaction. */
  batchSize?: number;
  /** Size of the very first batch of a folder (newest mail), smaller so it is usable at once. */
  firstBatchSize?: number;
  onProgress?: (p: SyncProgress) => void;
  /** Only these folders (default: INBOX, Sent and the account's picks). */
  folders?: string[];
  /** Messages stored between two WAL copies by the parser worker during a bulk sync (default 2,000). */
  walCopyEvery?: number;
  /** Without CONDSTORE: how often a folder's flags are read whole (default 10 minutes; the newest are read every pass). */
  flagsSweepMs?: number;
  /** Without CONDSTORE: how many of the newest messages' flags every pass reads (default 1,000). */
  flagsRecent?: number;
  /** UIDs per FETCH of flags (default 500). */
  flagsRange?: number;
  signal?: AbortSignal;
}

/** Where the time of a sync went (ms): fetch wall time, waiting for the parser after a batch arrived, storing (main thread), the WAL checkpoint after a bulk sync. */
export interface SyncTimings {
  fetchMs: number;
  parseMs: number;
  storeMs: number;
  checkpointMs: number;
  storeSlices: number;
}
