// The notifier with a real core and database: the linking engine marks a complaint escalated (or
// likely) and the notifier announces it once; a restart announces nothing old; quiet hours and a
// kind turned off suppress (the badge still counts); an at-risk conversation passing its goal is
// announced once. The words never carry a message's text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvents } from '../../../shared/contract/events';
import { createCore, type Core } from '../createCore';
import { seedWorkspace, type SeedWorkspace } from '../demo/seed';
import { coalesce, inQuietHours, notifiesOnChange } from './decide';

const H = 3_600_000;
const NOW = Date.UTC(2026, 2, 10, 12, 0); // a Tuesday, 12:00 UTC
const COMPLAINT = '@northwind three days and no answer about my damaged frame. Anyone there?';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

interface Opened {
  core: Core;
  shown: CoreEvents['notify.show'][];
  badges: number[];
}

function open(dir: string, clock: { now: number }): Opened {
  const core = createCore({ dataDir: dir, now: () => clock.now });
  const shown: CoreEvents['notify.show'][] = [];
  const badges: number[] = [];
  core.events.subscribe((e) => {
    if (e.name === 'notify.show') shown.push(e.payload);
    if (e.name === 'notify.badge') badges.push(e.payload.escalated);
  });
  cleanups.unshift(() => core.dispose());
  return { core, shown, badges };
}

function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-notify-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'data');
}

/** Maria emailed three days ago, unanswered; her linked X account complains two hours ago (no mark yet: linking sets it). */
function workspace(now: number): SeedWorkspace {
  return {
    self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
    people: [{ key: 'maria', name: 'Maria Kowalski', email: 'maria.kowalski@example.com', x: { userId: '2001', handle: 'mariak_design', name: 'Maria Kowalski' } }],
    conversations: [
      {
        key: 'maria-email',
        kind: 'email',
        with: 'maria',
        subject: 'Order #4411 arrived damaged',
        messages: [{ from: 'maria', at: now - 74 * H, text: 'My Trail 29 frame arrived with a cracked rear dropout. Can you send a replacement?' }],
      },
      { key: 'maria-tweet', kind: 'tweet', with: 'maria', messages: [{ from: 'maria', at: now - 2 * H, text: COMPLAINT }] },
    ],
    links: [{ x: 'maria', email: 'maria', state: 'linked', score: 0.95, evidence: ['Same name'] }],
  };
}

/** Wait for the notifier's coalescing pause and linking's follow-up, then some. */
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('notifier', () => {
  it('a new escalation notifies once, with the subject and no message text; the badge counts it', async () => {
    const clock = { now: NOW };
    const { core, shown, badges } = open(tmp(), clock);
    const seeded = seedWorkspace(core.db, workspace(NOW), NOW);
    const tweet = seeded.conversations.get('maria-tweet')!;
    expect(core.ctx.notify.escalatedCount).toBe(0);
    await core.call('links.refresh', {});
    await vi.waitFor(() => expect(shown).toHaveLength(1));
    expect(shown[0]).toEqual({
      kind: 'escalated',
      conversationId: tweet,
      title: 'Escalated: Maria Kowalski',
      body: expect.stringContaining("their email 'Order #4411 arrived damaged'"),
    });
    expect(shown[0]!.body).not.toContain('damaged frame');
    expect(badges.at(-1)).toBe(1);
    expect(core.ctx.notify.escalatedCount).toBe(1);
    // The same conversation changing again (read, linked again, a full build) is not announced again.
    core.ctx.bus.emit('ConversationsChanged', { ids: [tweet] });
    await core.call('links.refresh', { full: true });
    await settle();
    expect(shown).toHaveLength(1);
    // Done: the badge counts it no more.
    await core.call('conversations.setStatus', { ids: [tweet], status: 'done' });
    await vi.waitFor(() => expect(badges.at(-1)).toBe(0));
    expect(shown).toHaveLength(1);
  });

  it('a restart announces nothing that was marked before it', async () => {
    const clock = { now: NOW };
    const dir = tmp();
    const first = open(dir, clock);
    const tweet = seedWorkspace(first.core.db, workspace(NOW), NOW).conversations.get('maria-tweet')!;
    await first.core.call('links.refresh', {});
    await vi.waitFor(() => expect(first.shown).toHaveLength(1));
    await first.core.close();
    cleanups.shift();

    const again = open(dir, clock);
    expect(again.core.ctx.notify.escalatedCount).toBe(1);
    again.core.ctx.bus.emit('ConversationsChanged', { ids: [tweet] });
    await again.core.call('links.refresh', { full: true });
    await settle();
    expect(again.shown).toEqual([]);
  });

  it('quiet hours suppress (the badge still counts); outside them it is shown', async () => {
    const clock = { now: NOW };
    const quiet = open(tmp(), clock);
    // 12:00 UTC is 13:00 in Paris in March: quiet from 12:30 to 14:00 there.
    await quiet.core.call('settings.set', { notifications: { quietHours: { from: '12:30', to: '14:00', timeZone: 'Europe/Paris' } } });
    seedWorkspace(quiet.core.db, workspace(NOW), NOW);
    await quiet.core.call('links.refresh', {});
    await vi.waitFor(() => expect(quiet.badges.at(-1)).toBe(1));
    await settle();
    expect(quiet.shown).toEqual([]);

    const loud = open(tmp(), clock);
    await loud.core.call('settings.set', { notifications: { quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Paris' } } });
    seedWorkspace(loud.core.db, workspace(NOW), NOW);
    await loud.core.call('links.refresh', {});
    await vi.waitFor(() => expect(loud.shown).toHaveLength(1));
  });

  it('a kind turned off suppresses it', async () => {
    const clock = { now: NOW };
    const { core, shown, badges } = open(tmp(), clock);
    await core.call('settings.set', { notifications: { escalated: false } });
    seedWorkspace(core.db, workspace(NOW), NOW);
    await core.call('links.refresh', {});
    await vi.waitFor(() => expect(badges.at(-1)).toBe(1));
    await settle();
    expect(shown).toEqual([]);
  });

  it('a likely escalation names the suggested customer; turned off, it is not shown', async () => {
    // Maria's complaint comes from an account Canary can only suggest for her: her work account,
    // whose bio gives her address, is the one linked (as e2e/escalation-fixture.ts).
    const likely = (now: number): SeedWorkspace => ({
      self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
      people: [
        { key: 'maria', name: 'Maria Kowalski', email: 'maria.kowalski@example.com', x: { userId: '2001', handle: 'mariak_design', name: 'Maria Kowalski' } },
        { key: 'work', name: 'Maria K (work)', x: { userId: '2004', handle: 'maria_at_studio', name: 'Maria K', profile: { description: 'Studio K. Mail: maria.kowalski@example.com' } } },
      ],
      conversations: [
        {
          key: 'maria-email',
          kind: 'email',
          with: 'maria',
          subject: 'Order #4411 arrived damaged',
          messages: [{ from: 'maria', at: now - 74 * H, text: 'My Trail 29 frame arrived with a cracked rear dropout.' }],
        },
        { key: 'work-tweet', kind: 'tweet', with: 'work', messages: [{ from: 'work', at: now - 300 * H, text: '@northwind new studio, new bikes' }] },
        { key: 'maria-tweet', kind: 'tweet', with: 'maria', messages: [{ from: 'maria', at: now - 2 * H, text: COMPLAINT }] },
      ],
    });
    const clock = { now: NOW };
    const on = open(tmp(), clock);
    const tweet = seedWorkspace(on.core.db, likely(NOW), NOW).conversations.get('maria-tweet')!;
    await on.core.call('links.refresh', {});
    await vi.waitFor(() => expect(on.shown).toHaveLength(1));
    expect(on.shown[0]).toMatchObject({ kind: 'likely', conversationId: tweet, title: 'Likely escalation: Maria Kowalski?' });
    expect(on.shown[0]!.body).toContain("'Order #4411 arrived damaged'");

    const off = open(tmp(), clock);
    await off.core.call('settings.set', { notifications: { likely: false } });
    seedWorkspace(off.core.db, likely(NOW), NOW);
    await off.core.call('links.refresh', {});
    await vi.waitFor(() => expect(off.badges.at(-1)).toBe(1));
    await settle();
    expect(off.shown).toEqual([]);
  });

  it('an at-risk conversation passing its goal notifies once; one not at risk, or already overdue at start, does not', async () => {
    const clock = { now: NOW };
    const { core, shown } = open(tmp(), clock);
    seedWorkspace(
      core.db,
      {
        self: { name: 'Northwind Support', email: 'support@northwind.test' },
        people: [
          { key: 'jo', name: 'Jo Chase', email: 'jo@example.com' },
          { key: 'kim', name: 'Kim Calm', email: 'kim@example.com' },
          { key: 'lee', name: 'Lee Late', email: 'lee@example.com' },
        ],
        conversations: [
          {
            // Three messages, the last "still waiting": at risk once overdue.
            key: 'jo',
            kind: 'email',
            with: 'jo',
            subject: 'Refund for order 5120',
            messages: [
              { from: 'jo', at: NOW - 3 * H, text: 'Hello, I would like a refund for order 5120.' },
              { from: 'jo', at: NOW - 2 * H, text: 'Any news about my refund?' },
              { from: 'jo', at: NOW - 1 * H, text: 'Still waiting. Third time I write, I will file a chargeback.' },
            ],
          },
          // One calm question: passes its goal too, but is not at risk.
          { key: 'kim', kind: 'email', with: 'kim', subject: 'Opening hours', messages: [{ from: 'kim', at: NOW - 3 * H, text: 'When are you open on Saturday?' }] },
          // Overdue already when the notifier starts.
          {
            key: 'lee',
            kind: 'email',
            with: 'lee',
            subject: 'Broken zip',
            messages: [
              { from: 'lee', at: NOW - 9 * H, text: 'The zip broke.' },
              { from: 'lee', at: NOW - 8 * H, text: 'Still waiting, I will post a review.' },
            ],
          },
        ],
      },
      NOW,
    );
    await core.call('goals.set', { firstReplyMs: 4 * H });
    expect(core.ctx.notify.checkGoals()).toEqual([]); // jo and kim due in 1 h, lee overdue since before
    clock.now = NOW + 30 * 60_000;
    expect(core.ctx.notify.checkGoals()).toEqual([]); // nothing due yet (not computed again: nothing changed)
    clock.now = NOW + 90 * 60_000;
    const passed = core.ctx.notify.checkGoals();
    expect(passed).toHaveLength(1);
    expect(passed[0]).toMatchObject({ kind: 'overdue', conversationId: expect.any(Number), title: expect.stringMatching(/^Overdue: Jo Chase \(risk \d+\)$/) });
    expect(passed[0]!.body).toBe("'Refund for order 5120' passed its first-reply goal of 4 h");
    expect(shown).toEqual(passed);
    clock.now += 60_000;
    expect(core.ctx.notify.checkGoals()).toEqual([]);
    clock.now += 60 * 60_000;
    expect(core.ctx.notify.checkGoals()).toEqual([]);
    expect(shown).toHaveLength(1);
  });
});

describe('notification rules', () => {
  it('only a new mark from nothing notifies; quiet hours span midnight in their zone; bursts are counted in one', () => {
    expect(notifiesOnChange(null, 'escalated')).toBe('escalated');
    expect(notifiesOnChange(null, 'likely')).toBe('likely');
    expect(notifiesOnChange('likely', 'escalated')).toBeNull();
    expect(notifiesOnChange('escalated', 'likely')).toBeNull();
    expect(notifiesOnChange('escalated', null)).toBeNull();
    const q = { from: '22:00', to: '07:00', timeZone: 'America/New_York' };
    // 03:30 UTC on 10 March 2026 is 23:30 in New York (EDT from 8 March).
    expect(inQuietHours(q, Date.UTC(2026, 2, 10, 3, 30))).toBe(true);
    expect(inQuietHours(q, Date.UTC(2026, 2, 10, 10, 59))).toBe(true); // 06:59
    expect(inQuietHours(q, Date.UTC(2026, 2, 10, 11, 0))).toBe(false); // 07:00
    expect(inQuietHours(q, Date.UTC(2026, 2, 10, 1, 59))).toBe(false); // 21:59
    expect(inQuietHours(null, NOW)).toBe(false);
    const one = (i: number) => ({ kind: 'escalated' as const, conversationId: i, title: `Escalated: C${i}`, body: 'b' });
    expect(coalesce('escalated', [one(1), one(2), one(3)])).toHaveLength(3);
    expect(coalesce('escalated', [one(1), one(2), one(3), one(4)])).toEqual([{ kind: 'escalated', conversationId: 1, title: '4 new escalations', body: 'Escalated: C1: b' }]);
  });
});
