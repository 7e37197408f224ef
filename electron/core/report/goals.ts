// Goals met in the canary report: was each conversation's first reply within the first-reply goal in
// force (electron/core/goals: a tag's override, the strictest when several, else the account's, else
// the owner's goal or the business's own history), counted in business time when hours are set?
//  - answered: met when the first reply came within the goal, else missed;
//  - not answered and open: missed once the goal has passed (at `now`), else pending;
//  - not answered and waiting or snoozed (clock paused), pending; done without an answer (nothing
//    owed, such as a thank-you): not counted.
// The goals are those in force when the report is made (goal settings are not stored with their times).
import type { BusinessHours, GoalSettings } from '../../../shared/contract/goals';
import { goalFor, type Effective } from '../goals/goals';
import { openIntervals } from '../goals/hours';

const DAY = 86_400_000;

/**
 * Business time between instants of one span, answered by binary search over the span's open
 * intervals (read once): businessMs (goals/hours.ts) walks the days with the time zone's offsets
 * for every call, 5.6 s for 100,000 conversations; this is the same sum, milliseconds.
 */
export class BusinessClock {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Business time before each interval. */
  private readonly before: number[] = [];

  constructor(
    private readonly hours: BusinessHours | null,
    from: number,
    to: number,
  ) {
    if (!hours || !(to > from)) return;
    let sum = 0;
    for (const [a, b] of openIntervals(hours, from, Math.ceil((to - from) / DAY) + 2)) {
      if (a >= to) break;
      this.starts.push(a);
      this.ends.push(b);
      this.before.push(sum);
      sum += b - a;
    }
  }

  /** Business time from the span's start to `t`. */
  private upTo(t: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= t) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return i < 0 ? 0 : this.before[i]! + Math.min(t, this.ends[i]!) - this.starts[i]!;
  }

  /** Business time between two instants of the span (calendar time without hours); 0 when `to` is not after `from`. */
  between(from: number, to: number): number {
    if (to <= from) return 0;
    if (!this.hours) return to - from;
    return this.upTo(to) - this.upTo(from);
  }
}

export type GoalOutcome = 'met' | 'missed' | 'pending' | null;

export interface GoalCounts {
  met: number;
  missed: number;
  pending: number;
}

export class GoalJudge {
  private readonly clock: BusinessClock;

  /** [earliest, latest]: the span of the messages to be judged (the first customer message, the last first reply). */
  constructor(
    private readonly settings: GoalSettings,
    private readonly effective: Effective,
    private readonly now: number,
    earliest: number,
    latest: number,
  ) {
    this.clock = new BusinessClock(settings.hours, earliest, Math.max(now, latest));
  }

  private readonly byAccount = new Map<number | null, number>();

  /** The first-reply goal of a conversation (goals/goals.ts goalFor), remembered per account for untagged ones. */
  private goalOf(accountId: number | null, tags: string[]): number {
    if (this.settings.overrides.length === 0) return this.effective.firstReplyMs;
    if (tags.length) return goalFor(this.settings.overrides, this.effective, accountId, tags, 'first').goalMs;
    let v = this.byAccount.get(accountId);
    if (v === undefined) this.byAccount.set(accountId, (v = goalFor(this.settings.overrides, this.effective, accountId, tags, 'first').goalMs));
    return v;
  }

  /** The outcome of one conversation whose customer first wrote at `firstIn` (firstReply NaN: unanswered). */
  outcome(firstIn: number, firstReply: number, status: string, accountId: number | null, tags: string[]): GoalOutcome {
    const answered = !Number.isNaN(firstReply);
    if (!answered && status === 'done') return null;
    const goalMs = this.goalOf(accountId, tags);
    if (answered) return this.clock.between(firstIn, firstReply) <= goalMs ? 'met' : 'missed';
    if (status !== 'open') return 'pending';
    return this.clock.between(firstIn, this.now) > goalMs ? 'missed' : 'pending';
  }
}

export function addOutcome(c: GoalCounts, o: GoalOutcome): void {
  if (o !== null) c[o]++;
}

/** Met as a percentage of met + missed, one decimal; null when none was decided. */
export function metPct(c: GoalCounts): number | null {
  const n = c.met + c.missed;
  return n === 0 ? null : Math.round((1000 * c.met) / n) / 10;
}
