// The at-risk list: every open conversation waiting on the business, scored (score.ts), riskiest first
// (ties: the longer wait first, then the lower id). `asOf` computes it from what was stored up to that
// moment (the messages sent by then), for measurements on data with later escalations.
import type { RiskItem } from '../../../shared/contract/goals';
import type { DB } from '../db/open';
import * as repo from '../db/repos/goals';
import { percentile, unanswered } from '../goals/goals';
import { loadGoals, stateOf } from '../goals/service';
import { followersOf, riskFactors, riskScore } from './score';

export function riskList(db: DB, opts: { now: number; limit: number; asOf?: boolean }): { items: RiskItem[]; waiting: number; now: number } {
  const { now } = opts;
  const g = loadGoals(db, now, opts.asOf);
  const usual = { first: percentile(g.history.first, 0.5), next: percentile(g.history.next, 0.5) ?? percentile(g.history.first, 0.5) };
  const items: RiskItem[] = [];
  const names = new Map<number, string | null>();
  for (const c of repo.waitingConversations(db, opts.asOf ? now : undefined)) {
    if (c.status !== 'open') continue;
    const messages = repo.threadMessages(db, c.id, now);
    const goal = stateOf(db, g, c, now, messages);
    const u = unanswered(messages);
    if (!goal || !u) continue;
    const run = messages.filter((m) => m.direction === 'in' && m.sentAt >= u.since);
    const texts = run.map((m) => m.text);
    const xs = c.customerId !== null ? repo.customerXAccounts(db, c.customerId) : [];
    const earlier = c.customerId !== null ? repo.earlierPublic(db, c.customerId, xs.map((a) => a.identityId), now, c.id) : 0;
    const factors = riskFactors({
      goal,
      silentMs: Math.max(0, now - run[run.length - 1]!.sentAt),
      usualMs: usual[goal.kind],
      inbound: u.inbound,
      texts,
      onX: c.channel === 'x',
      xAccounts: xs.map((a) => ({ handle: a.handle, followers: followersOf(a.profile) })),
      earlierPublic: earlier,
    });
    let name: string | null = null;
    if (c.customerId !== null) {
      if (!names.has(c.customerId)) names.set(c.customerId, repo.customerName(db, c.customerId));
      name = names.get(c.customerId) ?? null;
    }
    items.push({ conversationId: c.id, channel: c.channel, subject: c.subject, customerId: c.customerId, customerName: name, risk: riskScore(factors), factors, goal });
  }
  items.sort((a, b) => b.risk - a.risk || b.goal.waitedMs - a.goal.waitedMs || a.conversationId - b.conversationId);
  return { items: items.slice(0, opts.limit), waiting: items.length, now };
}
