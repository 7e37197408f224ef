// The IMAP sync engine (imapflow), per account and folder.
//
// Cursor per folder (sync_state scope "imap:<folder>", written in the SAME transaction as the
// messages it covers, so a crash or a dropped connection resumes exactly where it stopped):
//   uidValidity    the folder's UIDVALIDITY the cursor belongs to
//   top            every server UID in [low, top] is stored (or in retry); newer mail is UID > top
//   low            the backfill has reached down to this UID
//   backfillDone   the folder's history is complete
//   highestModseq  CONDSTORE state of the last completed pass (flags/expunges up to it applied)
//   retry          UIDs in [low, top] the store refused: fetched again every pass until stored or
//                  gone from the server, and shown as the folder's last error meanwhile
//
// One pass over a folder:
//   1. SELECT — with QRESYNC (uidValidity + changedSince) when the server offers it and we have
//      state: expunges (VANISHED EARLIER) and flag changes arrive as events during the SELECT.
//   2. UIDVALIDITY changed → the folder's locations are dropped and it is synced again; messages
//      are unique by Message-ID, so the second copy only adds a location (no duplicates).
//   3. First sync: UID SEARCH ALL, top = newest UID; new mail (UID > top) is fetched ascending.
//   4. Flags and expunges when QRESYNC did not do it: UID SEARCH MODSEQ for what changed, then
//      its flags (CONDSTORE), or without CONDSTORE the newest 1,000 messages' flags every pass and
//      the whole folder's every 10 minutes (scanFlags), 500 UIDs per FETCH either way; expunges
//      by comparing UID SEARCH with the stored UIDs.
//   5. Backfill: older UIDs, newest first, in batches, so recent mail is usable within seconds.
//   Every batch: fetch sources (a batch of 200+ on a worker's own read-only connection, see
//   imap/bulk-fetch.ts) → parse (postal-mime, on the parser worker) → store in slices of ~12 ms,
//   each one transaction with its messages, their locations (unique by account, folder,
//   UIDVALIDITY, UID) and the cursor over the part of the batch it completes. During a bulk sync
//   the parser worker copies the WAL into the database (db/checkpoint.ts) and linking waits for
//   the end (db/bulk.ts): the main thread, shared with the window, is never held for long.
//
// Live mode (EmailWatcher): after a pass, IDLE on INBOX (imapflow falls back to NOOP polling when
// the server has no IDLE); new mail, flag changes and expunges are applied as they arrive; every
// folder is re-polled every `pollMs`; a dropped connection reconnects with exponential backoff.

import type { FetchMessageObject, ImapFlow, MailboxObject, MailboxOpenOptions } from 'imapflow';
import type { CoreContext } from '../context';
import { beginBulkWrite } from '../db/bulk';
import type { CheckpointMode, CheckpointResult } from '../db/checkpoint';
import { withFewCheckpoints } from './imap/few-checkpoints';
import { getSyncCursor, setSyncState, updateAccount, type AccountRecord } from '../db/repos/accounts';
import { refreshConversation } from '../db/repos/conversations';
import { prep, prepPluck } from '../db/stmt';
import { accountCredentials } from './accounts';
import { selfAddresses, type EmailAccountConfig } from './imap/config';
import { BulkFetchError, fetchSources, type FetchedSource } from './imap/bulk-fetch';
import { connectImap, MailConnectError } from './imap/connect';
import { foldersToSync } from './imap/folders';
import { expandUidSet, storedFlags, uidSet } from './imap/uids';
import { emitIngestChanges, storeParsedBatch, type BatchResult, type IngestOptions, type PreparedItem } from './ingest';
import type { ParsedEmail } from './parse';
import { createParser, inProcessParser, type Parser } from './parse-pool';
import { learnDuringSync } from './self-repair';
import { activeAccountAddresses } from '../db/repos/account-addresses';
import { retryLoop, type RetryAttempt } from '../retry';

export interface FolderCursor {
  uidValidity: number | null;
  top: number;
  low: number;
  backfillDone: boolean;
  highestModseq: string | null;
  /** UIDs in [low, top] that could not be stored (see AccountSync.notStored): fetched again every pass. */
  retry?: number[];
}

const EMPTY: FolderCursor = { uidValidity: null, top: 0, low: 0, backfillDone: false, highestModseq: null };

export interface SyncProgress {
  accountId: number;
  folder: string;
  phase: 'new' | 'backfill' | 'flags' | 'done';
  done: number;
  total: number;
  /** Messages per second in this folder pass. */
  rate: number;
}

export interface FolderResult {
  folder: string;
  fetched: number;
  stored: number;
  flagsUpdated: number;
  /** Flag lines read from the server (all of them without CONDSTORE, the changed ones with it). */
  flagsRead: number;
  expunged: number;
  uidValidityReset: boolean;
  usedQresync: boolean;
  ms: number;
  errors: string[];
  /** Messages of the folder not stored yet (they failed this pass or before): retried every pass, shown as the folder's error. */
  notStored: number;
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

export const scopeOf = (folder: string) => `imap:${folder}`;

/** Soft cap on the bytes of one batch (three batches are in flight at most). */
const BATCH_BYTES = 16 * 1024 * 1024;
/** Messages stored between two WAL copies by the worker during a bulk sync (~30 MB of WAL). */
const WAL_COPY_EVERY = 2000;
/** Batches at least this big are fetched on the worker's own connection (a smaller one is not worth its login). */
const BULK_FETCH_MIN = 200;
/** Time one store transaction should take at most, so the event loop is never held much longer. */
const STORE_SLICE_MS = 12;
/** Messages handed to the parser at a time while a batch is still arriving. */
const PARSE_GROUP = 25;
/** Flag lines applied per transaction, the event loop running between two. */
const FLAGS_CHUNK = 500;
/** UIDs per FETCH of flags (imapflow reads a FETCH response's lines in one go: ~50 µs each). */
const FLAGS_RANGE = 500;
/** Without CONDSTORE: every pass reads the flags of the newest this many messages ... */
const FLAGS_RECENT = 1000;
/** ... and of the whole folder at most this often (and on the first pass of a connection). */
const FLAGS_SWEEP_MS = 10 * 60_000;

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

function setFlags(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, uid: number, flags: Set<string> | string[], modseq?: bigint | number | null): boolean {
  const list = JSON.stringify(storedFlags(flags));
  const r = prep(
    ctx.db,
    `UPDATE message_locations SET flags = ?, modseq = coalesce(?, modseq)
     WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid = ? AND flags != ?`,
  ).run(list, modseq == null ? null : Number(modseq), accountId, folder, uidvalidity, uid, list);
  return r.changes > 0;
}

/** UIDs of one folder to fetch, parse and store in batches, and what to do as each batch lands. */
interface BatchPlan {
  folder: string;
  uidvalidity: number;
  /** In the order they are to be stored. */
  uids: number[];
  /** The first batch's size (small, so the newest mail shows at once) and the others'. */
  sizes: { first: number; batch: number };
  /** The cursor after a batch is stored: committed in the same transaction as its messages. */
  advance: (part: number[]) => () => FolderCursor;
  onDone: (part: number[], r: { fetched: number; stored: number; errors: string[] }) => void;
}

/** The sync of one account over one connection. */
export class AccountSync {
  /** UIDVALIDITY per folder as known to the cursor: events are applied against it. */
  private readonly validity = new Map<string, number>();
  /** Folders where an expunge without UID was seen (no QRESYNC): they need a UID diff. */
  private readonly needExpungeScan = new Set<string>();
  /** Without CONDSTORE: when each folder's flags were last read whole (see FLAGS_SWEEP_MS). */
  private readonly flagsSweptAt = new Map<string, number>();
  private counters = { flags: 0, expunged: 0, flagsRead: 0 };
  /** Where the time of this sync went (ms): fetch wall time, waiting for the parser after a batch arrived, storing (main thread), the WAL checkpoint after a bulk sync. */
  readonly timings = { fetchMs: 0, parseMs: 0, storeMs: 0, checkpointMs: 0, storeSlices: 0 };
  /** Batches fetched on the worker's own connection; why it could not connect, once it could not. */
  bulkFetches = 0;
  bulkRefused: string | null = null;
  /** Messages stored since the worker last copied the WAL (see runBatchesNow). */
  private sinceWalCopy = 0;

  /**
   * Per folder, the UIDs that could not be stored: kept in the cursor (written in the same
   * transaction as the batch they failed in), fetched again every pass until they are stored or
   * gone from the server, and shown as the folder's error meanwhile. Never skipped for good.
   */
  private readonly notStored = new Map<string, Set<number>>();

  /** Measured store time per message (ms, moving average), to size the store slices. */
  private msPerStore = 0.25;
  /** Bytes and count of messages fetched, to size the next batches. */
  private readonly seen = { bytes: 0, count: 0 };
  readonly self: string[];
  /** The account's own addresses are still unknown: learn them as mail is stored (learnSelf). */
  private learning: boolean;

  constructor(
    private readonly ctx: CoreContext,
    readonly account: AccountRecord<EmailAccountConfig>,
    readonly client: ImapFlow,
    private readonly opts: SyncOptions = {},
    /** Where messages are parsed (a worker thread when available); in-process when not given. */
    private readonly parser?: Parser,
    /** The account's secret, for the fetch worker's own connection; held in memory only. */
    private readonly secret?: string,
  ) {
    this.self = selfAddresses(account.address, account.config);
    this.learning = activeAccountAddresses(ctx.db, account.id).length === 0;
    client.on('flags', (e: { path: string; uid?: number; flags: Set<string>; modseq?: bigint }) => {
      const v = this.validity.get(e.path);
      if (v === undefined || !e.uid) return;
      // Stored in one transaction per burst ("mark all as read" elsewhere sends a line per message).
      this.flagEvents.push({ folder: e.path, validity: v, uid: e.uid, flags: e.flags, modseq: e.modseq });
      if (this.flagEvents.length >= FLAGS_CHUNK) this.storeFlagEvents();
      else if (this.flagEvents.length === 1) setImmediate(() => this.storeFlagEvents());
    });
    client.on('expunge', (e: { path: string; uid?: number; seq?: number }) => {
      const v = this.validity.get(e.path);
      if (v === undefined) return;
      if (e.uid) {
        if (forgetLocation(ctx, account.id, e.path, v, e.uid)) this.counters.expunged++;
      } else this.needExpungeScan.add(e.path);
    });
  }

  /** Flag changes the server reported on its own, stored a burst at a time (storeFlagEvents). */
  private flagEvents: { folder: string; validity: number; uid: number; flags: Set<string>; modseq?: bigint }[] = [];

  private storeFlagEvents(): void {
    const events = this.flagEvents;
    if (!events.length || !this.ctx.db.open) return;
    this.flagEvents = [];
    this.ctx.db.transaction(() => {
      for (const e of events) if (setFlags(this.ctx, this.account.id, e.folder, e.validity, e.uid, e.flags, e.modseq)) this.counters.flags++;
    })();
  }

  private cursor(folder: string): FolderCursor {
    return { ...EMPTY, ...getSyncCursor<Partial<FolderCursor>>(this.ctx.db, this.account.id, scopeOf(folder), {}) };
  }

  private saveCursor(folder: string, cur: FolderCursor, extra: { status?: string; progress?: unknown; lastError?: string | null } = {}): void {
    const retry = [...(this.notStored.get(folder) ?? [])].sort((a, b) => a - b);
    setSyncState(this.ctx.db, this.account.id, scopeOf(folder), { cursor: { ...cur, retry }, ...extra, now: this.ctx.now() });
  }

  /**
   * A server without CONDSTORE cannot say which flags changed: read them. The newest FLAGS_RECENT
   * messages (where "answered" and "seen" change) every pass; the whole folder on a connection's
   * first pass and then every FLAGS_SWEEP_MS, FLAGS_RANGE UIDs per FETCH.
   */
  private async scanFlags(folder: string, validity: number, top: number): Promise<number> {
    const accountId = this.account.id;
    const now = this.ctx.now();
    const last = this.flagsSweptAt.get(folder);
    const sweepMs = this.opts.flagsSweepMs ?? FLAGS_SWEEP_MS;
    const local = prepPluck(this.ctx.db, 'SELECT uid FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid <= ? ORDER BY uid DESC')
      .all(accountId, folder, validity, top) as number[];
    if (!local.length) return 0;
    const whole = last === undefined || now - last >= sweepMs;
    const uids = whole ? local : local.slice(0, this.opts.flagsRecent ?? FLAGS_RECENT);
    let changed = 0;
    // Ranges from the newest down, each bounded by local UIDs (what the server has beyond them is
    // new mail, fetched above, or expunged, found by the UID diff).
    const range = this.opts.flagsRange ?? FLAGS_RANGE;
    for (let i = 0; i < uids.length; i += range) {
      const hi = i === 0 ? top : uids[i]!;
      const lo = uids[Math.min(i + range, uids.length) - 1]!;
      changed += await this.readFlags(folder, validity, `${lo}:${hi}`, top);
    }
    if (whole) this.flagsSweptAt.set(folder, now);
    return changed;
  }

  /**
   * FETCH the flags of a UID set and store what differs, FLAGS_CHUNK lines per transaction with the
   * event loop running between two.
   */
  private async readFlags(folder: string, validity: number, range: string, top: number): Promise<number> {
    const accountId = this.account.id;
    let changed = 0;
    let pending: FetchMessageObject[] = [];
    const flush = () => {
      const lines = pending;
      pending = [];
      this.ctx.db.transaction(() => {
        for (const m of lines) if (setFlags(this.ctx, accountId, folder, validity, m.uid, m.flags ?? new Set(), m.modseq)) changed++;
      })();
    };
    for await (const m of this.client.fetch(range, { uid: true, flags: true }, { uid: true }) as AsyncIterable<FetchMessageObject>) {
      if (m.uid > top) continue;
      this.counters.flagsRead++;
      pending.push(m);
      if (pending.length >= FLAGS_CHUNK) {
        flush();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    flush();
    if (!this.client.usable) throw new MailConnectError('network', `The connection to the IMAP server closed while reading flags in ${folder}.`, 'imap');
    return changed;
  }

  /** UID SEARCH; imapflow answers `false` when the command failed, which must not read as "no messages". */
  private async uidSearch(query: Record<string, unknown>, opts: { uid: true }): Promise<number[]> {
    // ESEARCH (RFC 4731) answers with a compact set ("1:20000") where plain SEARCH lists every
    // UID: on a big folder imapflow spent ~150 ms of this thread reading that list. imapflow
    // falls back to plain SEARCH on a server without ESEARCH.
    const r = await this.client.search(query, { ...opts, returnOptions: ['ALL'] });
    if (Array.isArray(r)) return r;
    if (r && typeof r === 'object') return expandUidSet(r.all ?? '');
    if (!this.client.usable) throw new MailConnectError('network', 'The connection to the IMAP server closed during a search.', 'imap');
    throw new Error(`UID SEARCH ${JSON.stringify(query)} failed on ${this.client.mailbox ? this.client.mailbox.path : 'no selected folder'}`);
  }

  private checkAbort(): void {
    if (this.opts.signal?.aborted) throw new Error('sync cancelled');
  }

  /**
   * Fetch the sources of the given UIDs (one batch): a big batch on the worker's own connection
   * (imap/bulk-fetch.ts), so that imapflow's reading of the responses does not hold this thread;
   * a small one on this connection. Either way the sources go to the parser as they arrive.
   */
  private async fetchItems(folder: string, uidvalidity: number, uids: number[]): Promise<{ items: { raw: Uint8Array; opts: IngestOptions }[]; parsed: Promise<ParsedEmail[]> }> {
    const items: { raw: Uint8Array; opts: IngestOptions }[] = [];
    // Messages go to the parser in small groups as they arrive, so the worker parses while the
    // rest of the batch is still coming in (and while the main thread stores the previous batch).
    const groups: Promise<ParsedEmail[]>[] = [];
    const parser = this.parser ?? inProcessParser;
    let sent = 0;
    const dispatch = () => {
      const group = items.slice(sent);
      sent = items.length;
      if (!group.length) return;
      const now = this.ctx.now();
      groups.push(
        parser.parseMany(
          group.map((g) => g.raw),
          group.map((g) => ({ receivedAt: g.opts.receivedAt, now })),
        ),
      );
    };
    const add = (m: FetchedSource) => {
      this.seen.bytes += m.raw.length;
      this.seen.count++;
      items.push({
        raw: m.raw,
        opts: { receivedAt: m.internalDate ?? undefined, location: { folder, uidvalidity, uid: m.uid, flags: m.flags, modseq: m.modseq } },
      });
      if (items.length - sent >= PARSE_GROUP) dispatch();
    };
    const t0 = performance.now();
    let bulk = !!parser.fetchSources && parser.mode === 'worker' && !!this.secret && !this.bulkRefused && uids.length >= BULK_FETCH_MIN;
    if (bulk) {
      try {
        await parser.fetchSources!({ config: this.account.config, secret: this.secret!, folder, uidValidity: uidvalidity, uids, group: PARSE_GROUP }, (group) => group.forEach(add));
        this.bulkFetches++;
      } catch (e) {
        if (!(e instanceof BulkFetchError)) throw e;
        if (e.connect && !items.length) {
          // The worker could not open a second connection (a server that allows one per user, a
          // worker that did not start): this connection fetches, from now on.
          this.bulkRefused = e.message;
          bulk = false;
        } else if (e.network) {
          // Its connection dropped: retried like a drop of this one.
          throw new MailConnectError('network', e.message, 'imap');
        } else throw e;
      }
    }
    if (!bulk) for await (const m of fetchSources(this.client, uids)) add(m);
    dispatch();
    this.timings.fetchMs += performance.now() - t0;
    const parsed = Promise.all(groups).then((g) => g.flat());
    parsed.catch(() => undefined); // awaited by the caller
    if (!this.client.usable) throw new MailConnectError('network', `The connection to the IMAP server closed while fetching from ${folder}.`, 'imap');
    return { items, parsed };
  }


  /**
   * Store one parsed batch in slices of ~STORE_SLICE_MS each, letting the event loop run between
   * them: the app's requests (the core shares the main process with the window's IPC) wait for
   * one slice at most, not for a whole batch. Each slice's transaction moves the cursor over the
   * part of the batch it completes (`advance` of a prefix of `part`, which is in cursor order:
   * ascending for new mail, descending for the backfill), so a crash between slices resumes
   * exactly after the last stored slice.
   */
  private async storePrepared(
    folder: string,
    part: readonly number[],
    prepared: PreparedItem[],
    advance: (part: number[]) => () => FolderCursor,
  ): Promise<{ fetched: number; stored: number; errors: string[] }> {
    const errors: string[] = [];
    let stored = 0;
    const at = new Map(part.map((u, i) => [u, i]));
    const pos = (p: PreparedItem) => at.get(p.opts.location?.uid ?? -1) ?? part.length;
    // The server answers a FETCH in its own order (ascending UIDs): store in the cursor's order.
    const ordered = [...prepared].sort((a, b) => pos(a) - pos(b));
    const all: BatchResult[] = [];
    try {
      for (let i = 0; i < ordered.length || (i === 0 && part.length); ) {
        // At least 20 a slice: a transaction has its fixed costs (the FTS flush, the conversations' aggregates).
        const n = Math.min(ordered.length - i, Math.max(20, Math.round(STORE_SLICE_MS / this.msPerStore)));
        const slice = ordered.slice(i, i + n);
        i += n;
        const last = i >= ordered.length;
        // The last slice covers the whole part (UIDs that vanished before the fetch included).
        const covered = last ? [...part] : part.slice(0, pos(slice[slice.length - 1]!) + 1);
        const t1 = performance.now();
        const results = storeParsedBatch(
          this.ctx,
          slice,
          (results) => {
            const failed = this.notStored.get(folder) ?? new Set<number>();
            this.notStored.set(folder, failed);
            results.forEach((r, k) => {
              const uid = slice[k]!.opts.location?.uid;
              if (uid === undefined) return;
              if (r.ok) failed.delete(uid);
              else failed.add(uid);
            });
            this.saveCursor(folder, advance(covered)(), { status: 'syncing' });
          },
          { emit: false },
        );
        all.push(...results);
        const ms = performance.now() - t1;
        this.timings.storeMs += ms;
        this.timings.storeSlices++;
        if (slice.length >= 10) this.msPerStore = Math.min(5, Math.max(0.02, 0.7 * this.msPerStore + (0.3 * ms) / slice.length));
        results.forEach((r, k) => {
          if (!r.ok) errors.push(`UID ${slice[k]!.opts.location?.uid}: ${r.error}`);
          else if (r.inserted) stored++;
        });
        if (last) break;
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.checkAbort();
      }
    } finally {
      // Once per batch, not per slice (each change event makes the window re-query), and for
      // what was stored even when the batch stopped half way.
      emitIngestChanges(this.ctx, all);
    }
    return { fetched: prepared.length, stored, errors };
  }

  /**
   * Fetch, parse and store batches in order as a pipeline: while batch k is stored (main thread),
   * batch k+1 is parsed (worker thread) and fetched (server). Each batch's cursor move commits with
   * its messages, so an interruption anywhere resumes exactly after the last stored batch.
   */
  private async runBatches(plan: BatchPlan): Promise<void> {
    const run = () => this.runBatchesNow(plan);
    if (plan.uids.length <= plan.sizes.batch) return run();
    // A bulk write: linking waits for its end (db/bulk.ts), then catches up once.
    const end = beginBulkWrite(this.ctx.db);
    try {
      return await withFewCheckpoints(this.ctx.db, run, {
        offThread: this.parser ? (mode) => this.workerCheckpoint(mode) : undefined,
        onCheckpoint: (ms) => (this.timings.checkpointMs += ms),
      });
    } finally {
      end();
      if (this.ctx.db.open) this.ctx.events.emit('messages.changed', { conversationIds: [] });
    }
  }

  /** A checkpoint on the parser worker's own database connection; null without a worker. */
  private workerCheckpoint(mode: CheckpointMode): Promise<CheckpointResult | null> {
    return this.parser ? this.parser.checkpoint(this.ctx.dbPath, mode, this.ctx.nativeBinding).catch(() => null) : Promise.resolve(null);
  }

  private async runBatchesNow({ folder, uidvalidity, uids, sizes, advance, onDone }: BatchPlan): Promise<void> {
    // Batches are cut as we go: at most `batch` messages, fewer when the messages seen so far are
    // big, so a mailbox full of attachments never holds hundreds of megabytes in memory.
    const parts: number[][] = [];
    let pos = 0;
    const cut = (j: number) => {
      while (parts.length <= j && pos < uids.length) {
        const avg = this.seen.count ? this.seen.bytes / this.seen.count : 0;
        let size = parts.length === 0 ? sizes.first : sizes.batch;
        if (avg > 0) size = Math.max(5, Math.min(size, Math.floor(BATCH_BYTES / avg)));
        parts.push(uids.slice(pos, pos + size));
        pos += size;
      }
      return parts[j];
    };
    // Part j is cut when the fetch before it has finished, so its size knows the sizes seen so far.
    const fetches: Promise<{ part: number[]; items: { raw: Uint8Array; opts: IngestOptions }[]; parsed: Promise<ParsedEmail[]> } | null>[] = [];
    const parses: Promise<{ part: number[]; prepared: PreparedItem[] } | null>[] = [];
    const start = (j: number) => {
      if (fetches[j]) return;
      const prev = j > 0 ? fetches[j - 1]!.then(() => undefined, () => undefined) : Promise.resolve();
      fetches[j] = prev.then(async () => {
        const part = cut(j);
        return part ? { part, ...(await this.fetchItems(folder, uidvalidity, part)) } : null;
      });
      parses[j] = fetches[j]!.then(async (f) => {
        if (!f) return null;
        const t = performance.now();
        const parsed = await f.parsed;
        this.timings.parseMs += performance.now() - t; // time the batch waited for its parsing after it arrived
        const base: IngestOptions = { accountId: this.account.id, selfAddresses: this.self };
        const prepared: PreparedItem[] = f.items.map((it, k) => ({ raw: it.raw, opts: { ...base, ...it.opts }, parsed: parsed[k]! }));
        return { part: f.part, prepared };
      });
      parses[j]!.catch(() => undefined); // raised when awaited in order
    };
    for (let i = 0; ; i++) {
      start(i);
      start(i + 1);
      const r = await parses[i]!;
      if (!r) break;
      this.checkAbort();
      onDone(r.part, await this.storePrepared(folder, r.part, r.prepared, advance));
      this.learnSelf();
      // Every few thousand messages the worker copies the WAL into the database while this
      // pipeline waits (the thread does not: fetching and parsing go on): with no write of ours
      // in between, the copy is complete and the next write starts the WAL over, so it never
      // grows to the point where an automatic checkpoint on this thread would hold it for a
      // second (~100 ms of the pipeline per 2,000 messages).
      this.sinceWalCopy += r.prepared.length;
      if (this.sinceWalCopy >= (this.opts.walCopyEvery ?? WAL_COPY_EVERY) && this.parser?.mode === 'worker') {
        this.sinceWalCopy = 0;
        await this.workerCheckpoint('PASSIVE');
      }
      delete fetches[i - 1];
      delete parses[i];
    }
  }

  /** One pass over one folder. */
  async syncFolder(folder: string): Promise<FolderResult> {
    const t0 = Date.now();
    const res: FolderResult = { folder, fetched: 0, stored: 0, flagsUpdated: 0, flagsRead: 0, expunged: 0, uidValidityReset: false, usedQresync: false, ms: 0, errors: [], notStored: 0 };
    this.counters = { flags: 0, expunged: 0, flagsRead: 0 };
    const accountId = this.account.id;
    let cur = this.cursor(folder);
    if (cur.uidValidity !== null) this.validity.set(folder, cur.uidValidity);
    this.notStored.set(folder, new Set(cur.retry ?? []));

    const canQresync = this.client.enabled.has('QRESYNC') && cur.uidValidity !== null && cur.highestModseq !== null && cur.top > 0;
    const openOpts = canQresync ? ({ uidValidity: BigInt(cur.uidValidity!), changedSince: BigInt(cur.highestModseq!) } as unknown as MailboxOpenOptions) : undefined;
    const mb = (await this.client.mailboxOpen(folder, openOpts)) as MailboxObject & { qresync?: boolean };
    const validity = Number(mb.uidValidity);
    const modseqAtSelect = mb.highestModseq !== undefined && !mb.noModseq ? mb.highestModseq.toString() : null;
    res.usedQresync = canQresync && mb.qresync === true && Number(cur.uidValidity) === validity;

    if (cur.uidValidity !== null && cur.uidValidity !== validity) {
      // UIDVALIDITY changed: the old UIDs mean nothing now. Drop them and sync the folder again.
      this.ctx.db.transaction(() => {
        this.ctx.db.prepare('DELETE FROM message_locations WHERE account_id = ? AND folder = ?').run(accountId, folder);
        this.notStored.set(folder, new Set());
        cur = { ...EMPTY, uidValidity: validity };
        this.saveCursor(folder, cur, { status: 'syncing' });
      })();
      res.uidValidityReset = true;
    }
    this.validity.set(folder, validity);
    const first = cur.uidValidity === null || cur.top === 0 && !cur.backfillDone;

    const startedAt = Date.now();
    let done = 0;
    let total = 0;
    const progress = (phase: SyncProgress['phase']) => {
      const p: SyncProgress = { accountId, folder, phase, done, total, rate: done / Math.max(0.001, (Date.now() - startedAt) / 1000) };
      if (phase !== 'done') {
        // Visible to the UI (email.sync.status) while the pass runs.
        setSyncState(this.ctx.db, accountId, scopeOf(folder), { progress: { phase, done, total, rate: Math.round(p.rate), at: this.ctx.now() }, now: this.ctx.now() });
        this.ctx.events.emit('sync.status', { accountId });
      }
      this.opts.onProgress?.(p);
      return p;
    };
    /** After each stored batch: add it to the pass's result and report progress. */
    const counted = (phase: SyncProgress['phase']) => (part: readonly number[], r: { fetched: number; stored: number; errors: typeof res.errors }) => {
      res.fetched += r.fetched;
      res.stored += r.stored;
      res.errors.push(...r.errors);
      done += part.length;
      progress(phase);
    };
    const batch = this.opts.batchSize ?? 500;

    if (first) {
      const all = await this.uidSearch({ all: true }, { uid: true });
      const top = all.length ? Math.max(...all) : Math.max(0, Number(mb.uidNext ?? 1) - 1);
      cur = { uidValidity: validity, top, low: top + 1, backfillDone: all.length === 0, highestModseq: cur.highestModseq };
      this.saveCursor(folder, cur, { status: 'syncing' });
      total = all.length;
    } else {
      // New mail above top.
      const fresh = (await this.uidSearch({ uid: `${cur.top + 1}:*` }, { uid: true }))
        .filter((u) => u > cur.top)
        .sort((a, b) => a - b);
      total += fresh.length;
      await this.runBatches({
        folder,
        uidvalidity: validity,
        uids: fresh,
        sizes: { first: batch, batch },
        advance: (part) => () => (cur = { ...cur, top: Math.max(cur.top, part[part.length - 1]!) }),
        onDone: counted('new'),
      });

      // Messages an earlier pass could not store: fetched and stored again (those gone from the server are dropped).
      const again = this.notStored.get(folder)!;
      if (again.size) {
        const still = new Set(await this.uidSearch({ uid: uidSet([...again]) }, { uid: true }));
        for (const u of again) if (!still.has(u)) again.delete(u);
        total += again.size;
        await this.runBatches({
          folder,
          uidvalidity: validity,
          uids: [...again].sort((a, b) => a - b),
          sizes: { first: batch, batch },
          advance: () => () => cur,
          onDone: counted('new'),
        });
      }

      // Flags and expunges, unless the QRESYNC select already reported them.
      if (!res.usedQresync && !res.uidValidityReset && cur.top > 0) {
        const condstore = this.client.enabled.has('CONDSTORE') && modseqAtSelect !== null && cur.highestModseq !== null;
        if (condstore) {
          if (BigInt(modseqAtSelect!) > BigInt(cur.highestModseq!)) {
            // Which messages changed (SEARCH MODSEQ, a compact set with ESEARCH), then their flags a
            // range at a time: "mark all as read" elsewhere changes a whole folder at once.
            const changed = (await this.uidSearch({ uid: `1:${cur.top}`, modseq: BigInt(cur.highestModseq!) + 1n }, { uid: true })).sort((a, b) => a - b);
            const range = this.opts.flagsRange ?? FLAGS_RANGE;
            for (let i = 0; i < changed.length; i += range) {
              res.flagsUpdated += await this.readFlags(folder, validity, uidSet(changed.slice(i, i + range)), cur.top);
            }
          }
        } else {
          res.flagsUpdated += await this.scanFlags(folder, validity, cur.top);
        }
        this.needExpungeScan.add(folder);
      }
      if (this.needExpungeScan.has(folder) && cur.top > 0) {
        this.needExpungeScan.delete(folder);
        const server = new Set(await this.uidSearch({ uid: `1:${cur.top}` }, { uid: true }));
        const local = this.ctx.db
          .prepare('SELECT uid FROM message_locations WHERE account_id = ? AND folder = ? AND uidvalidity = ? AND uid <= ?')
          .pluck()
          .all(accountId, folder, validity, cur.top) as number[];
        const gone = local.filter((u) => !server.has(u));
        if (gone.length) {
          this.ctx.db.transaction(() => {
            for (const u of gone) if (forgetLocation(this.ctx, accountId, folder, validity, u)) res.expunged++;
          })();
        }
      }
    }

    // Backfill, newest first.
    if (!cur.backfillDone) {
      const older =
        cur.low > 1
          ? (await this.uidSearch({ uid: `1:${cur.low - 1}` }, { uid: true })).filter((u) => u < cur.low).sort((a, b) => b - a)
          : [];
      if (!first) total += older.length;
      const firstSize = Math.min(batch, this.opts.firstBatchSize ?? 100);
      await this.runBatches({
        folder,
        uidvalidity: validity,
        uids: older,
        sizes: { first: firstSize, batch },
        advance: (part) => () => (cur = { ...cur, low: Math.min(cur.low, part[part.length - 1]!) }),
        onDone: counted('backfill'),
      });
      cur = { ...cur, backfillDone: true };
    }

    cur = { ...cur, highestModseq: modseqAtSelect };
    this.storeFlagEvents();
    res.flagsUpdated += this.counters.flags;
    res.expunged += this.counters.expunged;
    res.flagsRead = this.counters.flagsRead;
    res.ms = Date.now() - t0;
    const final = progress('done');
    res.notStored = this.notStored.get(folder)?.size ?? 0;
    this.saveCursor(folder, cur, {
      status: 'idle',
      progress: { done: final.done, total: final.total, rate: Math.round(final.rate), at: this.ctx.now() },
      lastError: res.notStored
        ? `${res.notStored} message(s) not stored, tried again every sync${res.errors[0] ? `: ${res.errors[0]}` : ''}`
        : res.errors.length
          ? `${res.errors.length} message(s) not stored: ${res.errors[0]}`
          : null,
    });
    this.ctx.events.emit('sync.status', { accountId });
    return res;
  }

  /** The folders of this account, refreshing the Sent folder's path. */
  async folders(): Promise<{ folders: string[]; missing: string[] }> {
    const list = await this.client.list();
    const f = foldersToSync(list, this.account.config.folders ?? []);
    if (f.sent && f.sent !== this.account.config.sentFolder) {
      updateAccount(this.ctx.db, this.account.id, { config: { ...this.account.config, sentFolder: f.sent }, now: this.ctx.now() });
      this.account.config.sentFolder = f.sent;
    }
    return { folders: f.folders, missing: f.missing };
  }

  /**
   * While the account's own addresses are unknown (added without its address, a login that is not
   * one), learn them from each stored batch; new ones put what is stored right (self-repair.ts).
   */
  private learnSelf(): void {
    if (!this.learning) return;
    const r = learnDuringSync(this.ctx, this.account.id);
    if (r) this.learning = activeAccountAddresses(this.ctx.db, this.account.id).length === 0;
  }

  /** One pass over every folder. A folder-level failure is recorded and the others continue. */
  async syncAll(): Promise<FolderResult[]> {
    const listed = this.opts.folders ? { folders: this.opts.folders, missing: [] } : await this.folders();
    const { missing } = listed;
    let folders = listed.folders;
    // The business's own addresses unknown: the Sent folder first, whose From says who the business is.
    const sent = this.account.config.sentFolder;
    if (this.learning && sent && folders.includes(sent)) folders = [sent, ...folders.filter((f) => f !== sent)];
    for (const m of missing) {
      setSyncState(this.ctx.db, this.account.id, scopeOf(m), { status: 'error', lastError: `Folder "${m}" does not exist on the server.`, now: this.ctx.now() });
    }
    const out: FolderResult[] = [];
    for (const folder of folders) {
      this.checkAbort();
      try {
        out.push(await this.syncFolder(folder));
        // Aliases and addresses learned from the whole folder (once the stored mail says more).
        if (out.at(-1)!.stored > 0 && !this.learning) learnDuringSync(this.ctx, this.account.id);
      } catch (e) {
        if (!this.client.usable || e instanceof MailConnectError || this.opts.signal?.aborted) throw e;
        const msg = (e as Error).message ?? String(e);
        this.ctx.log.warn('folder sync failed', { service: 'email-sync', accountId: this.account.id, folder, err: e });
        setSyncState(this.ctx.db, this.account.id, scopeOf(folder), { status: 'error', lastError: msg, now: this.ctx.now() });
        out.push({ folder, fetched: 0, stored: 0, flagsUpdated: 0, flagsRead: 0, expunged: 0, uidValidityReset: false, usedQresync: false, ms: 0, errors: [msg], notStored: 0 });
      }
    }
    return out;
  }
}

/** Errors worth retrying after a pause (the network, not the settings). */
export function isTransient(e: unknown): boolean {
  if (e instanceof MailConnectError) return e.reason === 'network' || e.reason === 'timeout' || e.reason === 'connection_refused' || e.reason === 'host_not_found';
  const err = e as { code?: string; message?: string };
  return /NoConnection|ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|closed|Socket/i.test(`${err?.code ?? ''} ${err?.message ?? ''}`);
}

export interface PassOptions extends SyncOptions {
  /** How many times a dropped connection is retried within this pass (resuming from the cursor). */
  retries?: number;
  /** First retry delay, doubled each time (ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
  onRetry?: (attempt: number, delayMs: number, error: string) => void;
  /** A parser to share (e.g. one worker for many passes); by default a worker is started for the pass. */
  parser?: Parser;
  /** Where the pass spent its time (ms). */
  onTimings?: (t: { fetchMs: number; parseMs: number; storeMs: number; checkpointMs: number; storeSlices: number }) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/**
 * One sync pass over an account: connect, every folder, log out. A dropped connection is retried
 * with exponential backoff, resuming from the stored cursors (nothing is fetched twice into the
 * database, nothing skipped).
 */
export async function syncAccountOnce(ctx: CoreContext, accountId: number, opts: PassOptions = {}): Promise<FolderResult[]> {
  const retries = opts.retries ?? 3;
  const ownParser = !opts.parser;
  const parser = opts.parser ?? createParser();
  let tries = 0;
  let r: FolderResult[];
  try {
    r = await retryLoop(
      async () => {
        tries++;
        const { account, secret } = accountCredentials(ctx, accountId);
        let client: ImapFlow | null = null;
        try {
          client = await connectImap(account.config, secret);
          const s = new AccountSync(ctx, account, client, opts, parser, secret);
          const r = await s.syncAll();
          opts.onTimings?.(s.timings);
          await client.logout().catch(() => undefined);
          return r;
        } catch (e) {
          client?.close();
          throw e;
        }
      },
      {
        baseMs: opts.backoffMs ?? 1000,
        maxMs: opts.maxBackoffMs ?? 60_000,
        retry: (e, failures) => failures <= retries && isTransient(e) && !opts.signal?.aborted,
        onRetry: (e, failures, delayMs) => {
          ctx.log.warn('sync pass interrupted, retrying', { service: 'email-sync', accountId, attempt: failures, delayMs, err: e });
          opts.onRetry?.(failures, delayMs, (e as Error).message ?? String(e));
        },
        wait: (ms) => sleep(ms, opts.signal),
      },
    );
  } catch (e) {
    if (!opts.signal?.aborted) ctx.log.error('sync pass failed', { service: 'email-sync', accountId, attempts: tries, err: e });
    if (ownParser) await parser.close();
    setSyncState(ctx.db, accountId, 'imap', { status: 'error', lastError: (e as Error).message ?? String(e), now: ctx.now() });
    ctx.events.emit('sync.status', { accountId });
    throw e;
  }
  if (ownParser) await parser.close();
  return r;
}

export interface WatchOptions extends SyncOptions {
  /** Re-poll every folder this often (ms); also the fallback when IDLE is not available. */
  pollMs?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  onError?: (e: unknown) => void;
  onPass?: (r: FolderResult[]) => void;
}

/**
 * Live sync of one account: a pass, then IDLE on INBOX applying changes as they come, periodic
 * passes over every folder, and reconnection with exponential backoff.
 */
export class EmailWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private parser: Parser | null = null;
  connected = false;

  constructor(
    private readonly ctx: CoreContext,
    readonly accountId: number,
    private readonly opts: WatchOptions = {},
  ) {}

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const c = this.client;
    if (c) await c.logout().catch(() => c.close());
    await this.loop;
    await this.parser?.close();
    this.parser = null;
  }

  private run(): Promise<void> {
    return retryLoop((a) => this.connection(a), {
      baseMs: this.opts.backoffMs ?? 1000,
      maxMs: this.opts.maxBackoffMs ?? 60_000,
      retry: () => true,
      onRetry: (e, _failures, delayMs) => {
        this.ctx.log.warn('connection lost, reconnecting', { service: 'email-watch', accountId: this.accountId, delayMs, err: e });
        this.opts.onError?.(e);
        setSyncState(this.ctx.db, this.accountId, 'imap', { status: 'error', lastError: (e as Error).message ?? String(e), now: this.ctx.now() });
        this.ctx.events.emit('sync.status', { accountId: this.accountId });
      },
      // stop() ends the wait at once.
      wait: (ms) =>
        new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        }).finally(() => (this.wake = null)),
    });
  }

  /**
   * One connection: a pass over every folder, then IDLE on INBOX until it drops (thrown, so
   * run() reconnects after the backoff) or the watcher is stopped (returns).
   */
  private async connection({ reset }: RetryAttempt): Promise<void> {
    if (this.stopped) return;
    {
      try {
        const { account, secret } = accountCredentials(this.ctx, this.accountId);
        const client = await connectImap(account.config, secret);
        this.client = client;
        this.parser ??= createParser();
        const s = new AccountSync(this.ctx, account, client, this.opts, this.parser, secret);
        let dirty = false;
        let live = false;
        let work: Promise<unknown> = Promise.resolve();
        const queue = (fn: () => Promise<unknown>) => {
          work = work.then(fn, fn);
          return work;
        };
        client.on('exists', (e: { path: string }) => {
          if (!live || e.path !== 'INBOX' || dirty) return;
          dirty = true;
          // Running a command breaks IDLE; the loop below resumes IDLE afterwards.
          void queue(async () => {
            dirty = false;
            // (not inside onPass?.(…): an optional call skips evaluating its arguments)
            const r = await s.syncFolder('INBOX');
            this.opts.onPass?.([r]);
          }).catch((err) => {
            this.ctx.log.warn('new mail not synced', { service: 'email-watch', accountId: this.accountId, folder: 'INBOX', err });
            this.opts.onError?.(err);
          });
        });
        const pollMs = this.opts.pollMs ?? 5 * 60_000;
        const retryMs = this.opts.backoffMs ?? 1000;
        // A folder that failed is tried again soon rather than at the next regular poll.
        const nextPoll = (r: FolderResult[]) => Date.now() + (r.some((f) => f.errors.length && f.fetched === 0) ? retryMs : pollMs);
        const first = await s.syncAll();
        this.opts.onPass?.(first);
        let pollAt = nextPoll(first);
        await client.mailboxOpen('INBOX');
        live = true;
        this.connected = true;
        reset();
        while (!this.stopped && client.usable) {
          const poll = setTimeout(() => {
            if (client.usable) void queue(() => client.noop());
          }, Math.max(0, pollAt - Date.now()));
          await client.idle().catch(() => undefined);
          clearTimeout(poll);
          await work.catch(() => undefined);
          if (this.stopped || !client.usable) break;
          if (Date.now() >= pollAt) {
            await queue(async () => {
              const r = await s.syncAll();
              this.opts.onPass?.(r);
              pollAt = nextPoll(r);
              await client.mailboxOpen('INBOX');
            });
          }
        }
        this.connected = false;
        if (this.stopped) return;
        throw new MailConnectError('network', 'The IMAP connection closed.', 'imap');
      } catch (e) {
        this.connected = false;
        this.client?.close();
        this.client = null;
        if (this.stopped) return;
        throw e;
      }
    }
  }
}
