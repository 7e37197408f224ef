// The at-risk list on constructed mailboxes with a fixed `now`: who is listed, the order, and the
// reasons in words; and goals through the contract (validation, storage, history default).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { T0, World } from '../linking/testing/world';
import { goalStates } from '../goals/service';
import { riskList } from './list';
import { storeXPage } from '../x/normalize';
import { followersOf, publicWindow, riskFactors, riskOf, riskPoints, riskScore, windowShare, type RiskInput } from './score';

const H = 3_600_000;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function core(): Core {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-risk-'));
  const c = createCore({ dataDir: dir });
  cleanups.push(() => {
    c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

/** Four answered conversations: first replies after 2, 4, 6 and 8 h (p50 4 h, p75 6 h). */
function history(w: World): void {
  [2, 4, 6, 8].forEach((h, i) => w.mail({ address: `past${i}@mail.example` }, `Order ${i}`, 'Hello, a question about my order.', T0 + i * H, { replyAt: T0 + i * H + h * H }));
}

describe('at risk', () => {
  it('orders the waiting conversations by risk, with reasons in words; answered, waiting and done are not listed', () => {
    const c = core();
    const w = new World(c.db);
    history(w);
    const now = T0 + 100 * H;
    // Wrote three times over two days, "third time I write".
    const chaser = w.mail({ address: 'chaser@mail.example', name: 'Chase R' }, 'Where is my order', 'Hello, where is my order?', now - 48 * H);
    w.mail({ address: 'chaser@mail.example' }, 'Re: Where is my order', 'Any news?', now - 30 * H, { thread: chaser });
    w.mail({ address: 'chaser@mail.example' }, 'Re: Where is my order', 'This is the third time I write. Still waiting.', now - 20 * H, { thread: chaser });
    // One mail, a day old, threatening a chargeback.
    const threat = w.mail({ address: 'angry@mail.example' }, 'Broken kettle', "If this isn't sorted by Friday I'm filing a chargeback with my bank.", now - 24 * H);
    // One mail, 3 days old, nothing else: the oldest.
    const oldest = w.mail({ address: 'quiet@mail.example' }, 'Question', 'Do you ship to Peru?', now - 72 * H);
    // One mail a day old from a customer linked to an X account that complained in public before.
    const known = w.mail({ address: 'known@mail.example', name: 'Kim Known' }, 'Refund', 'Please refund my order.', now - 24 * H);
    const post = w.post({ id: '7001', handle: 'kimknown', name: 'Kim' }, 'worst service ever', now - 60 * H);
    c.db.prepare(`UPDATE conversations SET escalated = 1, escalation = '{"state":"escalated"}' WHERE id = ?`).run(post);
    c.db
      .prepare(`INSERT INTO links (identity_id, customer_id, state, score, decided_by, created_at, updated_at) VALUES (?, ?, 'confirmed', 1, 'user', ?, ?)`)
      .run(w.identityOf('7001'), w.customerOf('known@mail.example'), T0, T0);
    // Fresh: an hour old.
    const fresh = w.mail({ address: 'fresh@mail.example' }, 'Hello', 'Is the shop open on Sunday?', now - 1 * H);
    // Not listed: answered, waiting on the customer, done, after `now`.
    w.mail({ address: 'done1@mail.example' }, 'Answered', 'Hi', now - 50 * H, { replyAt: now - 49 * H });
    const waiting = w.mail({ address: 'wait@mail.example' }, 'Waiting', 'I will send the photo', now - 80 * H);
    const done = w.mail({ address: 'done2@mail.example' }, 'Done', 'chargeback now', now - 80 * H);
    c.db.prepare("UPDATE conversations SET status = 'waiting' WHERE id = ?").run(waiting);
    c.db.prepare("UPDATE conversations SET status = 'done' WHERE id = ?").run(done);
    w.mail({ address: 'later@mail.example' }, 'Later', 'chargeback!', now + 1 * H);

    const r = riskList(c.db, { now, limit: 50 });
    const order = r.items.map((i) => i.conversationId);
    // Points 80, 75, 70, 55 (a public post unanswered for 60 h), 45, 5, each times its timing window
    // (DEFAULT_WAITS_DAYS: the share of the 14 default waits beyond the customer's silence): silent
    // 20 h 13/14, 24 h 12/14, 60 h 9/14, 72 h 7/14, an hour 14/14.
    expect(order).toEqual([chaser, known, threat, post, oldest, fresh]);
    expect(r.items.map((i) => i.risk)).toEqual([74.3, 64.3, 60, 35.4, 22.5, 5]);
    expect(r.waiting).toBe(6);
    const byId = new Map(r.items.map((i) => [i.conversationId, i]));
    const reasons = (id: number) => byId.get(id)!.factors.map((f) => `${f.factor}: ${f.reason}`);
    // Goal from history: p75 of 2, 4, 6, 8 h = 6 h; usual (p50) 4 h.
    expect(reasons(chaser)).toEqual([
      'wait_goal: overdue 42 h (first-reply goal 6 h)',
      'follow_ups: third time they write without an answer',
      "wait_usual: 12× this business's usual first reply (4 h)",
      'wording: writes: "Still waiting"',
      "timing: silent 20 h; 7% of this business's customers who went public did so sooner (× 0.93)",
    ]);
    expect(byId.get(chaser)!.risk).toBe(30 + 20 + 15 + 15 - 5.7);
    expect(reasons(threat)).toContain('wording: threatens: "chargeback"');
    expect(reasons(known)).toEqual(expect.arrayContaining(['x_account: on X as @kimknown', 'earlier_public: complained in public before (1 conversation)']));
    expect(byId.get(fresh)!.factors.map((f) => f.factor)).toEqual(['wait_goal']);
    expect(byId.get(fresh)!.goal).toMatchObject({ kind: 'first', goalMs: 6 * H, source: 'history', overdueMs: -5 * H, dueAt: now + 5 * H });
    // Without the reasons in words (the notifier's goal check): the same list, scores and goals.
    const bare = riskList(c.db, { now, limit: 50, factors: false });
    expect(bare.items.map((i) => ({ ...i, factors: [] }))).toEqual(r.items.map((i) => ({ ...i, factors: [] })));
    expect(bare.items.every((i) => i.factors.length === 0)).toBe(true);
    // "Oldest waiting first" would have put the quiet question first.
    const oldestFirst = [...r.items].sort((a, b) => a.goal.since - b.goal.since).map((i) => i.conversationId);
    expect(oldestFirst[0]).toBe(oldest);

    // Goal states by id, in the order asked; null for what is not waiting on the business.
    const states = goalStates(c.db, [fresh, waiting, done, 999_999], now);
    expect(states[0]).toMatchObject({ conversationId: fresh, overdueMs: -5 * H });
    expect(states[1]).toMatchObject({ paused: 'waiting', dueAt: null });
    expect(states.slice(2)).toEqual([null, null]);
  });

  it('reach from the stored profile, and the score is the capped sum of the factors', () => {
    expect(followersOf(JSON.stringify({ public_metrics: { followers_count: 12_300 } }))).toBe(12_300);
    expect(followersOf(JSON.stringify({ followersCount: 5 }))).toBe(5);
    expect(followersOf(JSON.stringify({ description: 'x' }))).toBeNull();
    expect(followersOf('{bad')).toBeNull();
    const goal = { conversationId: 1, kind: 'first' as const, goalMs: H, source: 'set' as const, since: 0, waitedMs: 10 * H, dueAt: H, overdueMs: 9 * H, paused: null };
    const f = riskFactors({
      goal,
      silentMs: H,
      usualMs: H,
      inbound: 9,
      texts: ["I'm going to leave a 1-star review, emailed you 5 times"],
      onX: false,
      xAccounts: [{ handle: 'big', followers: 100_000 }],
      earlierPublic: 3,
    });
    expect(Object.fromEntries(f.map((x) => [x.factor, x.points]))).toEqual({ wait_goal: 30, wait_usual: 15, follow_ups: 30, wording: 25, x_account: 10, reach: 10, earlier_public: 30 });
    expect(f.find((x) => x.factor === 'reach')!.reason).toBe('@big has 100,000 followers');
    expect(f.find((x) => x.factor === 'follow_ups')!.reason).toBe('ninth time they write without an answer');
    expect(riskScore(f)).toBe(100);
  });

  it("the points count in the window when this business's customers go public: a month-old thread ranks below a three-day-old one", () => {
    const D = 24 * H;
    const at = (waited: number) => ({
      conversationId: 1,
      kind: 'first' as const,
      goalMs: 6 * H,
      source: 'history' as const,
      since: 0,
      waitedMs: waited,
      dueAt: 6 * H,
      overdueMs: waited - 6 * H,
      paused: null,
    });
    const base = { usualMs: 4 * H, inbound: 1, texts: ['Hello'], onX: false, xAccounts: [], earlierPublic: 0 };
    // Without five escalations of its own: DEFAULT_WAITS_DAYS (14 waits, all within 14 days, 7 of them ≤ 3 days).
    const fresh = riskFactors({ ...base, goal: at(3 * D), silentMs: 3 * D });
    expect(Object.fromEntries(fresh.map((f) => [f.factor, f.points]))).toEqual({ wait_goal: 30, wait_usual: 15, timing: -22.5 });
    expect(riskScore(fresh)).toBe(22.5);
    const old = riskFactors({ ...base, goal: at(42 * D), silentMs: 42 * D });
    expect(riskScore(old)).toBe(4.5);
    expect(old.find((f) => f.factor === 'timing')!.reason).toBe("silent 42 days; 100% of this business's customers who went public did so sooner (× 0.10)");
    // A follow-up yesterday: the thread's window is mostly ahead, however old its first message.
    expect(riskScore(riskFactors({ ...base, goal: at(42 * D), silentMs: D, inbound: 2 }))).toBe(47.1);
    // A message an hour ago, before its goal: no timing factor, the goal's share only.
    expect(riskFactors({ ...base, goal: at(H), silentMs: H }).map((f) => f.factor)).toEqual(['wait_goal']);
    // The business's own escalations: customers posted 2-8 days after their last email.
    const own = publicWindow([2, 3, 3, 4, 5, 5, 6, 7, 8, 8].map((d) => d * D));
    expect(own.peak).toBe(10);
    expect(windowShare(own, 5 * D)).toBe(0.4);
    expect(windowShare(own, 16 * D)).toBe(0.1);
    expect(riskScore(riskFactors({ ...base, goal: at(5 * D), silentMs: 5 * D, window: own }))).toBe(18);
    // Fewer than five: the default.
    expect(publicWindow([D, D]).waits).toHaveLength(14);
    // Posts made late (20-30 days) put the window's peak there: a fresh thread is not yet in it.
    const late = publicWindow([20, 22, 24, 26, 28, 30].map((d) => d * D));
    expect(windowShare(late, 0)).toBe(0.1);
    expect(windowShare(late, 16 * D)).toBe(1);
  });

  it('reach: the followers X reports (public_metrics) for an account linked to the customer', () => {
    const c = core();
    const w = new World(c.db);
    history(w);
    const now = T0 + 100 * H;
    const conv = w.mail({ address: 'kim@mail.example', name: 'Kim Known' }, 'Refund', 'Please refund my order.', now - 24 * H);
    storeXPage(
      c.db,
      'tweets',
      {
        data: [{ id: '1900', text: '@shop hi', author_id: '7001', created_at: new Date(now - 60 * H).toISOString(), conversation_id: '1900', edit_history_tweet_ids: ['1900'] }],
        includes: { users: [{ id: '7001', name: 'Kim', username: 'kimknown', public_metrics: { followers_count: 12_300, following_count: 5 } }] },
        meta: { result_count: 1 },
      },
      { source: 'GET /2/users/:id/mentions', now },
    );
    const identity = c.db.prepare("SELECT id FROM identities WHERE x_user_id = '7001'").pluck().get() as number;
    c.db
      .prepare(`INSERT INTO links (identity_id, customer_id, state, score, decided_by, created_at, updated_at) VALUES (?, ?, 'confirmed', 1, 'user', ?, ?)`)
      .run(identity, w.customerOf('kim@mail.example'), T0, T0);
    const item = riskList(c.db, { now, limit: 50 }).items.find((i) => i.conversationId === conv)!;
    // 10 × log10(12,301) / 5
    expect(item.factors.find((f) => f.factor === 'reach')).toMatchObject({ points: 8.2, reason: '@kimknown has 12,300 followers' });
  });

  it("the history is read again when the business answers, not for a customer's message alone", async () => {
    const c = core();
    const w = new World(c.db);
    history(w);
    expect((await c.call('goals.get', {})).history).toMatchObject({ firstReplies: 4, firstReplyP75Ms: 6 * H });
    w.mail({ address: 'waiting@mail.example' }, 'Order 9', 'Hello?', T0 + 50 * H);
    expect((await c.call('goals.get', {})).history).toMatchObject({ firstReplies: 4, firstReplyP75Ms: 6 * H });
    // Answered after 20 h: five first replies, the p75 moves to 8 h.
    w.mail({ address: 'late@mail.example' }, 'Order 10', 'Hello?', T0 + 60 * H, { replyAt: T0 + 80 * H });
    expect((await c.call('goals.get', {})).history).toMatchObject({ firstReplies: 5, firstReplyP75Ms: 8 * H });
  });

  it('goals through the contract: set, cleared back to history, refused when invalid', async () => {
    const c = core();
    const w = new World(c.db);
    history(w);
    const v = await c.call('goals.get', {});
    expect(v.effective).toMatchObject({ firstReplyMs: 6 * H, firstSource: 'history' });
    expect(v.history).toMatchObject({ firstReplies: 4, firstReplyP50Ms: 4 * H, firstReplyP75Ms: 6 * H });
    const hours = { timeZone: 'Europe/Paris', week: [null, { start: '09:00', end: '17:00' }, null, null, null, null, null] };
    const s = await c.call('goals.set', { firstReplyMs: 2 * H, hours, overrides: [{ tag: 'vip', firstReplyMs: H }] });
    expect(s).toMatchObject({ firstReplyMs: 2 * H, hours: { ...hours, daysOff: [] }, overrides: [{ tag: 'vip', firstReplyMs: H }], effective: { firstReplyMs: 2 * H, firstSource: 'set' } });
    expect((await c.call('goals.set', { firstReplyMs: null })).effective.firstSource).toBe('history');
    await expect(c.call('goals.set', { hours: { ...hours, timeZone: 'Mars/Olympus' } })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(c.call('goals.set', { hours: { ...hours, week: Array(7).fill(null) } })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(c.call('goals.set', { overrides: [{ tag: 'vip', accountId: 1, firstReplyMs: H }] })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(c.call('goals.set', { firstReplyMs: 10 })).rejects.toMatchObject({ code: 'invalid_args' });
    // Refused input changed nothing.
    expect(await c.call('goals.get', {})).toMatchObject({ hours: { timeZone: 'Europe/Paris' }, overrides: [{ tag: 'vip' }] });
    const list = await c.call('risk.list', {});
    expect(list.items).toEqual([]);
    // Calendar time again, a 2 h goal: a mail an hour old is due in about an hour, through the contract.
    await c.call('goals.set', { hours: null, firstReplyMs: 2 * H });
    const now = Date.now();
    const conv = w.mail({ address: 'new@mail.example' }, 'Hello', 'Hello?', now - H);
    const { goals } = await c.call('conversations.goals', { ids: [conv, 999_999] });
    expect(goals[0]).toMatchObject({ conversationId: conv, kind: 'first', goalMs: 2 * H, source: 'set', since: now - H, dueAt: now + H, paused: null });
    expect(goals[0]!.overdueMs).toBeGreaterThanOrEqual(-H);
    expect(goals[0]!.overdueMs).toBeLessThan(-H + 60_000);
    expect(goals[1]).toBeNull();
    expect((await c.call('risk.list', { limit: 5 })).items.map((i) => i.conversationId)).toEqual([conv]);
    await expect(c.call('conversations.goals', { ids: [] })).rejects.toMatchObject({ code: 'invalid_args' });
  });

  it('riskOf, which the list scores every waiting conversation with, gives the score of the factors (riskScore of riskPoints) on random inputs', () => {
    let s = 91;
    const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
    const D = 24 * H;
    const texts = ['Hello', 'Still waiting for an answer.', "I'm filing a chargeback", 'Third time I write', 'Thanks'];
    const windows = [undefined, publicWindow([2, 3, 3, 4, 5, 5, 6, 7, 8, 8].map((d) => d * D)), publicWindow([20, 22, 24, 26, 28, 30].map((d) => d * D))];
    const differentScores = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      const goalMs = Math.floor(1 + r() * 48) * (r() < 0.5 ? H : 60_000);
      const waitedMs = r() < 0.1 ? 0 : Math.floor(r() * 40 * D);
      const x: RiskInput = {
        goal: { conversationId: i, kind: r() < 0.5 ? 'first' : 'next', goalMs, source: 'set', since: 0, waitedMs, dueAt: goalMs, overdueMs: waitedMs - goalMs, paused: null },
        silentMs: Math.floor(r() * 30 * D),
        window: windows[i % 3],
        usualMs: r() < 0.2 ? null : Math.floor(r() * 20 * H),
        inbound: 1 + Math.floor(r() * 6),
        texts: texts.filter(() => r() < 0.3),
        onX: r() < 0.2,
        xAccounts: r() < 0.5 ? [] : [{ handle: 'a', followers: r() < 0.3 ? null : Math.floor(r() * 10 ** (r() * 7)) }, ...(r() < 0.3 ? [{ handle: null, followers: Math.floor(r() * 500) }] : [])],
        earlierPublic: Math.floor(r() * 3),
      };
      const expected = riskScore(riskPoints(x));
      expect(riskOf(x), JSON.stringify(x)).toBe(expected);
      differentScores.add(expected);
    }
    // Not a handful of saturated values: the inputs spread over the scale.
    expect(differentScores.size).toBeGreaterThan(300);
  });
});
