// The fetch–parse–store pipeline of the email sync, and its WAL policy.
//
// Batches of a folder go through three stages at once: while batch k is stored (main thread, in
// slices of ~12 ms so the window's requests wait one slice at most), batch k+1 is parsed (the
// parser worker) and fetched (the server; a big batch on the worker's own connection,
// imap/bulk-fetch.ts). Each slice's transaction moves the folder's cursor over what it completes,
// so an interruption anywhere resumes exactly after the last stored slice.
//
// WAL policy: a run bigger than one batch is a bulk write (linking waits for its end, db/bulk.ts)
// with few automatic checkpoints (imap/few-checkpoints.ts); every WAL_COPY_EVERY messages and at
// its end, the parser worker copies the WAL into the database on its own connection.

import type { ImapFlow } from 'imapflow';
import type { CoreContext } from '../../context';
import type { CheckpointMode, CheckpointResult } from '../../db/checkpoint';
import type { AccountRecord } from '../../db/repos/accounts';
import { withFewCheckpoints } from '../imap/few-checkpoints';
import type { EmailAccountConfig } from '../imap/config';
import { BulkFetchError, fetchSources, type FetchedSource } from '../imap/bulk-fetch';
import { MailConnectError } from '../imap/connect';
import { emitIngestChanges, storeParsedBatch, type BatchResult, type IngestOptions, type PreparedItem } from '../ingest';
import type { ParsedEmail } from '../parse';
import { inProcessParser, type Parser } from '../parse-pool';
import { batchSize, type BatchSizes } from './plan';
import type { FolderCursor, SyncOptions, SyncTimings } from './types';

/** Messages stored between two WAL copies by the worker during a bulk sync (~30 MB of WAL). */
export const WAL_COPY_EVERY = 2000;
/** Batches at least this big are fetched on the worker's own connection (a smaller one is not worth its login). */
const BULK_FETCH_MIN = 200;
/** Time one store transaction should take at most, so the event loop is never held much longer. */
const STORE_SLICE_MS = 12;
/** Messages handed to the parser at a time while a batch is still arriving. */
const PARSE_GROUP = 25;

/** UIDs of one folder to fetch, parse and store in batches, and what to do as each batch lands. */
export interface BatchPlan {
  folder: string;
  uidvalidity: number;
  /** In the order they are to be stored. */
  uids: number[];
  /** The first batch's size (small, so the newest mail shows at once) and the others'. */
  sizes: BatchSizes;
  /** The cursor after a batch is stored: committed in the same transaction as its messages. */
  advance: (part: number[]) => () => FolderCursor;
  onDone: (part: number[], r: { fetched: number; stored: number; errors: string[] }) => void;
}

/** What the pipeline needs from the account's sync. */
export interface PipelineHost {
  ctx: CoreContext;
  account: AccountRecord<EmailAccountConfig>;
  client: ImapFlow;
  opts: SyncOptions;
  /** Where messages are parsed (a worker thread when available); in-process when not given. */
  parser?: Parser;
  /** The account's secret, for the fetch worker's own connection; held in memory only. */
  secret?: string;
  self: string[];
  /** Per folder, the UIDs that could not be stored (AccountSync.notStored): updated as slices are stored. */
  notStored: Map<string, Set<number>>;
  /** Write the folder's cursor (with its notStored list) and sync state. */
  saveCursor: (folder: string, cur: FolderCursor, extra: { status?: string }) => void;
  /** After each stored batch (the account's own addresses learned while unknown). */
  afterBatch: () => void;
  /** Throws when the sync was cancelled. */
  checkAbort: () => void;
}

/** The fetch–parse–store pipeline of one account's sync (one per AccountSync). */
export class FolderPipeline {
  readonly timings: SyncTimings = { fetchMs: 0, parseMs: 0, storeMs: 0, checkpointMs: 0, storeSlices: 0 };
  /** Batches fetched on the worker's own connection; why it could not connect, once it could not. */
  bulkFetches = 0;
  bulkRefused: string | null = null;
  /** Messages stored since the worker last copied the WAL (see runBatchesNow). */
  private sinceWalCopy = 0;
  /** Measured store time per message (ms, moving average), to size the store slices. */
  private msPerStore = 0.25;
  /** Bytes and count of messages fetched, to size the next batches. */
  private readonly seen = { bytes: 0, count: 0 };
  private readonly ctx: CoreContext;
  private readonly parser?: Parser;

  constructor(private readonly host: PipelineHost) {
    this.ctx = host.ctx;
    this.parser = host.parser;
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
    let bulk = !!parser.fetchSources && parser.mode === 'worker' && !!this.host.secret && !this.bulkRefused && uids.length >= BULK_FETCH_MIN;
    if (bulk) {
      try {
        await parser.fetchSources!({ config: this.host.account.config, secret: this.host.secret!, folder, uidValidity: uidvalidity, uids, group: PARSE_GROUP }, (group) => group.forEach(add));
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
    if (!bulk) for await (const m of fetchSources(this.host.client, uids)) add(m);
    dispatch();
    this.timings.fetchMs += performance.now() - t0;
    const parsed = Promise.all(groups).then((g) => g.flat());
    parsed.catch(() => undefined); // awaited by the caller
    if (!this.host.client.usable) throw new MailConnectError('network', `The connection to the IMAP server closed while fetching from ${folder}.`, 'imap');
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
      for (let i = 0; i < ordered.length || (i === 0 && part.length);) {
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
            const failed = this.host.notStored.get(folder) ?? new Set<number>();
            this.host.notStored.set(folder, failed);
            results.forEach((r, k) => {
              const uid = slice[k]!.opts.location?.uid;
              if (uid === undefined) return;
              if (r.ok) failed.delete(uid);
              else failed.add(uid);
            });
            this.host.saveCursor(folder, advance(covered)(), { status: 'syncing' });
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
        this.host.checkAbort();
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
  async runBatches(plan: BatchPlan): Promise<void> {
    const run = () => this.runBatchesNow(plan);
    if (plan.uids.length <= plan.sizes.batch) return run();
    // A bulk write: linking waits for its end (BulkWriteEnded on the core bus), then catches up once.
    const source = `email account ${this.host.account.id}, ${plan.folder}`;
    this.ctx.bus.emit('BulkWriteStarted', { source });
    try {
      return await withFewCheckpoints(this.ctx.db, run, {
        offThread: this.parser ? (mode) => this.workerCheckpoint(mode) : undefined,
        onCheckpoint: (ms) => (this.timings.checkpointMs += ms),
      });
    } finally {
      this.ctx.bus.emit('BulkWriteEnded', { source });
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
        const size = batchSize(parts.length, sizes, this.seen.count ? this.seen.bytes / this.seen.count : 0);
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
      const prev =
        j > 0
          ? fetches[j - 1]!.then(
              () => undefined,
              () => undefined,
            )
          : Promise.resolve();
      fetches[j] = prev.then(async () => {
        const part = cut(j);
        return part ? { part, ...(await this.fetchItems(folder, uidvalidity, part)) } : null;
      });
      parses[j] = fetches[j].then(async (f) => {
        if (!f) return null;
        const t = performance.now();
        const parsed = await f.parsed;
        this.timings.parseMs += performance.now() - t; // time the batch waited for its parsing after it arrived
        const base: IngestOptions = { accountId: this.host.account.id, selfAddresses: this.host.self };
        const prepared: PreparedItem[] = f.items.map((it, k) => ({ raw: it.raw, opts: { ...base, ...it.opts }, parsed: parsed[k]! }));
        return { part: f.part, prepared };
      });
      parses[j].catch(() => undefined); // raised when awaited in order
    };
    for (let i = 0; ; i++) {
      start(i);
      start(i + 1);
      const r = await parses[i]!;
      if (!r) break;
      this.host.checkAbort();
      onDone(r.part, await this.storePrepared(folder, r.part, r.prepared, advance));
      this.host.afterBatch();
      // Every few thousand messages the worker copies the WAL into the database while this
      // pipeline waits (the thread does not: fetching and parsing go on): with no write of ours
      // in between, the copy is complete and the next write starts the WAL over, so it never
      // grows to the point where an automatic checkpoint on this thread would hold it for a
      // second (~100 ms of the pipeline per 2,000 messages).
      this.sinceWalCopy += r.prepared.length;
      if (this.sinceWalCopy >= (this.host.opts.walCopyEvery ?? WAL_COPY_EVERY) && this.parser?.mode === 'worker') {
        this.sinceWalCopy = 0;
        await this.workerCheckpoint('PASSIVE');
      }
      delete fetches[i - 1];
      delete parses[i];
    }
  }
}
