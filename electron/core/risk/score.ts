// The risk that a conversation waiting on the business goes public: a score of 0-100, the sum of the
// points below (capped at 100), each factor with its reason in words. Weights are set by hand, not fitted:
//
//   factor          points                                             reason, e.g.
//   wait_goal       30 × min(waited / goal, 2) / 2  (30 at twice the goal) "overdue 5 h (first-reply goal 4 h)"
//   wait_usual      15 × min(waited / usual, 4) / 4, when waited > usual  "3× this business's usual reply (2 h)"
//                   (usual: the business's median reply of that kind)
//                   Both wait factors fade once the customer has been silent (calendar time since their
//                   latest message) for longer than this business's customers waited before posting: the
//                   90th percentile of the waits its escalation marks recorded (email to post; at least 5
//                   of them; else 14 days; kept within 1-30 days): × max(1/3, that / silence). Someone who
//                   wrote long ago and not since has mostly given up or gone public already.
//   follow_ups      10 per message after the first since the last reply,   "third time they write without an answer"
//                   at most 30
//   wording         25 for a threat (post, review, charge back, cancel:    "threatens: \"filing a chargeback\""
//                   complaint.ts threatPhrase), else 15 for escalation wording  "writes: \"still waiting\""
//                   ("still waiting", "emailed you 3 times": extract.ts)
//   x_account       10 when the customer has an X account (their own or    "on X as @jane"
//                   linked/confirmed), or the conversation is on X
//   reach           10 × min(log10(followers + 1) / 5, 1) when followers   "@jane has 12,300 followers"
//                   are stored in the X profile (100,000 followers: 10)
//   earlier_public  20 for one earlier escalated/likely/public-complaint    "complained in public before (2 conversations)"
//                   conversation, 30 for two or more
//
// Business time throughout (calendar time without business hours: goals/hours.ts).
import type { GoalState, RiskFactor } from '../../../shared/contract/goals';
import { threatPhrase } from '../linking/complaint';
import { escalationPhrase } from '../linking/extract';
import { humanDuration } from '../linking/text';

const DAY = 86_400_000;

export const WEIGHTS = {
  waitGoal: 30,
  waitUsual: 15,
  followUp: 10,
  followUpsMax: 30,
  threat: 25,
  escalationWording: 15,
  xAccount: 10,
  reach: 10,
  earlierPublic: 20,
  earlierPublicMany: 30,
  /** Silence after which the wait factors fade, without enough escalations to measure it. */
  fadeAfterMs: 14 * DAY,
  fadeFloor: 1 / 3,
} as const;

/** When the wait factors start to fade: the p90 of the business's escalation waits (at least 5), else 14 days; 1-30 days. */
export function fadeAfter(escalationWaits: number[]): number {
  if (escalationWaits.length < 5) return WEIGHTS.fadeAfterMs;
  const s = [...escalationWaits].sort((a, b) => a - b);
  const p90 = s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)]!;
  return Math.min(30 * DAY, Math.max(DAY, p90));
}

/** The wait factors' multiplier: 1 until the customer has been silent for `after`, then after / silence (at least 1/3). */
export function fade(silentMs: number, after: number = WEIGHTS.fadeAfterMs): number {
  return silentMs <= after ? 1 : Math.max(WEIGHTS.fadeFloor, after / silentMs);
}

export interface RiskInput {
  goal: GoalState;
  /** Calendar time since the customer's latest message. */
  silentMs: number;
  /** The silence after which the wait factors fade (fadeAfter()). */
  fadeAfterMs?: number;
  /** The business's usual (median) reply of this kind, or null without history. */
  usualMs: number | null;
  /** Customer messages since the last reply. */
  inbound: number;
  /** Their texts. */
  texts: string[];
  /** The conversation is itself on X. */
  onX: boolean;
  xAccounts: { handle: string | null; followers: number | null }[];
  earlierPublic: number;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const round1 = (x: number) => Math.round(x * 10) / 10;

function quote(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return `"${t.length > 60 ? `${t.slice(0, 57)}…` : t}"`;
}

export function riskFactors(x: RiskInput): RiskFactor[] {
  const out: RiskFactor[] = [];
  const g = x.goal;
  const goalName = g.kind === 'first' ? 'first-reply goal' : 'next-reply goal';
  const ratio = g.waitedMs / g.goalMs;
  const f = fade(x.silentMs, x.fadeAfterMs);
  const faded = f < 1 ? `; silent ${humanDuration(x.silentMs)} since, counted × ${f.toFixed(2)}` : '';
  if (ratio > 0) {
    const reason = g.overdueMs > 0 ? `overdue ${humanDuration(g.overdueMs)} (${goalName} ${humanDuration(g.goalMs)})` : `due in ${humanDuration(-g.overdueMs)}, ${Math.round(ratio * 100)}% of the ${goalName} (${humanDuration(g.goalMs)}) gone`;
    out.push({ factor: 'wait_goal', points: round1(((WEIGHTS.waitGoal * Math.min(ratio, 2)) / 2) * f), reason: reason + faded });
  }
  if (x.usualMs !== null && x.usualMs > 0 && g.waitedMs > x.usualMs) {
    const r = g.waitedMs / x.usualMs;
    out.push({ factor: 'wait_usual', points: round1(((WEIGHTS.waitUsual * Math.min(r, 4)) / 4) * f), reason: `${r >= 10 ? Math.round(r) : round1(r)}× this business's usual ${g.kind} reply (${humanDuration(x.usualMs)})${faded}` });
  }
  if (x.inbound > 1) {
    const ord = ORDINALS[x.inbound - 1] ?? `${x.inbound}th`;
    out.push({ factor: 'follow_ups', points: Math.min(WEIGHTS.followUpsMax, WEIGHTS.followUp * (x.inbound - 1)), reason: `${ord} time they write without an answer` });
  }
  let threat: string | null = null;
  let phrase: string | null = null;
  for (const t of x.texts) {
    threat ??= threatPhrase(t);
    phrase ??= escalationPhrase(t);
  }
  if (threat) out.push({ factor: 'wording', points: WEIGHTS.threat, reason: `threatens: ${quote(threat)}` });
  else if (phrase) out.push({ factor: 'wording', points: WEIGHTS.escalationWording, reason: `writes: ${quote(phrase)}` });
  const handles = x.xAccounts.map((a) => a.handle).filter((h): h is string => !!h);
  if (x.onX || x.xAccounts.length) {
    out.push({ factor: 'x_account', points: WEIGHTS.xAccount, reason: x.onX ? 'writes on X' : `on X as ${handles.length ? handles.map((h) => `@${h}`).join(', ') : 'a linked account'}` });
  }
  const known = x.xAccounts.filter((a) => a.followers !== null);
  if (known.length) {
    const top = known.reduce((a, b) => (b.followers! > a.followers! ? b : a));
    const pts = round1(WEIGHTS.reach * Math.min(Math.log10(top.followers! + 1) / 5, 1));
    if (pts > 0) out.push({ factor: 'reach', points: pts, reason: `${top.handle ? `@${top.handle}` : 'their X account'} has ${top.followers!.toLocaleString('en-US')} followers` });
  }
  if (x.earlierPublic > 0) {
    out.push({
      factor: 'earlier_public',
      points: x.earlierPublic > 1 ? WEIGHTS.earlierPublicMany : WEIGHTS.earlierPublic,
      reason: `complained in public before (${x.earlierPublic} conversation${x.earlierPublic > 1 ? 's' : ''})`,
    });
  }
  return out.sort((a, b) => b.points - a.points);
}

export function riskScore(factors: RiskFactor[]): number {
  return Math.min(100, round1(factors.reduce((s, f) => s + f.points, 0)));
}

/** Followers from a stored X profile (followersCount, followers or public_metrics.followers_count), or null. */
export function followersOf(profile: string | null): number | null {
  if (!profile) return null;
  try {
    const p = JSON.parse(profile) as Record<string, unknown>;
    const pm = p.public_metrics as Record<string, unknown> | undefined;
    const v = p.followersCount ?? p.followers ?? pm?.followers_count;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
  } catch {
    return null;
  }
}
