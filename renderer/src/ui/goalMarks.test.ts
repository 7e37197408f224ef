// The words of goal marks: rounded as the core words its reasons, so a row and its reasons agree.
import { describe, expect, it } from 'vitest';
import type { GoalState } from '../../../shared/contract/goals';
import { dueText, goalDuration, goalLength, signedPoints } from './goalMarks';

const MIN = 60_000;
const H = 60 * MIN;

describe('goal marks', () => {
  it('rounds durations as humanDuration does: minutes under an hour, hours under two days, then days', () => {
    expect(goalDuration(0)).toBe('1 min');
    expect(goalDuration(29 * MIN + 20_000)).toBe('29 min');
    expect(goalDuration(5.25 * H)).toBe('5 h');
    expect(goalDuration(5.75 * H)).toBe('6 h');
    expect(goalDuration(47 * H)).toBe('47 h');
    expect(goalDuration(60 * H)).toBe('3 days');
    expect(goalDuration(60 * H, true)).toBe('3 d');
  });

  it('says overdue or due in, and writes goal lengths in whole units', () => {
    const g = { overdueMs: 5.25 * H } as GoalState;
    expect(dueText(g)).toBe('overdue 5 h');
    expect(dueText({ ...g, overdueMs: -1.75 * H })).toBe('due in 2 h');
    expect(dueText({ ...g, overdueMs: 0 })).toBe('due in 1 min');
    expect(dueText({ ...g, overdueMs: 14 * 24 * H }, true)).toBe('overdue 14 d');
    expect(signedPoints(30)).toBe('+30');
    expect(signedPoints(-3.9)).toBe('−3.9');
    expect(goalLength(3 * H)).toBe('3 h');
    expect(goalLength(90 * MIN)).toBe('1 h 30 min');
    expect(goalLength(54 * H)).toBe('2 d 6 h');
  });
});
