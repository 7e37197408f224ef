// The canary report on a mailbox built by hand: every figure below is worked out in the comments
// from the times written here, with the documented definitions (nearest-rank percentiles, weeks
// from Monday UTC, a conversation dated by its first customer message).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { createAccount } from '../db/repos/accounts';
import { DAY, T0, World } from '../linking/testing/world';
import { percentile } from './stats';

const H = 3_600_000;
let dir: string;
let core: Core;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-report-'));
  core = createCore({ dataDir: dir, dbPath: path.join(dir, 'c.db') });
});
afterEach(() => {
  core.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** T0 is Monday 2026-06-01 09:00 UTC. Two weeks of mail, three escalations (two after unanswered mail). */
async function buildMailbox(): Promise<Record<string, number>> {
  const w = new World(core.db);
  // Week of 2026-06-01.
  const A = w.mail({ address: 'ann@example.com', name: 'Ann' }, 'Where is my parcel', 'Hello', T0, { replyAt: T0 + 2 * H }); // first reply 2 h
  const B = w.mail({ address: 'bob@example.com', name: 'Bob' }, 'Broken kettle', 'It broke', T0 + H);
  w.mail({ address: 'bob@example.com' }, 'Broken kettle', 'Any news?', T0 + 3 * H, { thread: B }); // follow-up 1
  w.mail({ address: 'bob@example.com' }, 'Broken kettle', 'Hello??', T0 + 5 * H, { thread: B, replyAt: T0 + 10 * H }); // follow-up 2; first reply 9 h
  w.mail({ address: 'bob@example.com' }, 'Broken kettle', 'Thanks', T0 + 11 * H, { thread: B, replyAt: T0 + 12 * H }); // resolution 11 h (done)
  const C = w.mail({ address: 'jane.doe@gmail.com', name: 'Jane Doe' }, 'Refund for HP-482913', 'Hi,\n\nWhere is my refund?\n\nJane', T0 + DAY); // Tuesday 09:00, never answered
  const J = w.post({ id: '7001', handle: 'jdoe88', name: 'Jane' }, 'emailed you 3 times about HP 482913, nothing', T0 + 3 * DAY); // escalation by linking, waited 2 days
  const S = w.post({ id: '7002', handle: 'grumpy', name: 'Some One' }, 'worst service ever, my parcel is lost', T0 + 3 * DAY); // public complaint: not an escalation
  // Week of 2026-06-08 (T0 + 8 days is Tuesday 06-09).
  const D = w.mail({ address: 'dan@example.com' }, 'Gift wrap', 'Can you wrap it?', T0 + 8 * DAY, { replyAt: T0 + 8 * DAY + H }); // first reply 1 h, resolution 1 h (done)
  const F = w.mail({ address: 'fay@example.com' }, 'Invoice INV-77812 charged twice', 'You took the money twice.', T0 + 8 * DAY + 3 * H); // Tuesday 06-09 12:00, never answered
  const E = w.mail({ address: 'eve@example.com' }, 'Size exchange', 'Too small', T0 + 9 * DAY);
  w.mail({ address: 'eve@example.com' }, 'Size exchange', 'Hello?', T0 + 9 * DAY + 2 * H, { thread: E }); // follow-up 1, unanswered
  const G = w.post({ id: '7003', handle: 'fayfay', name: 'Fay' }, 'charged twice and no answer to my email', T0 + 8 * DAY + 8 * H);
  const Hx = w.post({ id: '7004', handle: 'halh', name: 'Hal' }, 'still waiting for my parcel, awful', T0 + 9 * DAY);
  await core.call('links.refresh', {});

  const acc = createAccount(core.db, { channel: 'email', name: 'Shop billing', config: {} });
  core.db.prepare('UPDATE conversations SET account_id = ? WHERE id = ?').run(acc.id, F);
  await core.call('conversations.tag', { ids: [F], add: ['Billing'] });
  await core.call('conversations.setStatus', { ids: [B, D], status: 'done' });
  // Marks set by a person (linking leaves them alone): G after F unanswered for 5 h; H likely, after an answer.
  const mark = core.db.prepare('UPDATE conversations SET escalated = 1, escalation = ? WHERE id = ?');
  mark.run(JSON.stringify({ reason: 'test', waitedMs: 5 * H, emailConversationId: F, state: 'escalated', after: 'unanswered', source: 'test' }), G);
  mark.run(JSON.stringify({ reason: 'test', waitedMs: 3 * DAY, emailConversationId: A, state: 'likely', after: 'answered', source: 'test' }), Hx);
  return { A, B, C, D, E, F, G, Hx, J, S };
}

describe('report.get', () => {
  it('nearest-rank percentile', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('counts conversations, reply and resolution times, escalations and their waits exactly', async () => {
    const ids = await buildMailbox();
    const esc = JSON.parse(core.db.prepare('SELECT escalation FROM conversations WHERE id = ?').pluck().get(ids.J) as string) as Record<string, unknown>;
    expect(esc).toMatchObject({ state: 'escalated', after: 'unanswered', waitedMs: 2 * DAY, emailConversationId: ids.C });

    const r = await core.call('report.get', {});
    // 6 email threads + 4 X conversations; answered A (2 h), B (9 h), D (1 h): sorted [1, 2, 9] h.
    expect(r.conversations).toBe(10);
    expect(r.answered).toBe(3);
    expect(r.first_reply_ms).toEqual({ p50: 2 * H, p90: 9 * H }); // ranks ceil(1.5) = 2 and ceil(2.7) = 3
    expect(r.resolution_ms).toEqual({ p50: H, p90: 11 * H }); // done: D 1 h, B 11 h
    expect(r.escalations).toBe(3); // J, G, H (S is a public complaint)
    expect(r.unanswered_escalations).toBe(2);
    expect(r.escalation_wait_ms).toEqual({ p50: 5 * H, p90: 2 * DAY });
    expect(r.escalations_per_week).toEqual([
      { week: '2026-06-01', escalations: 1, unanswered: 1 },
      { week: '2026-06-08', escalations: 2, unanswered: 1 },
    ]);
    expect(r.escalation_wait_buckets.filter((b) => b.escalations > 0)).toEqual([
      { bucket: '4–24 h', escalations: 1 },
      { bucket: '1–3 d', escalations: 1 },
    ]);

    // Touchpoints: C (no account, Tuesday 06-02 09:00, 'Refund for HP-482913') and F (Shop billing, tag billing, Tuesday 06-09 12:00, invoice).
    expect(r.failed.accounts).toEqual([
      { key: '(no account)', escalations: 1 },
      { key: 'Shop billing', escalations: 1 },
    ]);
    expect(r.failed.tags).toEqual([{ key: 'billing', escalations: 1 }]);
    // 'Refund for HP-482913' → refund ('for' is a function word, 'hp' too short); 'Invoice INV-77812 charged twice' → charged, inv, invoice, twice.
    expect(r.failed.subject_words).toEqual(['charged', 'inv', 'invoice', 'refund', 'twice'].map((key) => ({ key, escalations: 1 })));
    expect(r.failed.reference_kinds).toEqual([
      { key: 'invoice', escalations: 1 },
      { key: 'refund', escalations: 1 },
    ]);
    expect(r.failed.hours.filter((h) => h.escalations > 0)).toEqual([
      { hour: 9, escalations: 1 },
      { hour: 12, escalations: 1 },
    ]);
    expect(r.failed.hours).toHaveLength(24);
    expect(r.failed.weekdays.filter((d) => d.escalations > 0)).toEqual([{ weekday: 'Tuesday', escalations: 2 }]);
    expect(r.failed.weekdays.map((d) => d.weekday)).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);

    // Follow-ups: B 2 (answered), E 1 (unanswered); every other conversation 0: A, D answered; C, F (both went public), J, S, G, H not.
    expect(r.follow_ups).toEqual([
      { follow_ups: '0', answered: 2, unanswered: 6, escalated: 2 },
      { follow_ups: '1', answered: 0, unanswered: 1, escalated: 0 },
      { follow_ups: '2', answered: 1, unanswered: 0, escalated: 0 },
      { follow_ups: '3', answered: 0, unanswered: 0, escalated: 0 },
      { follow_ups: '4', answered: 0, unanswered: 0, escalated: 0 },
      { follow_ups: '5+', answered: 0, unanswered: 0, escalated: 0 },
    ]);

    const row = (week: string, dimension: string, key: string) => r.times_per_week.find((t) => t.week === week && t.dimension === dimension && t.key === key);
    // Week 1: A, B, C (email), J, S (x). Week 2: D, F, E (email), G, H (x).
    expect(row('2026-06-01', 'all', 'all')).toEqual({
      week: '2026-06-01',
      dimension: 'all',
      key: 'all',
      conversations: 5,
      answered: 2,
      first_reply_ms: { p50: 2 * H, p90: 9 * H },
      resolved: 1,
      resolution_ms: { p50: 11 * H, p90: 11 * H },
    });
    expect(row('2026-06-01', 'channel', 'email')).toMatchObject({ conversations: 3, answered: 2, first_reply_ms: { p50: 2 * H, p90: 9 * H } });
    expect(row('2026-06-01', 'channel', 'x')).toMatchObject({ conversations: 2, answered: 0, first_reply_ms: { p50: null, p90: null } });
    expect(row('2026-06-08', 'all', 'all')).toMatchObject({ conversations: 5, answered: 1, first_reply_ms: { p50: H, p90: H }, resolved: 1, resolution_ms: { p50: H, p90: H } });
    expect(row('2026-06-08', 'account', 'Shop billing')).toMatchObject({ conversations: 1, answered: 0 });
    expect(row('2026-06-08', 'account', '(no account)')).toMatchObject({ conversations: 4, answered: 1 });
    expect(row('2026-06-08', 'tag', 'billing')).toMatchObject({ conversations: 1, answered: 0, resolved: 0 });
    // Week 1: all, email, x, (no account); week 2: the same four, Shop billing and the billing tag.
    expect(r.times_per_week.map((t) => `${t.week} ${t.dimension} ${t.key}`)).toEqual([
      '2026-06-01 all all',
      '2026-06-01 channel email',
      '2026-06-01 channel x',
      '2026-06-01 account (no account)',
      '2026-06-08 all all',
      '2026-06-08 channel email',
      '2026-06-08 channel x',
      '2026-06-08 account (no account)',
      '2026-06-08 account Shop billing',
      '2026-06-08 tag billing',
    ]);
  });

  it('takes a mark made before escalation.after existed (thread and wait named) as after unanswered mail', async () => {
    const ids = await buildMailbox();
    // G's mark rewritten the old way (the demo's): no `after`, no state.
    core.db
      .prepare('UPDATE conversations SET escalation = ? WHERE id = ?')
      .run(JSON.stringify({ reason: 'Complained on X after 5 hours without an email answer', waitedMs: 5 * H, emailConversationId: ids.F }), ids.G);
    // And H's without a thread: neither unanswered nor a touchpoint.
    core.db.prepare('UPDATE conversations SET escalation = ? WHERE id = ?').run(JSON.stringify({ reason: 'by hand', waitedMs: null, emailConversationId: null }), ids.Hx);
    const r = await core.call('report.get', {});
    expect(r).toMatchObject({ escalations: 3, unanswered_escalations: 2, escalation_wait_ms: { p50: 5 * H, p90: 2 * DAY } });
    expect(r.failed.tags).toEqual([{ key: 'billing', escalations: 1 }]);
  });

  it('limits everything to the date range (UTC days, both ends inclusive)', async () => {
    await buildMailbox();
    const second = await core.call('report.get', { since: '2026-06-08' });
    expect(second).toMatchObject({
      since: '2026-06-08',
      until: null,
      conversations: 5,
      first_reply_ms: { p50: H, p90: H },
      escalations: 2,
      unanswered_escalations: 1,
      escalation_wait_ms: { p50: 5 * H, p90: 5 * H },
    });
    const mid = await core.call('report.get', { since: '2026-06-02', until: '2026-06-04' });
    // C (06-02), J and S (06-04): no answers; J went public after 2 days.
    expect(mid).toMatchObject({ conversations: 3, answered: 0, first_reply_ms: { p50: null, p90: null }, escalations: 1, escalation_wait_ms: { p50: 2 * DAY, p90: 2 * DAY } });
    const none = await core.call('report.get', { since: '2026-07-01', until: '2026-07-31' });
    expect(none).toMatchObject({ conversations: 0, escalations: 0, first_reply_ms: { p50: null, p90: null }, escalations_per_week: [], times_per_week: [] });
  });

  it('refuses a malformed or inverted range with a clear error', async () => {
    await expect(core.call('report.get', { since: '2026-13-01' })).rejects.toThrow(/not a calendar date/);
    await expect(core.call('report.get', { since: '06/01/2026' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(core.call('report.get', { since: '2026-06-08', until: '2026-06-01' })).rejects.toThrow(/since must not be after until/);
  });
});
