// Goals met in the canary report: was each conversation's first reply within the first-reply goal in
// force (electron/core/goals: a tag's override, the strictest when several, else the account's, else
// the owner's goal or the business's own history), counted in business time when hours are set?
//  - answered: met when the first reply came within the goal, else missed;
//  - not answered and open: missed once the goal has passed (at `now`), else pending;
//  - not answered and waiting or snoozed (clock paused), pending; done without an answer (nothing
//    owed, such as a thank-you): not counted.
// The goals are those in force when the report is made (goal settings are not stored with their times).
import type { GoalSettings } from '../../../shared/contract/goals';
import { goalFor, type Effective } from '../goals/goals';
import { businessMs } from '../goals/hours';

export type GoalOutcome = 'met' | 'missed' | 'pending' | null;

export interface GoalCounts {
  met: number;
  missed: number;
  pending: number;
}

export class GoalJudge {
  constructor(
    private readonly settings: GoalSettings,
    private readonly effective: Effective,
    private readonly now: number,
  ) {}

  /** The outcome of one conversation whose customer first wrote at `firstIn` (firstReply NaN: unanswered). */
  outcome(firstIn: number, firstReply: number, status: string, accountId: number | null, tags: string[]): GoalOutcome {
    const answered = !Number.isNaN(firstReply);
    if (!answered && status === 'done') return null;
    const { goalMs } = goalFor(this.settings.overrides, this.effective, accountId, tags, 'first');
    if (answered) return businessMs(this.settings.hours, firstIn, firstReply) <= goalMs ? 'met' : 'missed';
    if (status !== 'open') return 'pending';
    return businessMs(this.settings.hours, firstIn, this.now) > goalMs ? 'missed' : 'pending';
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
