// Settings → Goals, the form's model: durations as a number and a unit, a weekday's hours, an override row,
// and the schema's complaints in the form's words.
import type { GoalsView } from '../../../../shared/contract/goals';
import { goalLength } from '../../ui/goalMarks';

const MIN = 60_000;
const UNIT_MS = { min: MIN, h: 60 * MIN, d: 24 * 60 * MIN } as const;
export type Unit = keyof typeof UNIT_MS;
export const UNITS = [
  { value: 'min', label: 'minutes' },
  { value: 'h', label: 'hours' },
  { value: 'd', label: 'days' },
];
/** Schema order is Sunday first; shown Monday first. */
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const SHOWN_DAYS = [1, 2, 3, 4, 5, 6, 0];

export interface Dur {
  value: number | string;
  unit: Unit;
}
export interface Day {
  open: boolean;
  start: string;
  end: string;
}
export interface OverrideRow {
  key: number;
  kind: 'account' | 'tag';
  accountId: string | null;
  tag: string;
  first: Dur;
  next: Dur;
}

export function toDur(ms: number | null | undefined): Dur {
  if (ms == null) return { value: '', unit: 'h' };
  const unit: Unit = ms % UNIT_MS.d === 0 ? 'd' : ms % UNIT_MS.h === 0 ? 'h' : 'min';
  return { value: ms / UNIT_MS[unit], unit };
}
/** undefined when empty; NaN when not a number (the schema then says what is wrong). */
export function toMs(d: Dur): number | undefined {
  if (d.value === '' || d.value == null) return undefined;
  return Math.round(Number(d.value) * UNIT_MS[d.unit]);
}

/** Where an issue is, in the form's words. */
export function fieldName(path: PropertyKey[]): string {
  const [a, b, c] = path;
  if (a === 'firstReplyMs') return 'First-reply goal';
  if (a === 'nextReplyMs') return 'Next-reply goal';
  if (a === 'hours') {
    if (b === 'timeZone') return 'Time zone';
    if (b === 'week') return typeof c === 'number' ? DAYS[c]! : 'Business hours';
    if (b === 'daysOff') return 'Days off';
    return 'Business hours';
  }
  if (a === 'overrides') {
    const which = typeof b === 'number' ? `Override ${b + 1}` : 'Overrides';
    if (c === 'firstReplyMs') return `${which}, first reply`;
    if (c === 'nextReplyMs') return `${which}, next reply`;
    if (c === 'tag') return `${which}, tag`;
    return which;
  }
  return 'Goals';
}

/** The schema's first complaint, in words: durations get the goal range instead of raw numbers. */
export function issueText(issue: { path: PropertyKey[]; code: string; message: string }): string {
  const isGoal = issue.path.some((p) => p === 'firstReplyMs' || p === 'nextReplyMs');
  const message = isGoal && (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_type') ? 'a goal is a number from 1 minute to 90 days' : issue.message;
  return `${fieldName(issue.path)}: ${message}`;
}

export function historyText(v: GoalsView, kind: 'first' | 'next'): string {
  const h = v.history;
  if (kind === 'first') {
    if (h.firstReplyP75Ms == null) return 'From your history: 24 h for now (nothing answered yet).';
    return `From your history: ${goalLength(Math.max(MIN, h.firstReplyP75Ms))}, the 75th percentile of your last ${h.firstReplies.toLocaleString()} first replies (median ${goalLength(h.firstReplyP50Ms ?? 0)}).`;
  }
  if (h.nextReplyP75Ms == null) return 'From your history: the same as the first-reply goal (no follow-up answered yet).';
  return `From your history: ${goalLength(Math.max(MIN, h.nextReplyP75Ms))}, the 75th percentile of your last ${h.nextReplies.toLocaleString()} next replies.`;
}
