// What the at-risk list scores, read from the database: the conversations waiting on the business,
// their messages, their customers' X accounts, names and earlier public complaints, and when this
// business's customers go public. The list is read again after every sync and on every change, while
// most of it stays the same; so it is kept between calls (per database) and read again only in part:
//  - nothing written at all since the last call (repo.writeSignature): everything is reused;
//  - something written: of the waiting conversations only those whose messages changed (message_changes,
//    0391) or that changed otherwise (status, customer, tags...: conversation_changes, 0392 and 0394),
//    their rows and messages; of the customers' X accounts and
//    names only those that changed (customer_changes, 0392) or were not read before: the three kept
//    by triggers whoever writes. The complaints and the window are read again (small indexed queries).
// Only what depends on the time is worked out on every call (list.ts: goals, waits, scores), and the
// time cuts what is kept: a message dated after `now` is left out, as the fresh read leaves it out.
// `asOf` (measurements as of a past moment) and `fresh` (tests) read everything afresh.
import type { DB } from '../db/open';
import * as repo from '../db/repos/goals';
import { changedSince, lastChanges, publicComplaintAuthors, writeSignature, type ChangeKind } from '../db/repos/risk';
import { unanswered } from '../goals/goals';
import { parseTags } from '../goals/service';
import { followersOf, publicWindow, wordingOfTexts, type PublicWindow, type Wording } from './score';

export interface WaitingThread {
  conv: repo.ConversationRow;
  tags: string[];
  /** The conversation's customer (null: none). */
  customer: Customer | null;
  /** Every message stored, oldest first, and the latest time among them. */
  all: repo.MessageRow[];
  latest: number;
  /** unanswered() of `all` and its run's texts and last time, once worked out (they do not change while `all` does not). */
  run: Run | null | undefined;
}

export interface Run {
  since: number;
  inbound: number;
  kind: 'first' | 'next';
  texts: string[];
  /** The texts' threat and escalation wording (score.ts wordingOfTexts). */
  wording: Wording;
  lastAt: number;
}

/** The unanswered run of a thread's messages sent by `now` (null: the business wrote last, or nothing by then). */
export function runOf(t: WaitingThread, now: number): Run | null {
  if (t.latest <= now) return t.run !== undefined ? t.run : (t.run = runIn(t.all));
  return runIn(t.all.filter((m) => m.sentAt <= now));
}

function runIn(messages: repo.MessageRow[]): Run | null {
  const u = unanswered(messages);
  if (!u) return null;
  const run = messages.filter((m) => m.direction === 'in' && m.sentAt >= u.since);
  const texts = run.map((m) => m.text);
  return { ...u, texts, wording: wordingOfTexts(texts), lastAt: run[run.length - 1]!.sentAt };
}

export interface RiskInputs {
  threads: WaitingThread[];
  /** Conversations marked as public complaints (escalated, likely or public complaint) by customer and by X author, as of `now`. */
  publicByCustomer: Map<number, Set<number>>;
  publicByIdentity: Map<number, Set<number>>;
  window: PublicWindow;
}

/** A customer of waiting threads: its X accounts (their own and those linked or confirmed) and name, shared by its threads. */
export interface Customer {
  accounts: { identityId: number; handle: string | null; followers: number | null }[];
  name: string | null;
}

interface Kept {
  signature: string;
  /** Each kind of change's latest sequence number when this was read (message_changes, conversation_changes, customer_changes). */
  seqs: Record<ChangeKind, number>;
  /** The waiting threads, by conversation id, and as a list. */
  byId: Map<number, WaitingThread>;
  threads: WaitingThread[];
  /** The customers read (of the waiting threads, and earlier ones not changed since). */
  customers: Map<number, Customer>;
  complaints: { id: number; customerId: number | null; identityId: number | null; firstAt: number }[];
  window: PublicWindow;
  /** How many reads this database's list made so far; what the last one read: threads' messages, rows, customers. */
  reads: number;
  threadsRead: number;
  rowsRead: number;
  customersRead: number;
}

const kept = new WeakMap<DB, Kept>();

/**
 * The list's inputs at `now`: kept from the last call where nothing they depend on was written since;
 * `fresh` reads everything as the list did before it kept anything (messages and complaints sent by
 * `now`, in SQL: the tests compare the two); `asOf` reads what was stored up to `now` (measurements).
 */
export function riskInputs(db: DB, now: number, mode: 'kept' | 'fresh' | 'asOf' = 'kept'): RiskInputs {
  if (mode === 'asOf') return atNow(read(db, { upTo: now, asOf: now }), now);
  if (mode === 'fresh') return atNow(read(db, { upTo: now }), now);
  const signature = writeSignature(db);
  let k = kept.get(db);
  if (!k || k.signature !== signature) {
    const reads = (k?.reads ?? 0) + 1;
    // What was kept is brought up to date in place: if reading fails half-way, nothing is kept.
    kept.delete(db);
    k = read(db, { upTo: Number.MAX_SAFE_INTEGER, before: k ?? null });
    k.signature = signature;
    k.reads = reads;
    kept.set(db, k);
  }
  return atNow(k, now);
}

/** How many times the kept inputs were read, and what the last read read (tests, benchmarks). */
export function riskInputsReads(db: DB): { reads: number; threadsRead: number; threads: number; rowsRead: number; customersRead: number; customers: number } | null {
  const k = kept.get(db);
  return k ? { reads: k.reads, threadsRead: k.threadsRead, threads: k.threads.length, rowsRead: k.rowsRead, customersRead: k.customersRead, customers: k.customers.size } : null;
}

/**
 * Read the inputs: messages and complaints sent by `upTo`, the waiting conversations as of `asOf` (else
 * as stored). Given `before` (what the last read kept), only what changed since: the conversations that
 * started or stopped waiting or changed while waiting, the threads whose messages changed or that were
 * not waiting before, the customers whose names or X accounts changed or that were not read before.
 */
function read(db: DB, { upTo, asOf, before = null }: { upTo: number; asOf?: number; before?: Kept | null }): Kept {
  // The sequences first: whatever is written while this reads has a later one and is read next time.
  const seqs = lastChanges(db);
  const byId = before ? before.byId : new Map<number, WaitingThread>();
  const customers = before ? before.customers : new Map<number, Customer>();
  let rows: repo.ConversationRow[];
  const toRead: number[] = [];
  if (before) {
    // A conversation's last-message times and subject change with its messages: their rows are read
    // again with those of the conversations changed otherwise (0394: conversation_changes leaves them out).
    const changed = [...new Set([...changedSince(db, 'conversation', before.seqs.conversation), ...changedSince(db, 'message', before.seqs.message)])];
    rows = changed.length ? repo.waitingAmong(db, changed) : [];
    for (const id of changed) byId.delete(id);
    for (const id of changedSince(db, 'customer', before.seqs.customer)) customers.delete(id);
  } else rows = repo.waitingConversations(db, asOf);
  // Rows of threads not kept (new, changed, or their messages changed): their messages are read again.
  const fresh = new Map<number, repo.ConversationRow>();
  for (const r of rows) fresh.set(r.id, r);
  for (const id of fresh.keys()) toRead.push(id);
  const messages = new Map<number, repo.MessageRow[]>();
  for (const m of toRead.length ? repo.threadsMessages(db, toRead, upTo) : []) {
    let t = messages.get(m.conversationId);
    if (!t) messages.set(m.conversationId, (t = []));
    t.push(m);
  }
  for (const conv of fresh.values()) {
    const all = messages.get(conv.id) ?? [];
    // One object shape for every thread (run: undefined until worked out), so the scoring loop's property reads stay monomorphic.
    byId.set(conv.id, { conv, tags: parseTags(conv.tags), customer: null, all, latest: all.reduce((t, m) => Math.max(t, m.sentAt), -Infinity), run: undefined });
  }
  // The customers of the waiting threads not read yet (new, or changed since).
  const missing = new Set<number>();
  for (const t of byId.values()) if (t.conv.customerId !== null && !customers.has(t.conv.customerId)) missing.add(t.conv.customerId);
  if (missing.size) {
    const ids = [...missing];
    const names = repo.customerNames(db, ids);
    for (const id of ids) customers.set(id, { accounts: [], name: names.get(id) ?? null });
    const seen = new Map<number, Set<number>>();
    for (const a of repo.customersXAccounts(db, ids)) {
      // An account both their own and linked is listed twice: once here.
      let s = seen.get(a.customerId);
      if (!s) seen.set(a.customerId, (s = new Set()));
      if (s.has(a.identityId)) continue;
      s.add(a.identityId);
      customers.get(a.customerId)!.accounts.push({ identityId: a.identityId, handle: a.handle, followers: followersOf(a.profile) });
    }
  }
  const threads: WaitingThread[] = [];
  for (const t of byId.values()) {
    t.customer = t.conv.customerId !== null ? customers.get(t.conv.customerId)! : null;
    threads.push(t);
  }
  const complaints = upTo === Number.MAX_SAFE_INTEGER ? publicComplaintAuthors(db) : repo.publicComplaints(db, upTo).map((p) => ({ ...p, firstAt: -Infinity }));
  const window = publicWindow(repo.escalationWaits(db, asOf ?? Number.MAX_SAFE_INTEGER));
  return { signature: '', seqs, byId, threads, customers, complaints, window, reads: 0, threadsRead: toRead.length, rowsRead: rows.length, customersRead: missing.size };
}

/** What was read, as of `now`: complaints dated later left out (and messages: runOf). */
function atNow(k: Kept, now: number): RiskInputs {
  const publicByCustomer = new Map<number, Set<number>>();
  const publicByIdentity = new Map<number, Set<number>>();
  const add = (m: Map<number, Set<number>>, key: number | null, v: number) => {
    if (key === null) return;
    let s = m.get(key);
    if (!s) m.set(key, (s = new Set()));
    s.add(v);
  };
  for (const p of k.complaints) {
    if (p.firstAt > now) continue;
    add(publicByCustomer, p.customerId, p.id);
    add(publicByIdentity, p.identityId, p.id);
  }
  return { threads: k.threads, publicByCustomer, publicByIdentity, window: k.window };
}
