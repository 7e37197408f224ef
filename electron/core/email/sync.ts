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
// One pass over a folder (AccountSync.syncFolder) runs the steps of the folder planner
// (folder-sync/plan.ts, pure: cursor and server capabilities in, steps out):
//   1. SELECT — with QRESYNC (uidValidity + changedSince) when the server offers it and we have
//      state: expunges (VANISHED EARLIER) and flag changes arrive as events during the SELECT.
//   2. UIDVALIDITY changed → the folder's locations are dropped and it is synced again; messages
//      are unique by Message-ID, so the second copy only adds a location (no duplicates).
//   3. First sync: UID SEARCH ALL, top = newest UID; new mail (UID > top) is fetched ascending.
//   4. Flags and expunges when QRESYNC did not do it (folder-sync/changes.ts): UID SEARCH MODSEQ
//      for what changed, then its flags (CONDSTORE), or without CONDSTORE the newest 1,000
//      messages' flags every pass and the whole folder's every 10 minutes, 500 UIDs per FETCH
//      either way; expunges by comparing UID SEARCH with the stored UIDs.
//   5. Backfill: older UIDs, newest first, in batches, so recent mail is usable within seconds.
//   Every batch goes through the fetch–parse–store pipeline (folder-sync/pipeline.ts: a worker's
//   own connection fetches big batches, the parser worker parses, the main thread stores in
//   slices of ~12 ms, each slice one transaction with its messages, their locations and the
//   cursor), with its WAL policy (the worker copies the WAL into the database during a bulk sync).
//
// syncAccountOnce: one pass over every folder, a dropped connection retried with backoff
// (retry.ts). Live mode: EmailWatcher (watch.ts).

import type { ImapFlow, MailboxObject, MailboxOpenOptions } from 'imapflow';
import type { CoreContext } from '../context';
import { getSyncCursor, listSyncState, setSyncState, updateAccount, type AccountRecord } from '../db/repos/accounts';
import { activeAccountAddresses } from '../db/repos/account-addresses';
import { retryLoop } from '../retry';
import { withMailAuth } from './oauth/tokens';
import { selfAddresses, type EmailAccountConfig } from './imap/config';
import { connectImap, MailConnectError } from './imap/connect';
import { foldersToSync } from './imap/folders';
import { uidSet } from './imap/uids';
import { createParser, type Parser } from './parse-pool';
import { learnDuringSync } from './self-repair';
import { FolderChanges, uidSearch } from './folder-sync/changes';
import { dropFolderLocations } from './folder-sync/locations';
import { FolderPipeline } from './folder-sync/pipeline';
import { afterBackfill, afterNew, backfillSearch, backfillUids, discovered, newMailSearch, newUids, planPass, planSelect } from './folder-sync/plan';
import { EMPTY_CURSOR, emptyResult, scopeOf, type FolderCursor, type FolderResult, type SyncOptions, type SyncProgress, type SyncTimings } from './folder-sync/types';
export { scopeOf, type FolderCursor, type FolderResult, type SyncOptions, type SyncProgress, type SyncTimings } from './folder-sync/types';
export { forgetLocation } from './folder-sync/locations';

/** Stored messages in a folder pass after which the account's own addresses are learned again. */
const LEARN_AFTER = 50;

/** The sync of one account over one connection. */
export class AccountSync {
  /** Flag changes and expunges, reported by the server or asked for by a pass. */
  private readonly changes: FolderChanges;
  private readonly pipeline: FolderPipeline;
  /** Where the time of this sync went (ms), see SyncTimings. */
  readonly timings: SyncTimings;
  /**
   * Per folder, the UIDs that could not be stored: kept in the cursor (written in the same
   * transaction as the batch they failed in), fetched again every pass until they are stored or
   * gone from the server, and shown as the folder's error meanwhile. Never skipped for good.
   */
  private readonly notStored = new Map<string, Set<number>>();
  readonly self: string[];
  /** The account's own addresses are still unknown: learn them as mail is stored (learnSelf). */
  private learning: boolean;

  constructor(
    private readonly ctx: CoreContext,
    readonly account: AccountRecord<EmailAccountConfig>,
    readonly client: ImapFlow,
    private readonly opts: SyncOptions = {},
    /** Where messages are parsed (a worker thread when available); in-process when not given. */
    parser?: Parser,
    /** The account's secret, for the fetch worker's own connection; held in memory only. */
    secret?: string,
  ) {
    this.self = selfAddresses(account.address, account.config);
    this.learning = activeAccountAddresses(ctx.db, account.id).length === 0;
    this.changes = new FolderChanges(ctx, account.id, client);
    this.pipeline = new FolderPipeline({
      ctx,
      account,
      client,
      opts,
      parser,
      secret,
      self: this.self,
      notStored: this.notStored,
      saveCursor: (folder, cur, extra) => this.saveCursor(folder, cur, extra),
      afterBatch: () => this.learnSelf(),
      checkAbort: () => this.checkAbort(),
    });
    this.timings = this.pipeline.timings;
  }

  private cursor(folder: string): FolderCursor {
    return { ...EMPTY_CURSOR, ...getSyncCursor<Partial<FolderCursor>>(this.ctx.db, this.account.id, scopeOf(folder), {}) };
  }

  private saveCursor(folder: string, cur: FolderCursor, extra: { status?: string; progress?: unknown; lastError?: string | null } = {}): void {
    const retry = [...(this.notStored.get(folder) ?? [])].sort((a, b) => a - b);
    setSyncState(this.ctx.db, this.account.id, scopeOf(folder), { cursor: { ...cur, retry }, ...extra, now: this.ctx.now() });
  }

  private checkAbort(): void {
    if (this.opts.signal?.aborted) throw new Error('sync cancelled');
  }

  /** One pass over one folder: the planner's steps (folder-sync/plan.ts), run in order. */
  async syncFolder(folder: string): Promise<FolderResult> {
    const t0 = Date.now();
    const res = emptyResult(folder);
    this.changes.startPass();
    const accountId = this.account.id;
    const stored = this.cursor(folder);
    if (stored.uidValidity !== null) this.changes.validity.set(folder, stored.uidValidity);
    this.notStored.set(folder, new Set(stored.retry ?? []));

    const caps = { qresync: this.client.enabled.has('QRESYNC'), condstore: this.client.enabled.has('CONDSTORE') };
    const q = planSelect(stored, caps);
    const openOpts = q ? ({ uidValidity: BigInt(q.uidValidity), changedSince: BigInt(q.changedSince) } as unknown as MailboxOpenOptions) : undefined;
    const mb = (await this.client.mailboxOpen(folder, openOpts)) as MailboxObject & { qresync?: boolean };
    const validity = Number(mb.uidValidity);
    const uidNext = mb.uidNext === undefined || mb.uidNext === null ? null : Number(mb.uidNext);
    const highestModseq = mb.highestModseq !== undefined && !mb.noModseq ? mb.highestModseq.toString() : null;
    const plan = planPass(stored, { uidValidity: validity, uidNext, highestModseq, qresync: mb.qresync === true }, caps, this.opts);
    res.usedQresync = plan.usedQresync;
    let cur = stored;
    // From here events are applied against the folder's UIDVALIDITY (a reset, the first step, runs before any await).
    this.changes.validity.set(folder, validity);

    const startedAt = Date.now();
    let done = 0;
    let total = 0;
    const progress = (phase: SyncProgress['phase']) => {
      const p: SyncProgress = { accountId, folder, phase, done, total, rate: done / Math.max(0.001, (Date.now() - startedAt) / 1000) };
      if (phase !== 'done') {
        // Visible to the UI (email.sync.status) while the pass runs.
        setSyncState(this.ctx.db, accountId, scopeOf(folder), { progress: { phase, done, total, rate: Math.round(p.rate), at: this.ctx.now() }, now: this.ctx.now() });
        this.ctx.bus.emit('SyncStatusChanged', { accountId });
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

    for (const step of plan.steps) {
      switch (step.kind) {
        case 'reset':
          // UIDVALIDITY changed: the old UIDs mean nothing now. Drop them and sync the folder again.
          this.ctx.db.transaction(() => {
            dropFolderLocations(this.ctx, accountId, folder);
            this.notStored.set(folder, new Set());
            cur = step.cursor;
            this.saveCursor(folder, cur, { status: 'syncing' });
          })();
          res.uidValidityReset = true;
          break;
        case 'discover': {
          const all = await uidSearch(this.client, { all: true });
          cur = discovered(cur, validity, all, uidNext);
          this.saveCursor(folder, cur, { status: 'syncing' });
          total = all.length;
          break;
        }
        case 'new': {
          const fresh = newUids(await uidSearch(this.client, { uid: newMailSearch(cur) }), cur);
          total += fresh.length;
          await this.pipeline.runBatches({
            folder,
            uidvalidity: validity,
            uids: fresh,
            sizes: step.sizes,
            advance: (part) => () => (cur = afterNew(cur, part)),
            onDone: counted('new'),
          });
          break;
        }
        case 'retry': {
          // Messages an earlier pass could not store: fetched and stored again (those gone from the server are dropped).
          const again = this.notStored.get(folder)!;
          if (!again.size) break;
          const still = new Set(await uidSearch(this.client, { uid: uidSet([...again]) }));
          for (const u of again) if (!still.has(u)) again.delete(u);
          total += again.size;
          await this.pipeline.runBatches({
            folder,
            uidvalidity: validity,
            uids: [...again].sort((a, b) => a - b),
            sizes: step.sizes,
            advance: () => () => cur,
            onDone: counted('new'),
          });
          break;
        }
        case 'flags':
          if (cur.top > 0) res.flagsUpdated += await this.changes.flags(step, folder, validity, cur.top);
          break;
        case 'expunges':
          res.expunged += await this.changes.expunges(folder, validity, cur.top, step.always);
          break;
        case 'backfill': {
          if (cur.backfillDone) break;
          // Older mail, newest first.
          const range = backfillSearch(cur);
          const older = range ? backfillUids(await uidSearch(this.client, { uid: range }), cur) : [];
          if (!plan.first) total += older.length;
          await this.pipeline.runBatches({
            folder,
            uidvalidity: validity,
            uids: older,
            sizes: step.sizes,
            advance: (part) => () => (cur = afterBackfill(cur, part)),
            onDone: counted('backfill'),
          });
          cur = { ...cur, backfillDone: true };
          break;
        }
      }
    }

    cur = { ...cur, highestModseq: plan.highestModseq };
    const reported = this.changes.endPass();
    res.flagsUpdated += reported.flags;
    res.expunged += reported.expunged;
    res.flagsRead = reported.flagsRead;
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
    this.ctx.bus.emit('SyncStatusChanged', { accountId });
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
        // Aliases and addresses learned from the whole folder once a good part of it is stored (a
        // first sync, a backfill); not for a few new mails, which would re-read the newest 3,000.
        if (out.at(-1)!.stored >= LEARN_AFTER && !this.learning) learnDuringSync(this.ctx, this.account.id);
      } catch (e) {
        if (!this.client.usable || e instanceof MailConnectError || this.opts.signal?.aborted) throw e;
        const msg = (e as Error).message ?? String(e);
        this.ctx.log.warn('folder sync failed', { service: 'email-sync', accountId: this.account.id, folder, err: e });
        setSyncState(this.ctx.db, this.account.id, scopeOf(folder), { status: 'error', lastError: msg, now: this.ctx.now() });
        out.push(emptyResult(folder, [msg]));
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
  onTimings?: (t: SyncTimings) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
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
        let client: ImapFlow | null = null;
        try {
          // A provider's access token is renewed when due, and once more when the server refuses it.
          const c = await withMailAuth(ctx, accountId, async (m) => ({ ...m, client: await connectImap(m.account.config, m.secret) }));
          client = c.client;
          const s = new AccountSync(ctx, c.account, c.client, opts, parser, c.secret);
          const r = await s.syncAll();
          opts.onTimings?.(s.timings);
          await c.client.logout().catch(() => undefined);
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
    ctx.bus.emit('SyncStatusChanged', { accountId });
    throw e;
  }
  if (ownParser) await parser.close();
  clearAccountError(ctx, accountId);
  return r;
}

/** The account logged in again: its account-wide error (a failed login or pass, a paused sign-in) is over. */
export function clearAccountError(ctx: CoreContext, accountId: number): void {
  if (!listSyncState(ctx.db, accountId).some((st) => st.scope === 'imap' && st.lastError)) return;
  setSyncState(ctx.db, accountId, 'imap', { status: 'idle', lastError: null, now: ctx.now() });
  ctx.bus.emit('SyncStatusChanged', { accountId });
}
