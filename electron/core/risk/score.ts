// The risk that a conversation waiting on the business goes public: a score of 0-100, the sum of the
// points below (capped at 100), each factor with its reason in words. Weights are set by hand, not fitted:
//
//   factor          points                                             reason, e.g.
//   wait_goal       30 × min(waited / goal, 1)  (30 once the goal is gone)   "overdue 5 h (first-reply goal 4 h)"
//   wait_usual      15 × min(waited / usual, 2) / 2, when waited > usual  "3× this business's usual reply (2 h)"
//                   (usual: the business's median reply of that kind)
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
//   timing          the sum above × (window − 1), negative: the window is   "silent 12 days; 93% of this business's
//                   the share of this business's escalation waits (from     customers who went public did so sooner
//                   the customer's last email to the post, confidently      (× 0.14)"
//                   linked escalations; at least 5, else DEFAULT_WAITS)
//                   that fall in the next 14 days after the customer's
//                   silence so far, over the largest such share (at least 0.1).
//                   People go public within days of the mail nobody
//                   answered: a fresh thread keeps its points, one whose
//                   customer has been silent longer than they usually wait
//                   has mostly given up or posted already.
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
  /** The window ahead in which going public counts. */
  windowMs: 14 * DAY,
  windowFloor: 0.1,
} as const;

/**
 * Waits (days, email to post) assumed until a business has five escalations of its own: all within
 * two weeks, half within three days, as on ../shared/linkset-dev (105 escalations, every one within
 * 14 days of the customer's last email, most within a week).
 */
export const DEFAULT_WAITS_DAYS = [0.5, 1, 1.5, 2, 2.5, 3, 3, 4, 5, 6, 7, 9, 11, 14];

/** When this business's customers went public: their waits, sorted, and the largest share in one window. */
export interface PublicWindow {
  waits: number[];
  peak: number;
}

/** The business's escalation waits (at least 5; else DEFAULT_WAITS_DAYS) as a window. */
export function publicWindow(escalationWaits: number[]): PublicWindow {
  const waits = (escalationWaits.length >= 5 ? [...escalationWaits] : DEFAULT_WAITS_DAYS.map((d) => d * DAY)).sort((a, b) => a - b);
  // The share of waits in (s, s + window] is largest where the window's end just takes in a wait.
  let peak = 0;
  for (const w of waits) peak = Math.max(peak, inWindow(waits, Math.max(0, w - WEIGHTS.windowMs - 1)));
  return { waits, peak: Math.max(peak, 1) };
}

/** How many waits fall in (s, s + window]. */
function inWindow(waits: number[], s: number): number {
  return upper(waits, s + WEIGHTS.windowMs) - upper(waits, s);
}

/** The number of waits ≤ x (binary search). */
function upper(waits: number[], x: number): number {
  let lo = 0;
  let hi = waits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (waits[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The timing multiplier for a customer silent `silentMs`: the window's share over its peak, at least windowFloor. */
export function windowShare(w: PublicWindow, silentMs: number): number {
  return Math.max(WEIGHTS.windowFloor, Math.min(1, inWindow(w.waits, silentMs) / w.peak));
}

const DEFAULT_WINDOW = publicWindow([]);

export interface RiskInput {
  goal: GoalState;
  /** Calendar time since the customer's latest message. */
  silentMs: number;
  /** When this business's customers go public (publicWindow()). */
  window?: PublicWindow;
  /** The business's usual (median) reply of this kind, or null without history. */
  usualMs: number | null;
  /** Customer messages since the last reply. */
  inbound: number;
  /** Their texts. */
  texts: string[];
  /** wordingOfTexts(texts), when the caller kept it (the list keeps it with each thread's run). */
  wording?: Wording;
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
  return factorsOf(x, true);
}

/**
 * The factors of riskFactors with their points only (reasons left empty): a refresh scores every
 * waiting conversation and shows a few, whose reasons are written then (riskFactors on the same input).
 */
export function riskPoints(x: RiskInput): RiskFactor[] {
  return factorsOf(x, false);
}

function factorsOf(x: RiskInput, words: boolean): RiskFactor[] {
  const out: RiskFactor[] = [];
  const g = x.goal;
  const goalName = g.kind === 'first' ? 'first-reply goal' : 'next-reply goal';
  const ratio = g.waitedMs / g.goalMs;
  if (ratio > 0) {
    const reason = !words
      ? ''
      : g.overdueMs > 0
        ? `overdue ${humanDuration(g.overdueMs)} (${goalName} ${humanDuration(g.goalMs)})`
        : `due in ${humanDuration(-g.overdueMs)}, ${Math.round(ratio * 100)}% of the ${goalName} (${humanDuration(g.goalMs)}) gone`;
    out.push({ factor: 'wait_goal', points: round1(WEIGHTS.waitGoal * Math.min(ratio, 1)), reason });
  }
  if (x.usualMs !== null && x.usualMs > 0 && g.waitedMs > x.usualMs) {
    const r = g.waitedMs / x.usualMs;
    out.push({
      factor: 'wait_usual',
      points: round1((WEIGHTS.waitUsual * Math.min(r, 2)) / 2),
      reason: words ? `${r >= 10 ? Math.round(r) : round1(r)}× this business's usual ${g.kind} reply (${humanDuration(x.usualMs)})` : '',
    });
  }
  if (x.inbound > 1) {
    const ord = ORDINALS[x.inbound - 1] ?? `${x.inbound}th`;
    out.push({ factor: 'follow_ups', points: Math.min(WEIGHTS.followUpsMax, WEIGHTS.followUp * (x.inbound - 1)), reason: words ? `${ord} time they write without an answer` : '' });
  }
  const { threat, phrase } = x.wording ?? wordingOfTexts(x.texts);
  if (threat) out.push({ factor: 'wording', points: WEIGHTS.threat, reason: words ? `threatens: ${quote(threat)}` : '' });
  else if (phrase) out.push({ factor: 'wording', points: WEIGHTS.escalationWording, reason: words ? `writes: ${quote(phrase)}` : '' });
  if (x.onX || x.xAccounts.length) {
    let reason = '';
    if (words) {
      const handles = x.xAccounts.map((a) => a.handle).filter((h): h is string => !!h);
      reason = x.onX ? 'writes on X' : `on X as ${handles.length ? handles.map((h) => `@${h}`).join(', ') : 'a linked account'}`;
    }
    out.push({ factor: 'x_account', points: WEIGHTS.xAccount, reason });
  }
  let top: RiskInput['xAccounts'][number] | null = null;
  for (const a of x.xAccounts) if (a.followers !== null && (top === null || a.followers > top.followers!)) top = a;
  if (top) {
    const pts = round1(WEIGHTS.reach * Math.min(Math.log10(top.followers! + 1) / 5, 1));
    if (pts > 0) out.push({ factor: 'reach', points: pts, reason: words ? `${top.handle ? `@${top.handle}` : 'their X account'} has ${top.followers!.toLocaleString('en-US')} followers` : '' });
  }
  if (x.earlierPublic > 0) {
    out.push({
      factor: 'earlier_public',
      points: x.earlierPublic > 1 ? WEIGHTS.earlierPublicMany : WEIGHTS.earlierPublic,
      reason: words ? `complained in public before (${x.earlierPublic} conversation${x.earlierPublic > 1 ? 's' : ''})` : '',
    });
  }
  let sum = 0;
  for (const f of out) sum += f.points;
  const w = x.window ?? DEFAULT_WINDOW;
  const share = windowShare(w, x.silentMs);
  if (share < 1 && sum > 0) {
    const sooner = upper(w.waits, x.silentMs) / w.waits.length;
    out.push({
      factor: 'timing',
      points: -round1(sum * (1 - share)),
      reason: words ? `silent ${humanDuration(x.silentMs)}; ${Math.round(sooner * 100)}% of this business's customers who went public did so sooner (× ${share.toFixed(2)})` : '',
    });
  }
  return out.sort((a, b) => b.points - a.points);
}

export interface Wording {
  threat: string | null;
  phrase: string | null;
}

/** The first threat and the first escalation wording among a run's texts. */
export function wordingOfTexts(texts: string[]): Wording {
  let threat: string | null = null;
  let phrase: string | null = null;
  for (const t of texts) {
    const w = wordingOf(t);
    threat ??= w.threat;
    phrase ??= w.phrase;
  }
  return { threat, phrase };
}

/**
 * The wording of one message (a threat, else escalation wording), remembered by its text: a thread's
 * run is worked out again when a message joins it, and its older texts were read before. Two
 * generations of at most WORDINGS_MAX texts each (a full one is dropped whole: evicting one key at a
 * time from a Map left it scanning its deleted entries, 1.4 s a call over 50,000 waiting threads).
 */
function wordingOf(text: string): Wording {
  let hit = wordings.get(text);
  if (hit) return hit;
  hit = older.get(text);
  if (!hit) hit = { threat: threatPhrase(text), phrase: escalationPhrase(text) };
  if (wordings.size >= WORDINGS_MAX) {
    older = wordings;
    wordings = new Map();
  }
  wordings.set(text, hit);
  return hit;
}
let wordings = new Map<string, Wording>();
let older = new Map<string, Wording>();
const WORDINGS_MAX = 20_000;

/**
 * riskScore(riskPoints(x)) without building the factors (the same points, added in the same order):
 * a refresh scores every waiting conversation, and writes the factors of those it lists only.
 */
export function riskOf(x: Omit<RiskInput, 'goal'> & { goal: Pick<GoalState, 'waitedMs' | 'goalMs'> }): number {
  const g = x.goal;
  let sum = 0;
  const ratio = g.waitedMs / g.goalMs;
  if (ratio > 0) sum += round1(WEIGHTS.waitGoal * Math.min(ratio, 1));
  if (x.usualMs !== null && x.usualMs > 0 && g.waitedMs > x.usualMs) sum += round1((WEIGHTS.waitUsual * Math.min(g.waitedMs / x.usualMs, 2)) / 2);
  if (x.inbound > 1) sum += Math.min(WEIGHTS.followUpsMax, WEIGHTS.followUp * (x.inbound - 1));
  const w = x.wording ?? wordingOfTexts(x.texts);
  if (w.threat) sum += WEIGHTS.threat;
  else if (w.phrase) sum += WEIGHTS.escalationWording;
  if (x.onX || x.xAccounts.length) sum += WEIGHTS.xAccount;
  let top: number | null = null;
  for (const a of x.xAccounts) if (a.followers !== null && (top === null || a.followers > top)) top = a.followers;
  if (top !== null) {
    const pts = round1(WEIGHTS.reach * Math.min(Math.log10(top + 1) / 5, 1));
    if (pts > 0) sum += pts;
  }
  if (x.earlierPublic > 0) sum += x.earlierPublic > 1 ? WEIGHTS.earlierPublicMany : WEIGHTS.earlierPublic;
  const share = windowShare(x.window ?? DEFAULT_WINDOW, x.silentMs);
  const total = share < 1 && sum > 0 ? sum - round1(sum * (1 - share)) : sum;
  return Math.max(0, Math.min(100, round1(total)));
}

export function riskScore(factors: { points: number }[]): number {
  return Math.max(0, Math.min(100, round1(factors.reduce((s, f) => s + f.points, 0))));
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
