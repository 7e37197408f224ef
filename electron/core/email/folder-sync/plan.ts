// The folder planner: what one pass over a folder does, decided from the stored cursor, what the
// server said at SELECT and the options. Pure (no server, no database, no clock of its own), so
// every branch is unit-tested (plan.test.ts); AccountSync.syncFolder (../sync.ts) runs the steps.
//
//   planSelect    SELECT with QRESYNC (uidValidity + changedSince) when the server has it and the
//                 cursor has state, so expunges and flag changes arrive during the SELECT
//   planPass      reset on a UIDVALIDITY change; first sync (discover the newest UID, then the
//                 backfill) or: new mail ascending, the messages not stored yet, flags (nothing
//                 after QRESYNC, SEARCH MODSEQ with CONDSTORE, else a scan), expunges, backfill
//   the helpers   which UIDs a search answer leaves for each step, batch sizes, flag scan ranges

import { EMPTY_CURSOR, type FolderCursor } from './types';

/** Without CONDSTORE: every pass reads the flags of the newest this many messages ... */
export const FLAGS_RECENT = 1000;
/** ... and of the whole folder at most this often (and on the first pass of a connection). */
export const FLAGS_SWEEP_MS = 10 * 60_000;
/** UIDs per FETCH of flags (imapflow reads a FETCH response's lines in one go: ~50 µs each). */
export const FLAGS_RANGE = 500;
/** Messages per batch (fetch, parse, store), and the first batch of a backfill (the newest mail, usable at once). */
export const BATCH_SIZE = 500;
export const FIRST_BATCH_SIZE = 100;
/** Soft cap on the bytes of one batch (three batches are in flight at most). */
export const BATCH_BYTES = 16 * 1024 * 1024;

/** What the connection offers (imapflow's `enabled` after login). */
export interface ServerCaps {
  qresync: boolean;
  condstore: boolean;
}

/** The folder as SELECT reported it. */
export interface MailboxState {
  uidValidity: number;
  uidNext: number | null;
  /** HIGHESTMODSEQ, null when the folder has none (NOMODSEQ or no CONDSTORE). */
  highestModseq: string | null;
  /** The server applied the QRESYNC parameters of the SELECT. */
  qresync: boolean;
}

export interface PlanOptions {
  batchSize?: number;
  firstBatchSize?: number;
  flagsRecent?: number;
  flagsSweepMs?: number;
  flagsRange?: number;
}

export interface BatchSizes {
  first: number;
  batch: number;
}

export type FlagsStep =
  /** CONDSTORE and the modseq moved: UID SEARCH MODSEQ `since`, then the flags of what changed, `range` UIDs per FETCH. */
  | { kind: 'flags'; how: 'modseq'; since: bigint; range: number }
  /** CONDSTORE and the modseq did not move: nothing changed. */
  | { kind: 'flags'; how: 'unchanged' }
  /** No CONDSTORE: read the newest `recent` messages' flags, the whole folder when a sweep is due (sweepDue). */
  | { kind: 'flags'; how: 'scan'; recent: number; sweepEveryMs: number; range: number };

export type Step =
  /** UIDVALIDITY changed: drop the folder's locations; the cursor starts over (then `discover`). */
  | { kind: 'reset'; cursor: FolderCursor }
  /** First sync: UID SEARCH ALL; the newest UID becomes top (discovered()). */
  | { kind: 'discover' }
  /** New mail, UID > top, ascending. */
  | { kind: 'new'; sizes: BatchSizes }
  /** The messages not stored yet (the cursor's retry list, and any that fail in this pass), ascending. */
  | { kind: 'retry'; sizes: BatchSizes }
  | FlagsStep
  /**
   * Compare UID SEARCH 1:top with the stored UIDs: `always`, or only when the server reported an
   * expunge without a UID. Like the flags, over UIDs 1..top when the step runs: nothing when top is 0.
   */
  | { kind: 'expunges'; always: boolean }
  /** Older UIDs than low, newest first, when the cursor's backfill is not done when the step runs. */
  | { kind: 'backfill'; sizes: BatchSizes };

export interface PassPlan {
  uidValidityReset: boolean;
  usedQresync: boolean;
  /** A first sync of the folder (or of its new UIDVALIDITY). */
  first: boolean;
  /** The cursor after the reset, if any (the one the steps start from). */
  cursor: FolderCursor;
  steps: Step[];
  /** The cursor's highestModseq once the pass completes. */
  highestModseq: string | null;
}

/** The QRESYNC parameters for the SELECT, or null for a plain SELECT. */
export function planSelect(cur: FolderCursor, caps: ServerCaps): { uidValidity: number; changedSince: string } | null {
  if (!caps.qresync || cur.uidValidity === null || cur.highestModseq === null || cur.top <= 0) return null;
  return { uidValidity: cur.uidValidity, changedSince: cur.highestModseq };
}

/** The steps of one pass over a folder, in order. */
export function planPass(stored: FolderCursor, mb: MailboxState, caps: ServerCaps, opts: PlanOptions = {}): PassPlan {
  const batch = opts.batchSize ?? BATCH_SIZE;
  const steps: Step[] = [];
  const usedQresync = planSelect(stored, caps) !== null && mb.qresync && Number(stored.uidValidity) === mb.uidValidity;
  let cur = stored;
  const uidValidityReset = cur.uidValidity !== null && cur.uidValidity !== mb.uidValidity;
  if (uidValidityReset) {
    // The old UIDs mean nothing now: the folder is synced again (messages are unique by
    // Message-ID, so the second copy only adds a location).
    cur = { ...EMPTY_CURSOR, uidValidity: mb.uidValidity };
    steps.push({ kind: 'reset', cursor: cur });
  }
  const first = cur.uidValidity === null || (cur.top === 0 && !cur.backfillDone);
  if (first) {
    steps.push({ kind: 'discover' });
  } else {
    steps.push({ kind: 'new', sizes: { first: batch, batch } });
    steps.push({ kind: 'retry', sizes: { first: batch, batch } });
    // Flags and expunges, unless the QRESYNC select already reported them.
    if (!usedQresync && !uidValidityReset) {
      if (caps.condstore && mb.highestModseq !== null && cur.highestModseq !== null) {
        steps.push(
          BigInt(mb.highestModseq) > BigInt(cur.highestModseq)
            ? { kind: 'flags', how: 'modseq', since: BigInt(cur.highestModseq) + 1n, range: opts.flagsRange ?? FLAGS_RANGE }
            : { kind: 'flags', how: 'unchanged' },
        );
      } else {
        steps.push({ kind: 'flags', how: 'scan', recent: opts.flagsRecent ?? FLAGS_RECENT, sweepEveryMs: opts.flagsSweepMs ?? FLAGS_SWEEP_MS, range: opts.flagsRange ?? FLAGS_RANGE });
      }
    }
    steps.push({ kind: 'expunges', always: !usedQresync && !uidValidityReset });
  }
  if (first || !cur.backfillDone) steps.push({ kind: 'backfill', sizes: { first: Math.min(batch, opts.firstBatchSize ?? FIRST_BATCH_SIZE), batch } });
  return { uidValidityReset, usedQresync, first, cursor: cur, steps, highestModseq: mb.highestModseq };
}

/** A first sync's cursor from UID SEARCH ALL: top is the newest UID (or UIDNEXT - 1 for an empty folder), the backfill starts below it. */
export function discovered(cur: FolderCursor, uidValidity: number, all: readonly number[], uidNext: number | null): FolderCursor {
  const top = all.length ? all.reduce((a, b) => (b > a ? b : a), all[0]!) : Math.max(0, Number(uidNext ?? 1) - 1);
  return { uidValidity, top, low: top + 1, backfillDone: all.length === 0, highestModseq: cur.highestModseq };
}

/** The UID SEARCH for new mail, and what of its answer is new (a server answers `n:*` with the last UID even when it is below n), ascending. */
export const newMailSearch = (cur: FolderCursor) => `${cur.top + 1}:*`;
export function newUids(found: readonly number[], cur: FolderCursor): number[] {
  return found.filter((u) => u > cur.top).sort((a, b) => a - b);
}

/** The UID SEARCH of the backfill (null: nothing older), and what of its answer is older, newest first. */
export function backfillSearch(cur: FolderCursor): string | null {
  return cur.low > 1 ? `1:${cur.low - 1}` : null;
}
export function backfillUids(found: readonly number[], cur: FolderCursor): number[] {
  return found.filter((u) => u < cur.low).sort((a, b) => b - a);
}

/** The cursor after a batch of new mail (ascending) or of the backfill (descending) is stored. */
export const afterNew = (cur: FolderCursor, part: readonly number[]): FolderCursor => ({ ...cur, top: Math.max(cur.top, part[part.length - 1]!) });
export const afterBackfill = (cur: FolderCursor, part: readonly number[]): FolderCursor => ({ ...cur, low: Math.min(cur.low, part[part.length - 1]!) });

/** The size of batch `index` of a run: the first one's or the others', fewer when the messages seen so far are big (never under 5). */
export function batchSize(index: number, sizes: BatchSizes, avgBytes: number): number {
  const size = index === 0 ? sizes.first : sizes.batch;
  return avgBytes > 0 ? Math.max(5, Math.min(size, Math.floor(BATCH_BYTES / avgBytes))) : size;
}

/** Without CONDSTORE: the whole folder's flags are read on a connection's first pass, then every `everyMs`. */
export function sweepDue(lastSweptAt: number | undefined, now: number, everyMs: number): boolean {
  return lastSweptAt === undefined || now - lastSweptAt >= everyMs;
}

/**
 * The FETCH ranges of a flag scan, from the newest down: the stored UIDs (newest first, at most
 * top), all of them or the newest `recent`, `range` UIDs per FETCH. Each range is bounded by
 * stored UIDs (the first by top): what the server has beyond them is new mail, fetched by the
 * pass, or expunged, found by the UID diff.
 */
export function flagScanRanges(storedDesc: readonly number[], top: number, whole: boolean, recent: number, range: number): string[] {
  const uids = whole ? storedDesc : storedDesc.slice(0, recent);
  const out: string[] = [];
  for (let i = 0; i < uids.length; i += range) {
    const hi = i === 0 ? top : uids[i]!;
    const lo = uids[Math.min(i + range, uids.length) - 1]!;
    out.push(`${lo}:${hi}`);
  }
  return out;
}

/** UIDs in groups of `size`, ascending (SEARCH MODSEQ's answer, a FETCH of flags per group). */
export function uidGroups(uids: readonly number[], size: number): number[][] {
  const sorted = [...uids].sort((a, b) => a - b);
  const out: number[][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size));
  return out;
}
