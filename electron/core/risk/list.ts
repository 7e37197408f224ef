// The at-risk list: every open conversation waiting on the business, scored (score.ts), riskiest first
// (ties: the longer wait first, then the lower id). `asOf` computes it from what was stored up to that
// moment (the messages sent by then), for measurements on data with later escalations.
//
// A refresh scores every waiting conversation (50,000 on a large inbox left unanswered), so the loop
// works out a number per thread and allocates little: the goal in force per account, tags
// and kind once per call, the wording kept with each thread's run (inputs.ts), the points added up
// without building factors (riskOf). Only the `limit` listed get their goal state and reasons in words.
import type { GoalSource, RiskItem } from '../../../shared/contract/goals';
import type { DB } from '../db/open';
import { goalFor, goalStateOf, percentile, type History } from '../goals/goals';
import { businessMs } from '../goals/hours';
import { loadGoals } from '../goals/service';
import { riskInputs, runOf, type Customer, type Run, type WaitingThread } from './inputs';
import { riskFactors, riskOf, type RiskInput } from './score';

/** The business's usual (median) replies, worked out once per history read (goals/service.ts keeps the history between calls). */
const usualOf = new WeakMap<History, { first: number | null; next: number | null }>();

interface Scored {
  t: WaitingThread;
  run: Run;
  risk: number;
  waitedMs: number;
  earlier: number;
}

const NONE: Customer['accounts'] = [];

/** Riskier first; ties: the longer wait, then the lower id. */
const before = (a: Scored, b: Scored) => b.risk - a.risk || b.waitedMs - a.waitedMs || a.t.conv.id - b.t.conv.id;

/** `fresh`: read everything again instead of what was kept between calls (inputs.ts; tests compare the two). */
export function riskList(
  db: DB,
  opts: { now: number; limit: number; asOf?: boolean; fresh?: boolean; /** The reasons in words (default); without, `factors` is empty (the notifier's goal check). */ factors?: boolean },
): { items: RiskItem[]; waiting: number; now: number } {
  const { now, limit } = opts;
  const g = loadGoals(db, now, opts.asOf);
  const { settings, effective } = g;
  let usual = usualOf.get(g.history);
  if (!usual) usualOf.set(g.history, (usual = { first: percentile(g.history.first, 0.5), next: percentile(g.history.next, 0.5) ?? percentile(g.history.first, 0.5) }));
  const { threads, publicByCustomer, publicByIdentity, window } = riskInputs(db, now, opts.asOf ? 'asOf' : opts.fresh ? 'fresh' : 'kept');
  const goals = new Map<string, { goalMs: number; source: GoalSource }>();
  // One input object, refilled for every thread (riskOf keeps nothing of it).
  const goal = { waitedMs: 0, goalMs: 0 };
  const input: Parameters<typeof riskOf>[0] = {
    goal,
    silentMs: 0,
    window,
    usualMs: null,
    inbound: 0,
    texts: [],
    wording: undefined,
    onX: false,
    xAccounts: [],
    earlierPublic: 0,
  };
  // Candidates for the `limit` riskiest: whenever twice as many gathered, sorted and cut to `limit`, and
  // `cut` (the last kept) passes over every thread that would not make it (most of them, on a long list).
  let top: Scored[] = [];
  let cut: Scored | null = null;
  let waiting = 0;
  for (const t of threads) {
    const c = t.conv;
    const run = c.status === 'done' ? null : runOf(t, now);
    if (!run) continue;
    waiting++;
    const key = settings.overrides.length ? `${c.accountId}|${c.tags}|${run.kind}` : run.kind;
    let inForce = goals.get(key);
    if (!inForce) goals.set(key, (inForce = goalFor(settings.overrides, effective, c.accountId, t.tags, run.kind)));
    goal.goalMs = inForce.goalMs;
    goal.waitedMs = businessMs(settings.hours, run.since, now);
    input.silentMs = Math.max(0, now - run.lastAt);
    input.usualMs = usual[run.kind];
    input.inbound = run.inbound;
    input.texts = run.texts;
    input.wording = run.wording;
    input.onX = c.channel === 'x';
    input.xAccounts = t.customer ? t.customer.accounts : NONE;
    input.earlierPublic = earlierPublic(t, publicByCustomer, publicByIdentity);
    const risk = riskOf(input);
    if (cut && (risk < cut.risk || (risk === cut.risk && (goal.waitedMs < cut.waitedMs || (goal.waitedMs === cut.waitedMs && c.id > cut.t.conv.id))))) continue;
    top.push({ t, run, risk, waitedMs: goal.waitedMs, earlier: input.earlierPublic });
    if (top.length >= 2 * limit) {
      top = top.sort(before).slice(0, limit);
      cut = top[top.length - 1]!;
    }
  }
  top = top.sort(before).slice(0, limit);
  const items = top.map(({ t, run, risk, earlier }): RiskItem => {
    const { conv: c } = t;
    const state = goalStateOf(run, { conversationId: c.id, status: c.status, accountId: c.accountId, tags: t.tags }, settings, effective, now);
    const item = { conversationId: c.id, channel: c.channel, subject: c.subject, customerId: c.customerId, customerName: t.customer ? t.customer.name : null, risk, goal: state };
    if (opts.factors === false) return { ...item, factors: [] };
    const full: RiskInput = {
      goal: state,
      silentMs: Math.max(0, now - run.lastAt),
      window,
      usualMs: usual[state.kind],
      inbound: run.inbound,
      texts: run.texts,
      wording: run.wording,
      onX: c.channel === 'x',
      xAccounts: t.customer ? t.customer.accounts : NONE,
      earlierPublic: earlier,
    };
    return { ...item, factors: riskFactors(full) };
  });
  return { items, waiting, now };
}

/** How many other conversations marked as public complaints share this thread's customer or one of its X accounts. */
function earlierPublic(t: WaitingThread, byCustomer: Map<number, Set<number>>, byIdentity: Map<number, Set<number>>): number {
  const own = t.conv.customerId !== null ? byCustomer.get(t.conv.customerId) : undefined;
  let ids: Set<number> | null = own ? new Set(own) : null;
  for (const a of t.customer ? t.customer.accounts : NONE) {
    const marked = byIdentity.get(a.identityId);
    if (!marked) continue;
    ids ??= new Set();
    for (const id of marked) ids.add(id);
  }
  if (!ids) return 0;
  ids.delete(t.conv.id);
  return ids.size;
}
