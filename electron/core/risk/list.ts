// The at-risk list: every open conversation waiting on the business, scored (score.ts), riskiest first
// (ties: the longer wait first, then the lower id). `asOf` computes it from what was stored up to that
// moment (the messages sent by then), for measurements on data with later escalations.
import type { RiskItem } from '../../../shared/contract/goals';
import type { DB } from '../db/open';
import * as repo from '../db/repos/goals';
import { percentile, unanswered } from '../goals/goals';
import { loadGoals, stateOf } from '../goals/service';
import { followersOf, publicWindow, riskFactors, riskScore, type PublicWindow } from './score';

const waitsCache = new WeakMap<DB, { key: string; window: PublicWindow }>();

/** When this business's customers go public (score.ts publicWindow), read again when messages arrived. */
function windowOf(db: DB, now: number, asOf: boolean): PublicWindow {
  const key = `${repo.lastMessageId(db)}|${asOf ? now : ''}`;
  const c = waitsCache.get(db);
  if (c && c.key === key) return c.window;
  const window = publicWindow(repo.escalationWaits(db, asOf ? now : Number.MAX_SAFE_INTEGER));
  waitsCache.set(db, { key, window });
  return window;
}

export function riskList(db: DB, opts: { now: number; limit: number; asOf?: boolean }): { items: RiskItem[]; waiting: number; now: number } {
  const { now } = opts;
  const g = loadGoals(db, now, opts.asOf);
  const usual = { first: percentile(g.history.first, 0.5), next: percentile(g.history.next, 0.5) ?? percentile(g.history.first, 0.5) };
  const convs = repo.waitingConversations(db, opts.asOf ? now : undefined);
  const window = windowOf(db, now, opts.asOf ?? false);
  // A few queries for all of them, not a few per conversation.
  const threads = new Map<number, repo.MessageRow[]>();
  for (const m of repo.threadsMessages(
    db,
    convs.map((c) => c.id),
    now,
  )) {
    let t = threads.get(m.conversationId);
    if (!t) threads.set(m.conversationId, (t = []));
    t.push(m);
  }
  const customers = [...new Set(convs.map((c) => c.customerId).filter((id): id is number => id !== null))];
  const xs = new Map<number, Map<number, repo.XAccountRow>>();
  for (const a of repo.customersXAccounts(db, customers)) {
    let m = xs.get(a.customerId);
    if (!m) xs.set(a.customerId, (m = new Map()));
    m.set(a.identityId, a);
  }
  const publicByCustomer = new Map<number, Set<number>>();
  const publicByIdentity = new Map<number, Set<number>>();
  const add = (m: Map<number, Set<number>>, k: number | null, v: number) => {
    if (k === null) return;
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(v);
  };
  for (const p of repo.publicComplaints(db, now)) {
    add(publicByCustomer, p.customerId, p.id);
    add(publicByIdentity, p.identityId, p.id);
  }
  const names = repo.customerNames(db, customers);
  const items: RiskItem[] = [];
  for (const c of convs) {
    const messages = threads.get(c.id) ?? [];
    const goal = stateOf(db, g, c, now, messages);
    const u = unanswered(messages);
    if (!goal || !u) continue;
    const run = messages.filter((m) => m.direction === 'in' && m.sentAt >= u.since);
    const accounts = c.customerId !== null ? [...(xs.get(c.customerId)?.values() ?? [])] : [];
    const earlier = new Set<number>(c.customerId !== null ? (publicByCustomer.get(c.customerId) ?? []) : []);
    for (const a of accounts) for (const id of publicByIdentity.get(a.identityId) ?? []) earlier.add(id);
    earlier.delete(c.id);
    const factors = riskFactors({
      goal,
      silentMs: Math.max(0, now - run[run.length - 1]!.sentAt),
      window,
      usualMs: usual[goal.kind],
      inbound: u.inbound,
      texts: run.map((m) => m.text),
      onX: c.channel === 'x',
      xAccounts: accounts.map((a) => ({ handle: a.handle, followers: followersOf(a.profile) })),
      earlierPublic: earlier.size,
    });
    const name = c.customerId !== null ? (names.get(c.customerId) ?? null) : null;
    items.push({ conversationId: c.id, channel: c.channel, subject: c.subject, customerId: c.customerId, customerName: name, risk: riskScore(factors), factors, goal });
  }
  items.sort((a, b) => b.risk - a.risk || b.goal.waitedMs - a.goal.waitedMs || a.conversationId - b.conversationId);
  return { items: items.slice(0, opts.limit), waiting: items.length, now };
}
