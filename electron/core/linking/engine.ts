// The linking engine: keeps the customer index current, scores X identities against it, stores
// engine decisions in `links` (never touching a person's decision), moves linked X identities into
// their email customer, and marks escalations.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import { markEscalations } from './escalation';
import { MemoryIndex, SqlIndex, type LinkIndex } from './index-store';
import { createReader, type Reader } from './inputs';
import { scoreAgainst, xKeys } from './match';
import { buildCustomerProfile, buildXFeatures, customerKeys, type CustomerInput, type CustomerProfile } from './profile';
import { AUTO_LINK_TOTAL, decide, scorePair, type PairScore } from './score';
import { calibrate, strangerLogOdds } from './calibrate';
import { readTuning, writeTuning, type Tuning } from './feedback';
import { q, qp } from './stmt';
import { AppError } from '../../../shared/contract/errors';

export interface LinkRow {
  id: number;
  identity_id: number;
  customer_id: number;
  state: 'suggested' | 'linked' | 'confirmed' | 'rejected' | 'unlinked';
  score: number;
  evidence: string;
  decided_by: 'engine' | 'user';
  previous: string | null;
  created_at: number;
  updated_at: number;
}

export interface RefreshResult {
  /** Customers whose profile was rebuilt. */
  customers: number;
  /** X identities scored. */
  scored: number;
  /** X identities whose links or suggestions changed. */
  changed: number[];
  /** Conversations whose customer or escalation changed. */
  conversations: number[];
  ms: number;
}

/** Keys too weak to re-score X identities by when a customer's profile changes. */
const WEAK_KEY = /^(w|fn):/;
/** Customers read per range query during a full re-link, and the mails such a read should bring at most (memory). */
const READ_CHUNK = 1000;
const READ_MAILS = 20_000;
/** Keys kept only as frequencies (link_df), not as index rows (link_keys). */
const DF_ONLY = /^w:/;
const META_KEY = 'watermark';
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
/** Index rows deleted per step when a build clears the old index. */
const DELETE_CHUNK = 4000;
/** How long a background build holds the thread before yielding to the event loop. */
const SLICE_MS = 8;

export interface BuildProgress {
  phase: 'start' | 'profiles' | 'index' | 'scoring' | 'decisions';
  /** Steps done of total: customers profiled, then X identities scored, then decisions written. */
  done: number;
  total: number;
}

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

interface Watermark {
  messageId: number;
  identityUpdatedAt: number;
  /** Set once a full build has run. */
  built: boolean;
}

export class LinkEngine {
  private readonly sqlIndex: SqlIndex;
  /** Set when a refresh added or removed a customer profile (the index size changed). */
  private sizeChanged = false;
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
    const input = createReader(this.db).xIdentity(identityId);
    const p = this.sqlIndex.profile(customerId);
    if (!input || !p) return null;
    return scorePair(buildXFeatures(input), p, (k) => this.sqlIndex.df(k), { customers: this.sqlIndex.size(), shifts: this.tuning().shifts });
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
      while (i < ids.length && this.db.open) {
        if (this.job) {
          for (const id of ids.slice(i)) this.dirty.add(id);
          break;
        }
        const reader = createReader(this.db);
        const deadline = performance.now() + sliceMs;
        this.db.transaction(() => {
          do {
            const id = ids[i++]!;
            const r = this.scoreIdentity(id, this.sqlIndex, reader);
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
    return this.rescoring.then(() => undefined, () => undefined);
  }

  /** X identities with the engine's suggestions and no link: re-scored after the weights moved. */
  pendingIdentities(): number[] {
    return qp(this.db, "SELECT DISTINCT identity_id FROM links WHERE decided_by = 'engine' AND state = 'suggested' AND identity_id NOT IN (SELECT identity_id FROM links WHERE state IN ('linked', 'confirmed'))").all() as number[];
  }

  private watermark(): Watermark {
    const v = qp(this.db, 'SELECT value FROM link_meta WHERE key = ?').get(META_KEY) as string | undefined;
    return parseJson<Watermark>(v, { messageId: 0, identityUpdatedAt: 0, built: false });
  }

  private setWatermark(w: Watermark): void {
    q(this.db, 'INSERT INTO link_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(META_KEY, JSON.stringify(w));
  }

  private currentMarks(): { messageId: number; identityUpdatedAt: number } {
    const messageId = (qp(this.db, 'SELECT coalesce(max(id), 0) FROM messages').get() as number) ?? 0;
    const identityUpdatedAt = (qp(this.db, 'SELECT coalesce(max(updated_at), 0) FROM identities').get() as number) ?? 0;
    return { messageId, identityUpdatedAt };
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
    const run = (async (): Promise<RefreshResult | null> => {
      let total: RefreshResult | null = null;
      try {
        do {
          this.slicedAgain = false;
          if (this.job || !this.db.open) return total;
          if (!this.watermark().built) return total;
          const r = await this.incrementalInSlices(sliceMs, () => this.job !== null);
          if (!r) return total;
          total = total
            ? { customers: total.customers + r.customers, scored: total.scored + r.scored, changed: [...new Set([...total.changed, ...r.changed])], conversations: [...new Set([...total.conversations, ...r.conversations])], ms: total.ms + r.ms }
            : r;
        } while (this.slicedAgain);
        return total;
      } finally {
        this.sliced = null;
      }
    })();
    this.sliced = run;
    return run;
  }

  /** One incremental pass from the watermark, in slices; null when `stop` said to or the database closed. */
  private async incrementalInSlices(sliceMs: number, stop: () => boolean = () => false): Promise<RefreshResult | null> {
    const gen = this.incrementalSteps(this.watermark());
    for (;;) {
      if (stop() || !this.db.open) {
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
    const i = qp(this.db, 'SELECT count(*) FROM (SELECT 1 FROM identities WHERE updated_at > ? LIMIT ?)').get(w.identityUpdatedAt, limit - m) as number;
    return m + i;
  }

  /** Messages past the watermark, counted up to `limit`. */
  private newMessages(w: Watermark, limit: number): number {
    return qp(this.db, 'SELECT count(*) FROM (SELECT 1 FROM messages WHERE id > ? LIMIT ?)').get(w.messageId, limit) as number;
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
    const newest = qp(this.db, 'SELECT coalesce(max(id), 0) FROM messages').get() as number;
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
    const gen = this.buildSteps({ customers: READ_CHUNK, mails: READ_MAILS }, false);
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
      const gen = this.buildSteps({ customers: ASYNC_READ_CHUNK, mails: READ_CHUNK_MAILS }, true);
      try {
        for (;;) {
          if (!this.db.open) throw new AppError('unavailable', 'The database was closed during the linking build');
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
    if (!this.db.open) return r;
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

  /**
   * The steps of a full build. Every `yield` is a point where the driver may commit and let other
   * work run: nothing between two yields depends on the database staying unchanged across them, and
   * rows a person may have decided on meanwhile are read again when the decision is written.
   */
  private *buildSteps(
    /** Customers per read at most, and the mails a read should bring at most (a read is one step). */
    readChunk: { customers: number; mails: number },
    /**
     * Keep only the keys in memory, not the parsed profiles, and score against the stored index: a
     * background build then leaves the garbage collector far fewer objects to mark (its pauses, not
     * the slices, were the longest stalls at 100,000 customers). A bit slower; the same result.
     */
    lean: boolean,
  ): Generator<BuildProgress, RefreshResult, void> {
    const t0 = performance.now();
    const marks = this.currentMarks();
    const reader = createReader(this.db);
    const mem = new MemoryIndex();
    const kept = new Set<number>();
    const now = this.now();
    const customerIds = reader.emailCustomerIds();
    const xs = reader.xIdentityIds();
    const total = customerIds.length + 2 * xs.length;
    // Until this build completes, a restart builds again; the index tables are not read meanwhile.
    this.setWatermark({ ...this.watermark(), built: false });
    this.sqlIndex.reset();
    // The old index goes a range of rows at a time (a million rows at once would hold the thread).
    for (const [table, col] of [['link_keys', 'key'], ['link_df', 'key'], ['link_xkeys', 'key'], ['link_xstate', 'identity_id']] as const) {
      const del = q(this.db, `DELETE FROM ${table} WHERE ${col} <= (SELECT ${col} FROM ${table} ORDER BY ${col} LIMIT 1 OFFSET ${DELETE_CHUNK - 1})`);
      while (del.run().changes > 0) yield { phase: 'start', done: 0, total };
      q(this.db, `DELETE FROM ${table}`).run();
    }
    yield { phase: 'profiles', done: 0, total };
    const upsertProfile = q(this.db, 'INSERT INTO link_profiles (customer_id, profile, keys, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(customer_id) DO UPDATE SET profile = excluded.profile, keys = excluded.keys, updated_at = excluded.updated_at');
    // Customers are read a chunk of ids at a time (a few range queries instead of two per customer),
    // fewer at a time when they have much mail (a company's address can carry thousands of
    // messages: 64 such customers held a slice for a second), with a step after each customer.
    let chunk = new Map<number, CustomerInput>();
    let step = Math.min(readChunk.customers, 4); // grows while chunks stay light
    let nextRead = 0;
    for (let i = 0; i < customerIds.length; i++) {
      const id = customerIds[i]!;
      if (i === nextRead) {
        const hi = Math.min(i + step, customerIds.length) - 1;
        chunk = reader.customersInRange(id, customerIds[hi]!);
        nextRead = hi + 1;
        let mails = 0;
        for (const c of chunk.values()) mails += c.messages.length;
        step = mails > readChunk.mails ? Math.max(1, step >> 1) : mails < readChunk.mails / 4 ? Math.min(readChunk.customers, step * 2) : step;
        yield { phase: 'profiles', done: i, total };
      }
      const input = chunk.get(id);
      if (input) {
        const p = buildCustomerProfile(input);
        const keys = customerKeys(p);
        if (lean) mem.addKeys(id, keys);
        else mem.add(p, keys);
        kept.add(id);
        upsertProfile.run(id, JSON.stringify(p), JSON.stringify(keys), now);
      }
      yield { phase: 'profiles', done: i + 1, total };
    }
    // Profiles of customers that are no longer email customers.
    const stored = qp(this.db, 'SELECT customer_id FROM link_profiles').all() as number[];
    for (let i = 0; i < stored.length; i++) {
      if (!kept.has(stored[i]!)) q(this.db, 'DELETE FROM link_profiles WHERE customer_id = ?').run(stored[i]!);
      if ((i + 1) % 4096 === 0) yield { phase: 'index', done: customerIds.length, total };
    }
    yield { phase: 'index', done: customerIds.length, total };
    // Keys in sorted order: the B-trees grow at their end instead of splitting pages everywhere.
    // Sorted a bucket (key prefix) at a time: sorting a million keys at once would hold the thread.
    const buckets = new Map<string, string[]>();
    let n = 0;
    for (const key of mem.keys.keys()) {
      const b = key.slice(0, 5);
      const l = buckets.get(b);
      if (l) l.push(key);
      else buckets.set(b, [key]);
      if (++n % 8192 === 0) yield { phase: 'index', done: customerIds.length, total };
    }
    const insKey = q(this.db, 'INSERT INTO link_keys (key, customer_id) VALUES (?, ?)');
    const insDf = q(this.db, 'INSERT INTO link_df (key, n) VALUES (?, ?)');
    for (const b of [...buckets.keys()].sort()) {
      const keys = buckets.get(b)!.sort();
      yield { phase: 'index', done: customerIds.length, total };
      for (const key of keys) {
        const ids = mem.keys.get(key)!;
        insDf.run(key, ids.length);
        // Topic words only need their frequency: they never find candidates.
        if (!DF_ONLY.test(key)) for (const id of ids) insKey.run(key, id);
        if (++n % 256 === 0) yield { phase: 'index', done: customerIds.length, total };
      }
    }
    // Lean: the stored index answers from here on (the same keys, frequencies and profiles).
    let index: LinkIndex = mem;
    if (lean) {
      mem.keys.clear();
      buckets.clear();
      this.sqlIndex.reset();
      index = this.sqlIndex;
    }
    yield { phase: 'scoring', done: customerIds.length, total };
    const changed: number[] = [];
    const conversations = new Set<number>();
    const xkeys: [string, number][] = [];
    const pending: PendingDecision[] = [];
    for (let i = 0; i < xs.length; i++) {
      this.scoreIdentity(xs[i]!, index, reader, xkeys, pending);
      yield { phase: 'scoring', done: customerIds.length + i + 1, total };
    }
    // Calibrate the decision to this mailbox (calibrate.ts) and decide again with it.
    {
      const size = index.size();
      const cal = calibrate(pending.map((d) => (d.rows.some((r) => r.decided_by === 'user' && (r.state === 'linked' || r.state === 'confirmed')) ? [{ total: 50 }] : d.link ? [d.link, ...d.suggestions] : d.suggestions)), size);
      this.setTuning({ ...this.tuning(), calibration: cal });
      const stranger = strangerLogOdds(cal, size);
      for (const d of pending) {
        if (!d.link && !d.suggestions.length) continue;
        const again = decide(d.link ? [d.link, ...d.suggestions] : d.suggestions, { strangerLogOdds: stranger });
        d.link = again.link;
        d.suggestions = again.suggestions;
      }
    }
    // Name-based links are made only where they are the customer's one X account: not beside a
    // link on strong evidence or a person's link, and not when two X accounts claim the same name.
    const firm = new Set<number>(
      qp(this.db, "SELECT customer_id FROM links WHERE decided_by = 'user' AND state IN ('linked', 'confirmed')").all() as number[],
    );
    const claims = new Map<number, number>();
    for (const d of pending) {
      if (!d.link) continue;
      if (nameBased(d.link)) claims.set(d.link.customerId, (claims.get(d.link.customerId) ?? 0) + 1);
      else firm.add(d.link.customerId);
    }
    for (const d of pending) {
      if (d.link && nameBased(d.link) && (firm.has(d.link.customerId) || claims.get(d.link.customerId)! > 1)) demote(d);
    }
    yield { phase: 'decisions', done: customerIds.length + xs.length, total };
    const rowsOf = q(this.db, 'SELECT * FROM links WHERE identity_id = ?');
    for (let i = 0; i < pending.length; i++) {
      const d = pending[i]!;
      // A person may have decided on this identity since it was scored: score it again then.
      const fresh = rowsOf.all(d.identityId) as LinkRow[];
      const r = userRowsKey(fresh) === userRowsKey(d.rows) ? this.writeDecision({ ...d, rows: fresh }) : this.scoreIdentity(d.identityId, index, reader);
      if (r.changed) changed.push(d.identityId);
      for (const c of r.conversations) conversations.add(c);
      yield { phase: 'decisions', done: customerIds.length + xs.length + i + 1, total };
    }
    xkeys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    const insX = q(this.db, 'INSERT OR IGNORE INTO link_xkeys (key, identity_id) VALUES (?, ?)');
    for (let i = 0; i < xkeys.length; i++) {
      insX.run(xkeys[i]![0], xkeys[i]![1]);
      if ((i + 1) % 1024 === 0) yield { phase: 'decisions', done: total, total };
    }
    this.sqlIndex.reset();
    this.setWatermark({ ...marks, built: true });
    return { customers: customerIds.length, scored: xs.length, changed, conversations: [...conversations], ms: performance.now() - t0 };
  }

  /** An incremental refresh at once, in one transaction. */
  private incremental(w: Watermark): RefreshResult {
    let out!: RefreshResult;
    this.db.transaction(() => {
      const gen = this.incrementalSteps(w);
      let r: IteratorResult<void, RefreshResult>;
      do r = gen.next();
      while (!r.done);
      out = r.value;
    })();
    return out;
  }

  /**
   * The steps of an incremental refresh: every `yield` is a point where the driver may commit and
   * let other work run (refreshInSlices). The watermark moves in the last step only, so a refresh
   * cut short is done again, whole, by the next one.
   */
  private *incrementalSteps(w: Watermark): Generator<void, RefreshResult> {
    const t0 = performance.now();
    const marks = this.currentMarks();
    if (marks.messageId <= w.messageId && marks.identityUpdatedAt <= w.identityUpdatedAt) {
      return { customers: 0, scored: 0, changed: [], conversations: [], ms: performance.now() - t0 };
    }
    const reader = createReader(this.db);
    const touchedCustomers = new Set<number>();
    const touchedX = new Set<number>();
    /** X conversations the business wrote in: an answer there can end their escalation. */
    const answeredX = new Set<number>();
    // New messages: email → the customers they belong to; X → their authors.
    const newMsgs = q(this.db, `SELECT m.channel, m.direction, m.conversation_id, m.author_identity_id, i.customer_id AS author_customer, i.kind AS author_kind, i.is_self,
                c.customer_id AS conv_customer
         FROM messages m LEFT JOIN identities i ON i.id = m.author_identity_id JOIN conversations c ON c.id = m.conversation_id
         WHERE m.id > ?`)
      .all(w.messageId) as {
      channel: 'email' | 'x';
      direction: 'in' | 'out';
      conversation_id: number;
      author_identity_id: number | null;
      author_customer: number | null;
      author_kind: 'email' | 'x' | null;
      is_self: number | null;
      conv_customer: number | null;
    }[];
    for (const m of newMsgs) {
      if (m.channel === 'email') {
        if (m.conv_customer) touchedCustomers.add(m.conv_customer);
        if (m.author_customer && m.author_kind === 'email' && !m.is_self) touchedCustomers.add(m.author_customer);
      } else if (m.direction === 'in' && m.author_identity_id && m.author_kind === 'x') touchedX.add(m.author_identity_id);
      else if (m.direction === 'out') answeredX.add(m.conversation_id);
    }
    // Changed identities (new addresses, names, X profiles).
    const changedIds = q(this.db, 'SELECT id, kind, customer_id, is_self FROM identities WHERE updated_at > ?')
      .all(w.identityUpdatedAt) as { id: number; kind: 'email' | 'x'; customer_id: number; is_self: number }[];
    for (const i of changedIds) {
      // An address that turned out to be the business's own: its customer's profile goes, and the
      // X accounts linked or suggested to it are scored again.
      if (i.is_self) {
        if (i.kind === 'email') touchedCustomers.add(i.customer_id);
        continue;
      }
      if (i.kind === 'email') touchedCustomers.add(i.customer_id);
      else touchedX.add(i.id);
    }
    yield;
    const changed: number[] = [];
    const conversations = new Set<number>();
    {
      const keysChanged = new Set<number>();
      for (const cid of touchedCustomers) {
        const diff = this.reindexCustomer(cid, reader);
        if (!diff) continue;
        keysChanged.add(cid);
        // X identities that can see a different result: those sharing a changed key and those already tied to the customer.
        const byKey = qp(this.db, 'SELECT identity_id FROM link_xkeys WHERE key = ?');
        for (const k of diff) if (!WEAK_KEY.test(k)) for (const xid of byKey.all(k) as number[]) touchedX.add(xid);
        for (const xid of qp(this.db, 'SELECT identity_id FROM links WHERE customer_id = ?').all(cid) as number[]) touchedX.add(xid);
        yield;
      }
      // Cached frequencies and profiles stay valid while no customer changed.
      if (keysChanged.size) this.sqlIndex.reset(this.sizeChanged);
      this.sizeChanged = false;
      for (const xid of touchedX) {
        const r = this.scoreIdentity(xid, this.sqlIndex, reader);
        if (r.changed) changed.push(xid);
        for (const c of r.conversations) conversations.add(c);
        yield;
      }
      // New mail of a linked or suggested customer can open or close an escalation (or a likely one).
      for (const cid of touchedCustomers) {
        const linked = qp(this.db, "SELECT DISTINCT identity_id FROM links WHERE customer_id = ? AND state IN ('linked', 'confirmed', 'suggested')")
          .all(cid) as number[];
        for (const xid of linked) for (const c of markEscalations(this.db, xid, this.now())) conversations.add(c);
        if (linked.length) yield;
      }
      // A business reply on X answers the customer's posts in that conversation.
      const authors = qp(this.db, "SELECT DISTINCT m.author_identity_id FROM messages m JOIN identities i ON i.id = m.author_identity_id WHERE m.conversation_id = ? AND m.direction = 'in' AND i.kind = 'x'");
      for (const convId of answeredX) {
        for (const xid of authors.all(convId) as number[]) {
          if (touchedX.has(xid)) continue;
          for (const c of markEscalations(this.db, xid, this.now())) conversations.add(c);
        }
      }
      this.setWatermark({ ...marks, built: true });
    }
    return { customers: touchedCustomers.size, scored: touchedX.size, changed, conversations: [...conversations], ms: performance.now() - t0 };
  }

  /** Rebuild one customer's profile and keys; returns the keys added or removed (null when none). */
  private reindexCustomer(customerId: number, reader: Reader): string[] | null {
    const old = q(this.db, 'SELECT profile, keys FROM link_profiles WHERE customer_id = ?').get(customerId) as
      | { profile: string; keys: string }
      | undefined;
    const oldKeys = new Set(parseJson<string[]>(old?.keys, []));
    const input = reader.customer(customerId);
    const delRow = q(this.db, 'DELETE FROM link_keys WHERE key = ? AND customer_id = ?');
    const insRow = q(this.db, 'INSERT OR IGNORE INTO link_keys (key, customer_id) VALUES (?, ?)');
    const dfDown = q(this.db, 'UPDATE link_df SET n = n - 1 WHERE key = ?');
    const dfGone = q(this.db, 'DELETE FROM link_df WHERE key = ? AND n <= 0');
    const dfUp = q(this.db, 'INSERT INTO link_df (key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1');
    const delKey = (k: string, id: number) => {
      if (DF_ONLY.test(k)) {
        dfDown.run(k);
        dfGone.run(k);
      } else if (delRow.run(k, id).changes) {
        dfDown.run(k);
        dfGone.run(k);
      }
    };
    const insKey = (k: string, id: number) => {
      if (DF_ONLY.test(k) || insRow.run(k, id).changes) dfUp.run(k);
    };
    if (!input) {
      if (!old) return null;
      this.sizeChanged = true;
      for (const k of oldKeys) delKey(k, customerId);
      q(this.db, 'DELETE FROM link_profiles WHERE customer_id = ?').run(customerId);
      return [...oldKeys];
    }
    const p = buildCustomerProfile(input);
    const keys = customerKeys(p);
    const text = JSON.stringify(p);
    if (old && old.profile === text) return null;
    if (!old) this.sizeChanged = true;
    const newKeys = new Set(keys);
    const diff: string[] = [];
    for (const k of oldKeys) {
      if (newKeys.has(k)) continue;
      delKey(k, customerId);
      diff.push(k);
    }
    for (const k of newKeys) {
      if (oldKeys.has(k)) continue;
      insKey(k, customerId);
      diff.push(k);
    }
    q(this.db, 'INSERT INTO link_profiles (customer_id, profile, keys, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(customer_id) DO UPDATE SET profile = excluded.profile, keys = excluded.keys, updated_at = excluded.updated_at')
      .run(customerId, text, JSON.stringify(keys), this.now());
    // A changed profile can change the scores of X identities tied to it even without new keys.
    return diff.length ? diff : ['(profile)'];
  }

  /** Score one X identity now (e.g. after a person's decision) against the stored index. */
  rescoreIdentity(identityId: number): { changed: boolean; conversations: number[] } {
    // The stored index is being rewritten: the build re-scores the identity when it ends.
    if (this.job) {
      this.dirty.add(identityId);
      return { changed: false, conversations: [] };
    }
    const reader = createReader(this.db);
    return this.db.transaction(() => this.scoreIdentity(identityId, this.sqlIndex, reader))();
  }

  /** Score one X identity and store the engine's decision. */
  private scoreIdentity(
    identityId: number,
    index: LinkIndex,
    reader: Reader,
    /** During a full rebuild: collect the X keys here, to insert them sorted at the end. */
    collectKeys?: [string, number][],
    /** During a full rebuild: collect the decision here instead of writing it. */
    defer?: PendingDecision[],
  ): { changed: boolean; conversations: number[] } {
    const input = reader.xIdentity(identityId);
    if (!input) return { changed: false, conversations: [] };
    const x = buildXFeatures(input);
    const keys = xKeys(x);
    // Remember the keys for incremental re-scoring.
    const oldKeys = parseJson<string[]>(
      qp(this.db, 'SELECT keys FROM link_xstate WHERE identity_id = ?').get(identityId) as string | undefined,
      [],
    );
    const strongKeys = keys.filter((k) => !WEAK_KEY.test(k));
    const delX = q(this.db, 'DELETE FROM link_xkeys WHERE key = ? AND identity_id = ?');
    const insX = q(this.db, 'INSERT OR IGNORE INTO link_xkeys (key, identity_id) VALUES (?, ?)');
    const strongSet = new Set(strongKeys);
    for (const k of oldKeys) if (!strongSet.has(k)) delX.run(k, identityId);
    const oldSet = new Set(oldKeys);
    for (const k of strongKeys) {
      if (oldSet.has(k)) continue;
      if (collectKeys) collectKeys.push([k, identityId]);
      else insX.run(k, identityId);
    }
    q(this.db, 'INSERT INTO link_xstate (identity_id, keys, scored_at) VALUES (?, ?, ?) ON CONFLICT(identity_id) DO UPDATE SET keys = excluded.keys, scored_at = excluded.scored_at')
      .run(identityId, JSON.stringify(strongKeys), this.now());

    const rows = q(this.db, 'SELECT * FROM links WHERE identity_id = ?').all(identityId) as LinkRow[];
    const userRows = rows.filter((r) => r.decided_by === 'user');
    const personLinked = userRows.some((r) => r.state === 'confirmed' || r.state === 'linked');
    const blocked = new Set(userRows.map((r) => r.customer_id));
    let link: PairScore | null = null;
    let suggestions: PairScore[] = [];
    if (!personLinked) {
      const t = this.tuning();
      const d = decide(scoreAgainst(x, index, blocked, t.shifts), { strangerLogOdds: strangerLogOdds(t.calibration, index.size()) });
      link = d.link;
      suggestions = d.suggestions;
    }
    const pending: PendingDecision = { identityId, rows, link, suggestions };
    if (defer) {
      defer.push(pending);
      return { changed: false, conversations: [] };
    }
    // A link on a name backed by context is not made to a customer another X account is linked to.
    if (link && nameBased(link)) {
      const taken = q(this.db, "SELECT 1 FROM links WHERE customer_id = ? AND identity_id != ? AND state IN ('linked', 'confirmed')").get(
        link.customerId,
        identityId,
      );
      if (taken) demote(pending);
    }
    return this.writeDecision(pending);
  }

  private writeDecision(d: PendingDecision): { changed: boolean; conversations: number[] } {
    const changed = this.writeEngineRows(d.identityId, d.rows, d.link, d.suggestions);
    const conversations = applyMembership(this.db, d.identityId, this.now());
    return { changed, conversations };
  }

  /** Replace the engine's rows for an identity by a new decision; rows a person decided stay. */
  private writeEngineRows(identityId: number, rows: LinkRow[], link: PairScore | null, suggestions: PairScore[]): boolean {
    const now = this.now();
    const want = new Map<number, { state: 'linked' | 'suggested'; s: PairScore }>();
    if (link) want.set(link.customerId, { state: 'linked', s: link });
    for (const s of suggestions) if (!want.has(s.customerId)) want.set(s.customerId, { state: 'suggested', s });
    let changed = false;
    const byCustomer = new Map(rows.map((r) => [r.customer_id, r]));
    for (const r of rows) {
      if (r.decided_by !== 'engine') continue;
      if (!want.has(r.customer_id)) {
        q(this.db, 'DELETE FROM links WHERE id = ?').run(r.id);
        changed = true;
      }
    }
    for (const [cid, { state, s }] of want) {
      const evidence = JSON.stringify(s.evidence.map((e) => e.text));
      const r = byCustomer.get(cid);
      if (r && r.decided_by === 'user') continue;
      if (r) {
        if (r.state !== state || r.score !== s.score || r.evidence !== evidence) {
          q(this.db, 'UPDATE links SET state = ?, score = ?, evidence = ?, updated_at = ? WHERE id = ?').run(state, s.score, evidence, now, r.id);
          changed = true;
        }
      } else {
        // A customer merged away or deleted while a background build ran.
        if (!q(this.db, 'SELECT 1 FROM customers WHERE id = ?').get(cid)) continue;
        q(this.db, "INSERT INTO links (identity_id, customer_id, state, score, evidence, decided_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'engine', ?, ?)")
          .run(identityId, cid, state, s.score, evidence, now, now);
        changed = true;
      }
    }
    return changed;
  }
}

interface PendingDecision {
  identityId: number;
  rows: LinkRow[];
  link: PairScore | null;
  suggestions: PairScore[];
}

/** A person's rows of an identity, to notice a decision made while a build ran. */
function userRowsKey(rows: LinkRow[]): string {
  return rows
    .filter((r) => r.decided_by === 'user')
    .map((r) => `${r.id}:${r.customer_id}:${r.state}:${r.updated_at}`)
    .sort()
    .join(',');
}

/** A link made on a name backed by context rather than one strong piece of evidence. */
function nameBased(link: PairScore): boolean {
  return !(link.strong && link.total >= AUTO_LINK_TOTAL);
}

/** Turn an automatic link into the top suggestion. */
function demote(d: PendingDecision): void {
  if (!d.link) return;
  d.suggestions = [d.link, ...d.suggestions.filter((s) => s.customerId !== d.link!.customerId)];
  d.link = null;
}

/**
 * Put an X identity (and its X conversations) into the customer it is linked to, or back into its
 * own customer when it is not linked; then refresh its escalations. Returns conversations changed.
 */
export function applyMembership(db: DB, identityId: number, now: number): number[] {
  const ident = q(db, "SELECT id, customer_id, x_user_id FROM identities WHERE id = ? AND kind = 'x'").get(identityId) as
    | { id: number; customer_id: number; x_user_id: string }
    | undefined;
  if (!ident) return [];
  const linked = qp(db, "SELECT customer_id FROM links WHERE identity_id = ? AND state IN ('confirmed', 'linked') ORDER BY state = 'confirmed' DESC, decided_by = 'user' DESC, updated_at DESC LIMIT 1")
    .get(identityId) as number | undefined;
  const home = qp(db, 'SELECT home_customer_id FROM link_homes WHERE identity_id = ?').get(identityId) as number | undefined;
  let target: number;
  if (linked !== undefined) target = linked;
  else if (home !== undefined) target = restoreHome(db, identityId, home, now);
  else target = ident.customer_id;
  const changed: number[] = [];
  if (target !== ident.customer_id) {
    if (home === undefined) q(db, 'INSERT INTO link_homes (identity_id, home_customer_id) VALUES (?, ?)').run(identityId, ident.customer_id);
    q(db, 'UPDATE identities SET customer_id = ? WHERE id = ?').run(target, identityId);
    const convs = xConversationsOf(db, identityId, ident.x_user_id, ident.customer_id);
    const upd = q(db, 'UPDATE conversations SET customer_id = ?, updated_at = ? WHERE id = ?');
    for (const c of convs) {
      upd.run(target, now, c);
      changed.push(c);
    }
  }
  // The X-only customer the identity came from, left empty by the link, goes (kept for unlink/undo).
  if (linked !== undefined) {
    const h = home ?? (target !== ident.customer_id ? ident.customer_id : undefined);
    if (h !== undefined && h !== target) removeEmptyHome(db, identityId, h);
  }
  for (const c of markEscalations(db, identityId, now)) if (!changed.includes(c)) changed.push(c);
  return changed;
}

const homeKey = (identityId: number) => `home:${identityId}`;

/**
 * Remove every emptied X-only customer of a linked X identity (databases linked before they were
 * removed at link time). Returns the ids of the customers that went.
 */
export function removeEmptyHomes(db: DB): number[] {
  const rows = q(
    db,
    `SELECT h.identity_id, h.home_customer_id FROM link_homes h JOIN identities i ON i.id = h.identity_id
     WHERE i.customer_id != h.home_customer_id AND EXISTS (SELECT 1 FROM customers c WHERE c.id = h.home_customer_id)
       AND EXISTS (SELECT 1 FROM links l WHERE l.identity_id = h.identity_id AND l.state IN ('linked', 'confirmed'))`,
  ).all() as { identity_id: number; home_customer_id: number }[];
  const gone: number[] = [];
  db.transaction(() => {
    for (const r of rows) {
      removeEmptyHome(db, r.identity_id, r.home_customer_id);
      if (!q(db, 'SELECT 1 FROM customers WHERE id = ?').get(r.home_customer_id)) gone.push(r.home_customer_id);
    }
  })();
  return gone;
}

/**
 * Delete an X identity's former customer once nothing is left in it (no identity, conversation or
 * link), remembering its row so that unlink or undo brings it back as it was.
 */
function removeEmptyHome(db: DB, identityId: number, homeId: number): void {
  const row = q(db, 'SELECT id, display_name, created_at, updated_at FROM customers WHERE id = ?').get(homeId) as
    | { id: number; display_name: string; created_at: number; updated_at: number }
    | undefined;
  if (!row) return;
  const used = qp(
    db,
    `SELECT EXISTS (SELECT 1 FROM identities WHERE customer_id = @id) OR EXISTS (SELECT 1 FROM conversations WHERE customer_id = @id)
       OR EXISTS (SELECT 1 FROM links WHERE customer_id = @id)`,
  )
    .get({ id: homeId }) as number;
  if (used) return;
  q(db, 'INSERT INTO link_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(homeKey(identityId), JSON.stringify(row));
  q(db, 'DELETE FROM customers WHERE id = ?').run(homeId);
}

/**
 * The customer an X identity returns to when it is no longer linked: its former customer, brought
 * back with the same id, name and times when it was removed (a new id only if that one was taken).
 */
function restoreHome(db: DB, identityId: number, homeId: number, now: number): number {
  if (q(db, 'SELECT 1 FROM customers WHERE id = ?').get(homeId)) return homeId;
  const saved = parseJson<{ id: number; display_name: string; created_at: number; updated_at: number } | null>(
    qp(db, 'SELECT value FROM link_meta WHERE key = ?').get(homeKey(identityId)) as string | undefined,
    null,
  );
  const name =
    saved?.display_name ??
    (qp(db, "SELECT coalesce(nullif(display_name, ''), '@' || handle, x_user_id) FROM identities WHERE id = ?").get(identityId) as string);
  const id = Number(
    q(db, 'INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
      saved?.id === homeId ? homeId : null,
      name,
      saved?.created_at ?? now,
      saved?.updated_at ?? now,
    ).lastInsertRowid,
  );
  q(db, 'DELETE FROM link_meta WHERE key = ?').run(homeKey(identityId));
  if (id !== homeId) q(db, 'UPDATE link_homes SET home_customer_id = ? WHERE identity_id = ?').run(id, identityId);
  return id;
}

/** The X conversations an X identity takes part in as the customer (among its current customer's). */
export function xConversationsOf(db: DB, identityId: number, xUserId: string, customerId: number): number[] {
  return qp(
    db,
    `SELECT id FROM conversations WHERE customer_id = ? AND channel = 'x' AND (
       id IN (SELECT conversation_id FROM messages WHERE author_identity_id = ?)
       OR (kind = 'dm' AND ('-' || external_id || '-') LIKE ?))`,
  )
    .all(customerId, identityId, `%-${xUserId}-%`) as number[];
}

export type { CustomerProfile };
