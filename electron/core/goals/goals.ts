// Response goals: a first-reply goal (no reply yet in the conversation) and a next-reply goal (the
// customer wrote again after a reply), each counted from the customer's oldest unanswered message in
// business time (hours.ts; calendar time when no hours are set).
//
// Goals in force, most specific first: a tag's override (the strictest when several tags have one),
// the account's override, the owner's goal, then this business's own history: the 75th percentile of
// its first replies (and of its next replies) over its most recent answered email conversations,
// measured in business time; with no answered conversation at all, 24 hours.
//
// The clock runs only for open conversations: status 'waiting' (on the customer) and 'snoozed' pause
// it (dueAt null). Status changes are not stored with their times, so a paused conversation's waitedMs
// is the business time since the oldest unanswered message, not the time the clock ran.
// Pure functions over constructed rows; the SQL is in db/repos/goals.ts.
import type { BusinessHours, GoalOverride, GoalSettings, GoalSource, GoalState } from '../../../shared/contract/goals';
import { addBusiness, businessMs, isOpen } from './hours';

export const DEFAULT_GOAL_MS = 24 * 3_600_000;

export interface ThreadMessage {
  direction: 'in' | 'out';
  sentAt: number;
}

export interface GoalInput {
  conversationId: number;
  status: 'open' | 'waiting' | 'snoozed' | 'done';
  accountId: number | null;
  tags: string[];
  /** The conversation's messages up to now, oldest first. */
  messages: ThreadMessage[];
}

export interface Effective {
  firstReplyMs: number;
  nextReplyMs: number;
  firstSource: GoalSource;
  nextSource: GoalSource;
}

export interface History {
  first: number[];
  next: number[];
}

/** The customer's oldest unanswered message (after the last reply), how many came since, and which goal applies. */
export function unanswered(messages: ThreadMessage[]): { since: number; inbound: number; kind: 'first' | 'next' } | null {
  let since: number | null = null;
  let inbound = 0;
  let replied = false;
  for (const m of messages) {
    if (m.direction === 'out') {
      replied = true;
      since = null;
      inbound = 0;
    } else {
      since ??= m.sentAt;
      inbound++;
    }
  }
  if (since === null) return null;
  // "Next" when a reply came before the unanswered run: that is what the customer is waiting on again.
  return { since, inbound, kind: replied ? 'next' : 'first' };
}

/** The reply gaps of a set of conversations (rows grouped by conversation, oldest first), in business time. */
export function replyGaps(rows: Iterable<{ conversationId: number; direction: 'in' | 'out'; sentAt: number }>, hours: BusinessHours | null): History {
  const out: History = { first: [], next: [] };
  let conv = -1;
  let since: number | null = null;
  let replied = false;
  for (const r of rows) {
    if (r.conversationId !== conv) {
      conv = r.conversationId;
      since = null;
      replied = false;
    }
    if (r.direction === 'in') since ??= r.sentAt;
    else {
      if (since !== null) (replied ? out.next : out.first).push(businessMs(hours, since, r.sentAt));
      replied = true;
      since = null;
    }
  }
  return out;
}

/** The p-th percentile (0..1) by nearest rank, or null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

export function effectiveGoals(settings: GoalSettings, history: History): Effective {
  const hFirst = percentile(history.first, 0.75);
  const hNext = percentile(history.next, 0.75);
  const [firstReplyMs, firstSource]: [number, GoalSource] =
    settings.firstReplyMs !== null ? [settings.firstReplyMs, 'set'] : hFirst !== null ? [Math.max(60_000, hFirst), 'history'] : [DEFAULT_GOAL_MS, 'default'];
  const [nextReplyMs, nextSource]: [number, GoalSource] =
    settings.nextReplyMs !== null ? [settings.nextReplyMs, 'set'] : hNext !== null ? [Math.max(60_000, hNext), 'history'] : [firstReplyMs, firstSource];
  return { firstReplyMs, nextReplyMs, firstSource, nextSource };
}

/** The goal for one conversation: a tag's override (strictest), the account's, else the one in force. */
export function goalFor(overrides: GoalOverride[], eff: Effective, accountId: number | null, tags: string[], kind: 'first' | 'next'): { goalMs: number; source: GoalSource } {
  const key = kind === 'first' ? 'firstReplyMs' : 'nextReplyMs';
  const lower = new Set(tags.map((t) => t.toLowerCase()));
  let tagGoal: number | null = null;
  let accountGoal: number | null = null;
  for (const o of overrides) {
    const v = o[key];
    if (v === undefined) continue;
    if (o.tag !== undefined && lower.has(o.tag.toLowerCase())) tagGoal = tagGoal === null ? v : Math.min(tagGoal, v);
    if (o.accountId !== undefined && o.accountId === accountId) accountGoal = v;
  }
  if (tagGoal !== null) return { goalMs: tagGoal, source: 'tag' };
  if (accountGoal !== null) return { goalMs: accountGoal, source: 'account' };
  return kind === 'first' ? { goalMs: eff.firstReplyMs, source: eff.firstSource } : { goalMs: eff.nextReplyMs, source: eff.nextSource };
}

/** A conversation's goal state at `now`, or null when it is done or not waiting on the business. */
export function goalState(input: GoalInput, settings: GoalSettings, eff: Effective, now: number): GoalState | null {
  if (input.status === 'done') return null;
  const u = unanswered(input.messages.filter((m) => m.sentAt <= now));
  if (!u) return null;
  return goalStateOf(u, input, settings, eff, now);
}

/** The goal state of a conversation not done whose unanswered run (unanswered() of its messages sent by `now`) is `u`. */
export function goalStateOf(u: { since: number; kind: 'first' | 'next' }, input: Omit<GoalInput, 'messages'>, settings: GoalSettings, eff: Effective, now: number): GoalState {
  const { goalMs, source } = goalFor(settings.overrides, eff, input.accountId, input.tags, u.kind);
  const waitedMs = businessMs(settings.hours, u.since, now);
  const base = { conversationId: input.conversationId, kind: u.kind, goalMs, source, since: u.since, waitedMs };
  if (input.status === 'waiting' || input.status === 'snoozed') return { ...base, dueAt: null, overdueMs: 0, paused: input.status };
  return {
    ...base,
    dueAt: addBusiness(settings.hours, u.since, goalMs),
    overdueMs: waitedMs - goalMs,
    paused: isOpen(settings.hours, now) ? null : 'closed',
  };
}
