// The at-risk list: every open conversation waiting on the business, scored (score.ts), riskiest first
// (ties: the longer wait first, then the lower id). `asOf` computes it from what was stored up to that
// moment (the messages sent by then), for measurements on data with later escalations.
import type { RiskItem } from '../../../shared/contract/goals';
import type { DB } from '../db/open';
import { goalStateOf, percentile, type History } from '../goals/goals';
import { loadGoals } from '../goals/service';
import { riskInputs, runOf } from './inputs';
import { riskFactors, riskPoints, riskScore, type RiskInput } from './score';

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
  const items: (Omit<RiskItem, 'factors'> & { input: RiskInput })[] = [];
  for (const t of threads) {
    const { conv: c, tags, accounts, customerName } = t;
    const run = c.status === 'done' ? null : runOf(t, now);
    if (!run) continue;
    const goal = goalStateOf(run, { conversationId: c.id, status: c.status, accountId: c.accountId, tags }, g.settings, g.effective, now);
    let earlier = 0;
    const byCustomer = c.customerId !== null ? publicByCustomer.get(c.customerId) : undefined;
    if (byCustomer || accounts.length) {
      const ids = new Set<number>(byCustomer ?? []);
      for (const a of accounts) for (const id of publicByIdentity.get(a.identityId) ?? []) ids.add(id);
      ids.delete(c.id);
      earlier = ids.size;
    }
    const input: RiskInput = {
      goal,
      silentMs: Math.max(0, now - run.lastAt),
      window,
      usualMs: usual[goal.kind],
      inbound: run.inbound,
      texts: run.texts,
      onX: c.channel === 'x',
      xAccounts: accounts,
      earlierPublic: earlier,
    };
    items.push({ conversationId: c.id, channel: c.channel, subject: c.subject, customerId: c.customerId, customerName, risk: riskScore(riskPoints(input)), input, goal });
  }
  items.sort((a, b) => b.risk - a.risk || b.goal.waitedMs - a.goal.waitedMs || a.conversationId - b.conversationId);
  const listed = items.slice(0, opts.limit).map((i): RiskItem => ({
    conversationId: i.conversationId,
    channel: i.channel,
    subject: i.subject,
    customerId: i.customerId,
    customerName: i.customerName,
    risk: i.risk,
    factors: riskFactors(i.input),
    goal: i.goal,
  }));
  return { items: listed, waiting: items.length, now };
}
