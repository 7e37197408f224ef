// The linking engine: keeps the customer index current, scores X identities against it, stores
// engine decisions in `links` (never touching a person's decision), moves linked X identities into
// their email customer, and marks escalations. This file drives the work (one transaction, or
// slices that yield to the event loop) and owns its state; the steps are in build.ts (full build),
// incremental.ts, indexer.ts (profiles, keys, frequencies), scorer.ts, decisions.ts and
// membership.ts; their SQL in db/repos/linking.
import type { DB } from '../db/open';
import { countIdentitiesAfter, countMessagesAfter, newestMessageId } from '../db/repos/linking/changes';
import { identitiesOnlySuggested } from '../db/repos/linking/links';
import { buildSteps } from './build';
import { readTuning, writeTuning, type Tuning } from './feedback';
import { incrementalSteps } from './incremental';
import { SqlIndex } from './index-store';
import { createReader } from './inputs';
import type { BuildProgress, RefreshResult, StepEnv } from './refresh-types';
import type { PairScore } from './score';
import { candidatesNow, scoreIdentity, scoreNow } from './scorer';
import { readWatermark, type Watermark } from './watermark';
import { AppError } from '../../../shared/contract/errors';

export type { LinkRow } from '../db/repos/linking/links';
export type { BuildProgress, RefreshResult } from './refresh-types';
export { applyMembership, removeEmptyHomes, xConversationsOf } from './membership';
export type { CustomerProfile } from './profile';

/** Customers read per range query during a full re-link, and the mails such a read should bring at most (memory). */
const READ_CHUNK = 1000;
const READ_MAILS = 20_000;
/** Customers read per range query during a background build (keeps each slice short). */
const ASYNC_READ_CHUNK = 64;
/**
 * Messages one read of customers should bring at most (the chunk shrinks when it brings more): at
 * about 0.05 ms per mail read and profiled, 400 is a read of ~20 ms. A customer brings at most
 * their newest 60 (inputs.ts).
 */
const READ_CHUNK_MAILS = 400;
/** New messages beyond which a full background build replaces an incremental refresh, when they also outnumber those already linked. */
const INCREMENTAL_MAX = 5000;
/** How long a background build holds the thread before yielding to the event loop. */
const SLICE_MS = 8;

export interface BuildStatus {
  /** A full build has completed and none is running: links and suggestions are current. */
  built: boolean;
  /** A full build is running in the background; what links.list shows is what existed before it. */
  building: boolean;
  phase: BuildProgress['phase'] | null;
  done: number;
  total: number;
  /** Why the last background build failed, if it did. */
  error: string | null;
}

interface BuildJob {
  progress: BuildProgress;
  promise: Promise<RefreshResult>;
}

export class LinkEngine {
  private readonly sqlIndex: SqlIndex;
  /** What the build and refresh steps see of the engine. */
  private readonly env: StepEnv;
  /** Set by stop(): no build, refresh or re-scoring runs another slice. */
  private stopped = false;
  /** The full build running in the background, if any. */
  private job: BuildJob | null = null;
  /** Why the last background build failed (cleared when one starts). */
  private lastError: string | null = null;
  /** X identities a person decided on while a build ran: re-scored when it ends. */
  private readonly dirty = new Set<number>();
  /** What this mailbox taught the decision (calibration, the owner's decisions), read once. */
  private tuningCache: Tuning | null = null;
  constructor(
    private readonly db: DB,
    private readonly now: () => number = Date.now,
  ) {
    this.sqlIndex = new SqlIndex(db);
    this.env = { db, now, sqlIndex: this.sqlIndex, tuning: () => this.tuning(), setTuning: (t) => this.setTuning(t), sizeChanged: false };
  }

  /**
   * Stop: a running build, sliced refresh or re-scoring ends at its next slice (the slice done is
   * committed; the watermark keeps what is left for the next start). Resolves when they have ended.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([this.job?.promise, this.sliced, this.rescoring]);
  }

  private scoreIdentity(identityId: number): { changed: boolean; conversations: number[] } {
    return scoreIdentity(this.env, identityId, this.sqlIndex, createReader(this.db));
  }

  /** The mailbox's calibration and learned weight shifts (feedback.ts). */
  tuning(): Tuning {
    return (this.tuningCache ??= readTuning(this.db));
  }

  setTuning(t: Tuning): void {
    writeTuning(this.db, t);
    this.tuningCache = t;
  }

  /** The score of one X identity against one customer as the engine would give it now, with its evidence. */
  scorePairNow(identityId: number, customerId: number): PairScore | null {
    return scoreNow(this.db, this.sqlIndex, this.tuning(), identityId, customerId);
  }

  /** Every candidate of one X identity as the engine scores it now, and the stranger log odds (scorer.ts candidatesNow). */
  candidatesNow(identityId: number): { scores: PairScore[]; strangerLogOdds: number } | null {
    return candidatesNow(this.db, this.sqlIndex, this.tuning(), identityId);
  }

  /** Email customers in the index. */
  customerCount(): number {
    return this.sqlIndex.size();
  }

  private rescoring: Promise<unknown> = Promise.resolve();

  /**
   * Score these X identities again (after a decision moved the weights), a slice at a time with the
   * event loop running between; calls queue behind each other. During a full build they are left to
   * the build's end (it re-scores identities marked meanwhile).
   */
  rescoreInSlices(ids: readonly number[], sliceMs = SLICE_MS): Promise<{ changed: number[]; conversations: number[] }> {
    const run = async () => {
      const changed: number[] = [];
      const conversations = new Set<number>();
      let i = 0;
      while (i < ids.length && this.db.open && !this.stopped) {
        if (this.job) {
          for (const id of ids.slice(i)) this.dirty.add(id);
          break;
        }
        const reader = createReader(this.db);
        const deadline = performance.now() + sliceMs;
        this.db.transaction(() => {
          do {
            const id = ids[i++]!;
            const r = scoreIdentity(this.env, id, this.sqlIndex, reader);
            if (r.changed) changed.push(id);
            for (const c of r.conversations) conversations.add(c);
          } while (i < ids.length && performance.now() < deadline);
        })();
        if (i < ids.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return { changed, conversations: [...conversations] };
    };
    const p = this.rescoring.then(run, run);
    this.rescoring = p;
    return p;
  }

  /** Resolves when the re-scoring queued so far has ended. */
  whenRescored(): Promise<void> {
    return this.rescoring.then(
      () => undefined,
      () => undefined,
    );
  }

  /** X identities with the engine's suggestions and no link: re-scored after the weights moved. */
  pendingIdentities(): number[] {
    return identitiesOnlySuggested(this.db);
  }

  private watermark(): Watermark {
    return readWatermark(this.db);
  }

  /** Bring links up to date: a full build the first time, afterwards only what new rows touch. */
  refresh(): RefreshResult {
    if (this.job) throw new AppError('conflict', 'A linking build is running in the background; use build()');
    const w = this.watermark();
    if (!w.built) return this.rebuildAll();
    return this.incremental(w);
  }

  /**
   * The incremental refresh in slices of `sliceMs`, each its own transaction, yielding to the event
   * loop in between (what the app runs when new mail or posts arrive: a first sync brings a
   * thousand messages a second, and refreshing them at once held the thread for 0.5 s at a time).
   * Null when there is nothing to do from here: no first build yet, or a full build running (it
   * catches up when it ends; a build that starts meanwhile stops this refresh). Calls while one
   * runs share it, and it goes round again for what arrived during it.
   */
  refreshInSlices(sliceMs = SLICE_MS): Promise<RefreshResult | null> {
    if (this.sliced) {
      this.slicedAgain = true;
      return this.sliced;
    }
    // Set when the run ended before its first await (nothing to do): it must not stay recorded as running.
    let ended = false;
    const run = (async (): Promise<RefreshResult | null> => {
      let total: RefreshResult | null = null;
      try {
        do {
          this.slicedAgain = false;
          if (this.job || !this.db.open || this.stopped) return total;
          if (!this.watermark().built) return total;
          const r = await this.incrementalInSlices(sliceMs, () => this.job !== null);
          if (!r) return total;
          total = total
            ? {
                customers: total.customers + r.customers,
                scored: total.scored + r.scored,
                changed: [...new Set([...total.changed, ...r.changed])],
                conversations: [...new Set([...total.conversations, ...r.conversations])],
                ms: total.ms + r.ms,
              }
            : r;
        } while (this.slicedAgain);
        return total;
      } finally {
        this.sliced = null;
        ended = true;
      }
    })();
    if (!ended) this.sliced = run;
    return run;
  }

  /** One incremental pass from the watermark, in slices; null when `stop` said to or the database closed. */
  private async incrementalInSlices(sliceMs: number, stop: () => boolean = () => false): Promise<RefreshResult | null> {
    const gen = incrementalSteps(this.env, this.watermark());
    for (;;) {
      if (stop() || this.stopped || !this.db.open) {
        gen.return(null as never);
        return null;
      }
      const deadline = performance.now() + sliceMs;
      let r!: IteratorResult<void, RefreshResult>;
      this.db.transaction(() => {
        do r = gen.next();
        while (!r.done && performance.now() < deadline);
      })();
      if (r.done) return r.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private sliced: Promise<RefreshResult | null> | null = null;
  private slicedAgain = false;

  /** Whether an incremental refresh is running in slices. */
  get refreshing(): boolean {
    return this.sliced !== null;
  }

  /** How many messages and identities wait for a refresh, counted up to `limit`. */
  backlog(limit: number): number {
    const w = this.watermark();
    const m = this.newMessages(w, limit);
    if (m >= limit) return m;
    const i = countIdentitiesAfter(this.db, w.identityUpdatedAt, limit - m);
    return m + i;
  }

  /** Messages past the watermark, counted up to `limit`. */
  private newMessages(w: Watermark, limit: number): number {
    return countMessagesAfter(this.db, w.messageId, limit);
  }

  /** Whether a full build is running in the background (the index tables are being rewritten). */
  get building(): boolean {
    return this.job !== null;
  }

  /** Whether a full build has completed (and none is running). */
  isBuilt(): boolean {
    return !this.job && this.watermark().built;
  }

  /**
   * Whether the next refresh should be a full background build rather than an incremental one: none
   * has completed, or so much arrived since (a big import) that an incremental refresh would hold
   * the thread for long.
   */
  needsFullBuild(): boolean {
    if (this.job) return false;
    const w = this.watermark();
    if (!w.built) return true;
    if (this.newMessages(w, INCREMENTAL_MAX + 1) <= INCREMENTAL_MAX) return false;
    // More new than already linked (a first import or sync): rebuild. Less (a new account's mail
    // beside a big mailbox): link just the new rows, in slices; rebuilding 100,000 customers for
    // 20,000 new messages took a minute and a half of background work.
    // (Message ids only grow, so the watermark and the newest id say how many, near enough.)
    const newest = newestMessageId(this.db);
    return newest - w.messageId > w.messageId;
  }

  /** Where the background build is (for links.status and the UI). */
  status(): BuildStatus {
    const p = this.job?.progress;
    return {
      built: this.isBuilt(),
      building: this.job !== null,
      phase: p?.phase ?? null,
      done: p?.done ?? 0,
      total: p?.total ?? 0,
      error: this.lastError,
    };
  }

  /** Rebuild every customer profile and re-score every X identity (a person's decisions stay), in one go. */
  rebuildAll(): RefreshResult {
    if (this.job) throw new AppError('conflict', 'A linking build is already running in the background');
    const gen = buildSteps(this.env, { customers: READ_CHUNK, mails: READ_MAILS }, false);
    let r: IteratorResult<BuildProgress, RefreshResult>;
    this.db.transaction(() => {
      do r = gen.next();
      while (!r.done);
    })();
    return r!.value as RefreshResult;
  }

  /**
   * A full build that never holds the thread for more than a slice of a few ms: it works in short
   * transactions and yields to the event loop between them, so other calls are served meanwhile.
   * Joins the build already running, if any. Afterwards it catches up with what arrived during the
   * build (incremental refresh) and re-scores identities a person decided on meanwhile.
   */
  build(opts: { sliceMs?: number; onProgress?: (p: BuildProgress) => void } = {}): Promise<RefreshResult> {
    if (this.job) return this.job.promise;
    const sliceMs = opts.sliceMs ?? SLICE_MS;
    const job: BuildJob = { progress: { phase: 'start', done: 0, total: 0 }, promise: Promise.resolve(null as never) };
    this.job = job;
    this.lastError = null;
    job.promise = (async () => {
      const gen = buildSteps(this.env, { customers: ASYNC_READ_CHUNK, mails: READ_CHUNK_MAILS }, true);
      try {
        for (;;) {
          if (!this.db.open) throw new AppError('unavailable', 'The database was closed during the linking build');
          if (this.stopped) throw new AppError('unavailable', 'Linking was stopped during the build');
          const deadline = performance.now() + sliceMs;
          let r!: IteratorResult<BuildProgress, RefreshResult>;
          this.db.transaction(() => {
            do r = gen.next();
            while (!r.done && performance.now() < deadline);
          })();
          if (r.done) {
            // What arrived meanwhile, in slices too (a sync may have brought thousands of messages).
            const more = await this.incrementalInSlices(sliceMs);
            this.job = null;
            return this.catchUp(r.value, more);
          }
          job.progress = r.value;
          opts.onProgress?.(r.value);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (e) {
        gen.return(null as never);
        this.job = null;
        this.lastError = e instanceof Error ? e.message : String(e);
        throw e;
      }
    })();
    return job.promise;
  }

  /** After a background build: what arrived meanwhile, and identities a person decided on meanwhile. */
  private catchUp(r: RefreshResult, more: RefreshResult | null = null): RefreshResult {
    if (!this.db.open || this.stopped) return r;
    more ??= this.incremental(this.watermark());
    const changed = new Set([...r.changed, ...more.changed]);
    const conversations = new Set([...r.conversations, ...more.conversations]);
    const dirty = [...this.dirty];
    this.dirty.clear();
    for (const id of dirty) {
      const x = this.rescoreIdentity(id);
      if (x.changed) changed.add(id);
      for (const c of x.conversations) conversations.add(c);
    }
    return { ...r, scored: r.scored + more.scored, changed: [...changed], conversations: [...conversations] };
  }

  /** An incremental refresh at once, in one transaction. */
  private incremental(w: Watermark): RefreshResult {
    let out!: RefreshResult;
    this.db.transaction(() => {
      const gen = incrementalSteps(this.env, w);
      let r: IteratorResult<void, RefreshResult>;
      do r = gen.next();
      while (!r.done);
      out = r.value;
    })();
    return out;
  }

  /** Score one X identity now (e.g. after a person's decision) against the stored index. */
  rescoreIdentity(identityId: number): { changed: boolean; conversations: number[] } {
    // The stored index is being rewritten: the build re-scores the identity when it ends.
    if (this.job) {
      this.dirty.add(identityId);
      return { changed: false, conversations: [] };
    }
    return this.db.transaction(() => this.scoreIdentity(identityId))();
  }
}
