// Goals on constructed conversations with a fixed `now`: which message starts the clock, which goal
// applies (owner's, history's, account's, tag's), due and overdue, paused clocks, business hours.
import { describe, expect, it } from 'vitest';
import type { GoalSettings } from '../../../shared/contract/goals';
import { DEFAULT_GOAL_MS, effectiveGoals, goalFor, goalState, percentile, replyGaps, unanswered, type ThreadMessage } from './goals';

const H = 3_600_000;
const T = Date.UTC(2026, 11, 7, 9); // Monday 09:00 UTC
const none: GoalSettings = { firstReplyMs: null, nextReplyMs: null, hours: null, overrides: [] };
const msg = (direction: 'in' | 'out', h: number): ThreadMessage => ({ direction, sentAt: T + h * H });

describe('response goals', () => {
  it('the clock starts at the oldest unanswered message; first until the business replied once, next after', () => {
    expect(unanswered([msg('in', 0), msg('in', 2)])).toEqual({ since: T, inbound: 2, kind: 'first' });
    expect(unanswered([msg('in', 0), msg('out', 1), msg('in', 3), msg('in', 4), msg('in', 5)])).toEqual({ since: T + 3 * H, inbound: 3, kind: 'next' });
    expect(unanswered([msg('in', 0), msg('out', 1)])).toBeNull();
    expect(unanswered([msg('out', 0)])).toBeNull();
  });

  it('history: first and next reply gaps per conversation, the 75th percentile by nearest rank', () => {
    const rows = [
      { conversationId: 1, ...msg('in', 0) },
      { conversationId: 1, ...msg('in', 1) },
      { conversationId: 1, ...msg('out', 2) }, // first reply 2 h after the first of two messages
      { conversationId: 1, ...msg('in', 10) },
      { conversationId: 1, ...msg('out', 13) }, // next reply 3 h
      { conversationId: 2, ...msg('in', 0) }, // unanswered: no gap
      { conversationId: 3, ...msg('out', 0) },
      { conversationId: 3, ...msg('in', 1) },
      { conversationId: 3, ...msg('out', 5) }, // a reply after the business wrote first: next, 4 h
      { conversationId: 4, ...msg('in', 0) },
      { conversationId: 4, ...msg('out', 8) },
    ];
    expect(replyGaps(rows, null)).toEqual({ first: [2 * H, 8 * H], next: [3 * H, 4 * H] });
    expect(percentile([1, 2, 3, 4], 0.75)).toBe(3);
    expect(percentile([4, 1, 3, 2, 5, 6, 7, 8], 0.75)).toBe(6);
    expect(percentile([], 0.75)).toBeNull();
  });

  it("goals in force: the owner's, else the history's p75, else 24 h; next falls back to first", () => {
    const hist = { first: [1 * H, 2 * H, 3 * H, 4 * H], next: [] };
    expect(effectiveGoals(none, hist)).toEqual({ firstReplyMs: 3 * H, nextReplyMs: 3 * H, firstSource: 'history', nextSource: 'history' });
    expect(effectiveGoals({ ...none, nextReplyMs: 5 * H }, hist)).toMatchObject({ firstReplyMs: 3 * H, nextReplyMs: 5 * H, nextSource: 'set' });
    expect(effectiveGoals(none, { first: [], next: [] })).toMatchObject({ firstReplyMs: DEFAULT_GOAL_MS, firstSource: 'default' });
  });

  it('overrides: a tag beats the account, the strictest tag wins, tags match whatever their case', () => {
    const eff = effectiveGoals({ ...none, firstReplyMs: 8 * H }, { first: [], next: [] });
    const overrides = [
      { accountId: 2, firstReplyMs: 6 * H },
      { tag: 'VIP', firstReplyMs: 2 * H },
      { tag: 'refund', firstReplyMs: 4 * H, nextReplyMs: 1 * H },
    ];
    expect(goalFor(overrides, eff, 1, [], 'first')).toEqual({ goalMs: 8 * H, source: 'set' });
    expect(goalFor(overrides, eff, 2, [], 'first')).toEqual({ goalMs: 6 * H, source: 'account' });
    expect(goalFor(overrides, eff, 2, ['refund'], 'first')).toEqual({ goalMs: 4 * H, source: 'tag' });
    expect(goalFor(overrides, eff, 2, ['refund', 'vip'], 'first')).toEqual({ goalMs: 2 * H, source: 'tag' });
    expect(goalFor(overrides, eff, 2, ['vip'], 'next')).toEqual({ goalMs: 8 * H, source: 'set' });
    expect(goalFor(overrides, eff, 1, ['refund'], 'next')).toEqual({ goalMs: 1 * H, source: 'tag' });
  });

  it('due in and overdue by, in calendar time and in business time over a weekend', () => {
    const settings = { ...none, firstReplyMs: 4 * H };
    const eff = effectiveGoals(settings, { first: [], next: [] });
    const conv = { conversationId: 9, status: 'open' as const, accountId: null, tags: [], messages: [msg('in', 0), msg('in', 3)] };
    expect(goalState(conv, settings, eff, T + 2 * H)).toMatchObject({ kind: 'first', since: T, waitedMs: 2 * H, dueAt: T + 4 * H, overdueMs: -2 * H, paused: null });
    // A message after `now` is not seen yet.
    expect(goalState({ ...conv, messages: [msg('in', 5)] }, settings, eff, T + 2 * H)).toBeNull();
    expect(goalState(conv, settings, eff, T + 9 * H)).toMatchObject({ overdueMs: 5 * H });
    // Friday 4 Dec 15:00 UTC in Paris (16:00) with weekday hours: at Monday 11:00 Paris (10:00 UTC), 3 h waited, 1 h left.
    const paris = { ...settings, hours: { timeZone: 'Europe/Paris', week: [null, ...Array(5).fill({ start: '09:00', end: '17:00' }), null], daysOff: [] } };
    const fri = { ...conv, messages: [{ direction: 'in' as const, sentAt: Date.UTC(2026, 11, 4, 15) }] };
    expect(goalState(fri, paris, eff, Date.UTC(2026, 11, 7, 10))).toMatchObject({ waitedMs: 3 * H, overdueMs: -1 * H, dueAt: Date.UTC(2026, 11, 7, 11), paused: null });
    // On Saturday the clock stands: 1 h waited, paused because the business is closed.
    expect(goalState(fri, paris, eff, Date.UTC(2026, 11, 5, 12))).toMatchObject({ waitedMs: 1 * H, overdueMs: -3 * H, paused: 'closed' });
  });

  it('waiting on the customer or snoozed: the clock is paused; done or answered: no goal', () => {
    const settings = { ...none, firstReplyMs: 4 * H };
    const eff = effectiveGoals(settings, { first: [], next: [] });
    const conv = { conversationId: 9, accountId: null, tags: [], messages: [msg('in', 0)] };
    expect(goalState({ ...conv, status: 'waiting' }, settings, eff, T + 9 * H)).toMatchObject({ dueAt: null, overdueMs: 0, paused: 'waiting' });
    expect(goalState({ ...conv, status: 'snoozed' }, settings, eff, T + 9 * H)).toMatchObject({ dueAt: null, paused: 'snoozed' });
    expect(goalState({ ...conv, status: 'done' }, settings, eff, T + 9 * H)).toBeNull();
    expect(goalState({ ...conv, status: 'open', messages: [msg('in', 0), msg('out', 1)] }, settings, eff, T + 9 * H)).toBeNull();
  });
});
