// What the at-risk list scores, read from the database: the conversations waiting on the business,
// their messages, their customers' X accounts, names and earlier public complaints, and when this
// business's customers go public. The list is read again after every sync and on every change, while
// most of it stays the same; so it is kept between calls (per database) and read again only in part:
//  - nothing written at all since the last call (repo.writeSignature): everything is reused;
//  - something written: the waiting conversations, accounts, complaints, names and the window are
//    read again (a few small indexed queries), and of the threads only those whose messages changed
//    (message_changes, kept by triggers whoever writes: migration 0391) or that were not waiting before.
// Only what depends on the time is worked out on every call (list.ts: goals, waits, scores), and the
// time cuts what is kept: a message dated after `now` is left out, as the fresh read leaves it out.
// `asOf` (measurements as of a past moment) and `fresh` (tests) read everything afresh.
import type { DB } from '../db/open';
import * as repo from '../db/repos/goals';
import { lastMessageChange, messagesChangedSince, publicComplaintAuthors, writeSignature } from '../db/repos/risk';
import { unanswered } from '../goals/goals';
import { parseTags } from '../goals/service';
import { followersOf, publicWindow, wordingOfTexts, type PublicWindow, type Wording } from './score';

export interface WaitingThread {
  conv: repo.ConversationRow;
  tags: string[];
  /** The customer's X accounts (their own and those linked or confirmed). */
  accounts: { identityId: number; handle: string | null; followers: number | null }[];
  customerName: string | null;
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

interface Kept {
  signature: string;
  /** message_changes' sequence when the threads were read. */
  seq: number;
  threads: WaitingThread[];
  complaints: { id: number; customerId: number | null; identityId: number | null; firstAt: number }[];
  window: PublicWindow;
  /** How many reads this database's list made so far, and how many threads' messages the last one read. */
  reads: number;
  threadsRead: number;
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
    k = read(db, { upTo: Number.MAX_SAFE_INTEGER, before: k ?? null });
    k.signature = signature;
    k.reads = reads;
    kept.set(db, k);
  }
  return atNow(k, now);
}

/** How many times the kept inputs were read, and how many of their threads the last read read (tests, benchmarks). */
export function riskInputsReads(db: DB): { reads: number; threadsRead: number; threads: number } | null {
  const k = kept.get(db);
  return k ? { reads: k.reads, threadsRead: k.threadsRead, threads: k.threads.length } : null;
}

/**
 * Read the inputs: messages and complaints sent by `upTo`, the waiting conversations as of `asOf` (else
 * as stored), reusing the threads of `before` whose messages did not change.
 */
function read(db: DB, { upTo, asOf, before = null }: { upTo: number; asOf?: number; before?: Kept | null }): Kept {
  const seq = lastMessageChange(db);
  const convs = repo.waitingConversations(db, asOf);
  const changed = before ? new Set(messagesChangedSince(db, before.seq)) : null;
  const reuse = new Map<number, WaitingThread>();
  if (before && changed) for (const t of before.threads) if (!changed.has(t.conv.id)) reuse.set(t.conv.id, t);
  const messages = new Map<number, repo.MessageRow[]>();
  const toRead = convs.filter((c) => !reuse.has(c.id)).map((c) => c.id);
  for (const m of toRead.length ? repo.threadsMessages(db, toRead, upTo) : []) {
    let t = messages.get(m.conversationId);
    if (!t) messages.set(m.conversationId, (t = []));
    t.push(m);
  }
  const customers = [...new Set(convs.map((c) => c.customerId).filter((id): id is number => id !== null))];
  const xs = new Map<number, Map<number, WaitingThread['accounts'][number]>>();
  for (const a of repo.customersXAccounts(db, customers)) {
    let m = xs.get(a.customerId);
    if (!m) xs.set(a.customerId, (m = new Map()));
    m.set(a.identityId, { identityId: a.identityId, handle: a.handle, followers: followersOf(a.profile) });
  }
  const names = repo.customerNames(db, customers);
  const threads = convs.map((conv): WaitingThread => {
    const customer = conv.customerId;
    const old = reuse.get(conv.id);
    const all = old ? old.all : (messages.get(conv.id) ?? []);
    // One object shape for every thread (run: undefined until worked out), so the scoring loop's property reads stay monomorphic.
    return {
      conv,
      tags: old && old.conv.tags === conv.tags ? old.tags : parseTags(conv.tags),
      accounts: customer !== null ? [...(xs.get(customer)?.values() ?? [])] : [],
      customerName: customer !== null ? (names.get(customer) ?? null) : null,
      all,
      latest: old ? old.latest : all.reduce((t, m) => Math.max(t, m.sentAt), -Infinity),
      run: old ? old.run : undefined,
    };
  });
  const complaints = upTo === Number.MAX_SAFE_INTEGER ? publicComplaintAuthors(db) : repo.publicComplaints(db, upTo).map((p) => ({ ...p, firstAt: -Infinity }));
  const window = publicWindow(repo.escalationWaits(db, asOf ?? Number.MAX_SAFE_INTEGER));
  return { signature: '', seq, threads, complaints, window, reads: 0, threadsRead: toRead.length };
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
