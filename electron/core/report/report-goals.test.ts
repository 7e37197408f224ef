// Goals met in the canary report, on mailboxes built by hand: each conversation's expected outcome is
// worked out in the comments from the times and the goals written here (report/goals.ts definitions).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { createAccount } from '../db/repos/accounts';
import { DAY, T0, World } from '../linking/testing/world';
import { businessMs } from '../goals/hours';
import { computeReport } from './compute';
import { BusinessClock } from './goals';

const H = 3_600_000;
let dir: string;
let core: Core;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-report-goals-'));
  core = createCore({ dataDir: dir, dbPath: path.join(dir, 'c.db') });
});
afterEach(() => {
  core.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const counts = (outcomes: string[]) => ({
  met: outcomes.filter((o) => o === 'met').length,
  missed: outcomes.filter((o) => o === 'missed').length,
  pending: outcomes.filter((o) => o === 'pending').length,
});

describe('report goals met', () => {
  it('judges each first reply against the goal in force: the owner goal, the strictest tag, a tag over the account; open past the goal missed, paused pending, done unanswered not counted', async () => {
    const w = new World(core.db);
    const mail = (who: string, at: number, replyAt?: number) => w.mail({ address: `${who}@example.com` }, `About ${who}`, 'Hello', at, replyAt ? { replyAt } : {});
    // Week of Monday 2026-06-01 (T0 is 09:00 that day).
    mail('ann', T0, T0 + 3 * H); // 3 h against 4 h: met
    mail('bob', T0 + H, T0 + 6 * H); // 5 h against 4 h: missed
    const C = mail('cid', T0 + 2 * H, T0 + 3.5 * H); // vip (1 h): 1.5 h: missed
    const D = mail('dee', T0 + 3 * H, T0 + 3.5 * H); // vip and slow: the stricter 1 h; 0.5 h: met
    const I = mail('ida', T0 + 4 * H, T0 + 12 * H); // account Night desk (10 h): 8 h: met
    const K = mail('kai', T0 + 5 * H, T0 + 14 * H); // slow (8 h) wins over the account's 10 h: 9 h: missed
    mail('fay', T0 + 4 * H); // open, unanswered for days at `now`: missed
    const G = mail('gus', T0 + 5 * H); // waiting on the customer (clock paused): pending
    const Hd = mail('hal', T0 + 6 * H); // done without an answer (a thank-you): not counted
    // Week of 2026-06-08.
    mail('jo', T0 + 7 * DAY, T0 + 7 * DAY + 4 * H); // exactly 4 h: met
    mail('eve', T0 + 8 * DAY); // open, 2 h at `now`: pending
    const now = T0 + 8 * DAY + 2 * H;

    const acc = createAccount(core.db, { channel: 'email', name: 'Night desk', config: {} });
    core.db.prepare('UPDATE conversations SET account_id = ? WHERE id IN (?, ?)').run(acc.id, I, K);
    await core.call('conversations.tag', { ids: [C, D], add: ['VIP'] });
    await core.call('conversations.tag', { ids: [D, K], add: ['slow'] });
    await core.call('conversations.setStatus', { ids: [G], status: 'waiting' });
    await core.call('conversations.setStatus', { ids: [Hd], status: 'done' });
    await core.call('goals.set', {
      firstReplyMs: 4 * H,
      overrides: [
        { tag: 'vip', firstReplyMs: H },
        { tag: 'slow', firstReplyMs: 8 * H },
        { accountId: acc.id, firstReplyMs: 10 * H },
      ],
    });

    const week1 = counts(['met', 'missed', 'missed', 'met', 'met', 'missed', 'missed', 'pending']); // A B C D I K F G
    const week2 = counts(['met', 'pending']); // J E
    expect(week1).toEqual({ met: 3, missed: 4, pending: 1 });
    const r = computeReport(core.db, {}, now);
    expect(r.goals).toEqual({ met: 4, missed: 4, pending: 2, met_pct: 50 });
    expect(r.goals_per_week).toEqual([
      { week: '2026-06-01', ...week1, met_pct: 42.9 }, // 3 / 7
      { week: '2026-06-08', ...week2, met_pct: 100 },
    ]);
    // The range limits it like every other figure.
    expect(computeReport(core.db, { since: '2026-06-08' }, now).goals).toEqual({ met: 1, missed: 0, pending: 1, met_pct: 100 });
    expect(computeReport(core.db, { since: '2026-07-01' }, now).goals).toEqual({ met: 0, missed: 0, pending: 0, met_pct: null });
    // Through the contract: the same fields (its `now` is the real clock, so E is missed by then).
    expect((await core.call('report.get', {})).goals).toEqual({ met: 4, missed: 5, pending: 1, met_pct: 44.4 });
  });

  it('counts business time when hours are set (a Friday-evening mail answered on Monday morning is within a 4 h goal)', async () => {
    const w = new World(core.db);
    const friday = T0 + 4 * DAY; // Friday 2026-06-05 09:00 UTC
    const monday = T0 + 7 * DAY; // Monday 2026-06-08 09:00 UTC
    w.mail({ address: 'lee@example.com' }, 'Late', 'Hi', friday + 7 * H, { replyAt: monday + H }); // Fri 16-17 + Mon 9-10: 2 h: met (66 h in calendar time)
    w.mail({ address: 'max@example.com' }, 'Noon', 'Hi', friday + 3 * H, { replyAt: monday + H }); // Fri 12-17 + Mon 9-10: 6 h: missed
    w.mail({ address: 'ned@example.com' }, 'Open', 'Hi', friday + 7 * H); // open; at Mon 11:00 1 h + 2 h = 3 h: pending
    const now = monday + 2 * H;
    const day = { start: '09:00', end: '17:00' };
    await core.call('goals.set', { firstReplyMs: 4 * H, hours: { timeZone: 'UTC', week: [null, day, day, day, day, day, null], daysOff: [] } });
    expect(computeReport(core.db, {}, now).goals).toEqual({ met: 1, missed: 1, pending: 1, met_pct: 50 });
    // Back to calendar time: all three are past 4 h.
    await core.call('goals.set', { hours: null });
    expect(computeReport(core.db, {}, now).goals).toEqual({ met: 0, missed: 3, pending: 0, met_pct: 0 });
  });

  it("the report's business clock gives the same business time as goals/hours.ts, across days off and a DST change", () => {
    const day = { start: '08:30', end: '18:00' };
    const hours = { timeZone: 'Europe/Paris', week: [null, day, day, day, { start: '10:00', end: '12:00' }, day, { start: '09:00', end: '13:00' }], daysOff: ['2026-10-26', '2026-11-02'] };
    const from = Date.UTC(2026, 9, 1, 7); // October 2026: Paris leaves summer time on the 25th
    const to = Date.UTC(2026, 11, 1);
    const clock = new BusinessClock(hours, from, to);
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 300; i++) {
      const a = from + Math.floor(rnd() * (to - from));
      const b = a + Math.floor(rnd() * 20 * DAY);
      expect(clock.between(a, Math.min(b, to))).toBe(businessMs(hours, a, Math.min(b, to)));
    }
    expect(clock.between(to, from)).toBe(0);
    expect(new BusinessClock(null, from, to).between(from, from + 5 * H)).toBe(5 * H);
  });
});
