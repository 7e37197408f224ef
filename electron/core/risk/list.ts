// The at-risk list: every open conversation waiting on the business, scored (score.ts), riskiest first
// (ties: the longer wait first, then the lower id). `asOf` computes it from what was stored up to that
// moment (the messages sent by then), for measurements on data with later escalations.
import type { RiskItem } from '../../../shared/contract/goals';
import type { DB } from '../db/open';
import { goalState, percentile, unanswered, type History } from '../goals/goals';
import { loadGoals } from '../goals/service';
import { riskInputs } from './inputs';
import { riskParts, riskScore, type RiskPart } from './score';

/** The business's usual (median) replies, worked out once per history read (goals/service.ts keeps the history between calls). */
const usualOf = new WeakMap<History, { first: number | null; next: number | null }>();

/** `fresh`: read everything again instead of what was kept between calls (inputs.ts; tests compare the two). */
export function riskList(db: DB, opts: { now: number; limit: number; asOf?: boolean; fresh?: boolean }): { items: RiskItem[]; waiting: number; now: number } {
  const { now } = opts;
  const g = loadGoals(db, now, opts.asOf);
  let usual = usualOf.get(g.history);
  if (!usual) usualOf.set(g.history, (usual = { first: percentile(g.history.first, 0.5), next: percentile(g.history.next, 0.5) ?? percentile(g.history.first, 0.5) }));
  const { threads, publicByCustomer, publicByIdentity, window } = riskInputs(db, now, opts.asOf ? 'asOf' : opts.fresh ? 'fresh' : 'kept');
  // Every waiting conversation is scored; the reasons in words are written for those listed only.
  const items: (Omit<RiskItem, 'factors'> & { parts: RiskPart[] })[] = [];
  for (const { conv: c, tags, messages, accounts, customerName } of threads) {
    const goal = goalState({ conversationId: c.id, status: c.status, accountId: c.accountId, tags, messages }, g.settings, g.effective, now);
    const u = unanswered(messages);
    if (!goal || !u) continue;
    const run = messages.filter((m) => m.direction === 'in' && m.sentAt >= u.since);
    const earlier = new Set<number>(c.customerId !== null ? (publicByCustomer.get(c.customerId) ?? []) : []);
    for (const a of accounts) for (const id of publicByIdentity.get(a.identityId) ?? []) earlier.add(id);
    earlier.delete(c.id);
    const parts = riskParts({
      goal,
      silentMs: Math.max(0, now - run[run.length - 1]!.sentAt),
      window,
      usualMs: usual[goal.kind],
      inbound: u.inbound,
      texts: run.map((m) => m.text),
      onX: c.channel === 'x',
      xAccounts: accounts,
      earlierPublic: earlier.size,
    });
    items.push({ conversationId: c.id, channel: c.channel, subject: c.subject, customerId: c.customerId, customerName, risk: riskScore(parts), parts, goal });
  }
  items.sort((a, b) => b.risk - a.risk || b.goal.waitedMs - a.goal.waitedMs || a.conversationId - b.conversationId);
  const listed = items.slice(0, opts.limit).map((i): RiskItem => ({
    conversationId: i.conversationId,
    channel: i.channel,
    subject: i.subject,
    customerId: i.customerId,
    customerName: i.customerName,
    risk: i.risk,
    factors: i.parts.map((p) => ({ factor: p.factor, points: p.points, reason: p.reason() })),
    goal: i.goal,
  }));
  return { items: listed, waiting: items.length, now };
}
