// Escalation marks in the engine: escalated (linked), likely (strong top suggestion), public
// complaint (no email history); confirming and rejecting a likely one; the queue order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { likelyDecision, likelyThreshold, waitLikelihoodRatio } from './escalation';
import { DAY, T0, World } from './testing/world';

describe('escalation marks', () => {
  let dir: string;
  let core: Core;
  let w: World;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-escal-states-'));
    core = createCore({ dataDir: dir, now: () => T0 + 200 * DAY });
    w = new World(core.db);
  });
  afterEach(() => {
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const mark = (conv: number) =>
    core.db.prepare('SELECT escalated, escalation, escalation_rank FROM conversations WHERE id = ?').get(conv) as { escalated: number; escalation: string | null; escalation_rank: number };

  /** Nadia emails; her work account (address in its bio) is linked; her personal account, on a name, can only be suggested. */
  async function nadia(text = 'my grinder arrived broken and nobody answers email') {
    w.mail({ address: 'nadia.k@gmail.com', name: 'Nadia Kowalczyk' }, 'Broken grinder', 'Hi,\n\nMy grinder arrived broken.\n\nNadia', T0 + 20 * DAY);
    w.post({ id: '7002', handle: 'nadia_at_work', name: 'Nadia K', bio: 'mail: nadia.k@gmail.com' }, 'new week, new coffee', T0 + 5 * DAY);
    const conv = w.post({ id: '7001', handle: 'nadiak', name: 'Nadia Kowalczyk' }, text, T0 + 22 * DAY);
    await core.call('links.refresh', {});
    return conv;
  }

  it('marks a complaint likely when its top suggestion is strong, naming the suggested customer', async () => {
    const conv = await nadia();
    const acc = (await core.call('links.list', { identityId: w.identityOf('7001') }))[0]!;
    expect(acc.linked).toBeNull();
    expect(acc.suggestions[0]!.email).toBe('nadia.k@gmail.com');
    expect(acc.suggestions[0]!.score).toBeGreaterThanOrEqual(likelyThreshold().minScore);
    const m = mark(conv);
    expect(m).toMatchObject({ escalated: 1, escalation_rank: 2 });
    const e = JSON.parse(m.escalation!);
    expect(e).toMatchObject({ state: 'likely', after: 'unanswered', suggested: { email: 'nadia.k@gmail.com', name: 'Nadia Kowalczyk', linkId: acc.suggestions[0]!.linkId } });
    expect(e.reason).toMatch(/^Likely Nadia Kowalczyk \(nadia\.k@gmail\.com, suggested at \d+%\): the customer's email 'Broken grinder' from 2026-06-21 is unanswered; they posted on X 2 days later/);
    const rows = await core.call('escalations.list', {});
    expect(rows).toEqual([expect.objectContaining({ conversationId: conv, state: 'likely', customerEmail: 'nadia.k@gmail.com', linkId: acc.suggestions[0]!.linkId })]);
    // Only a complaint: her thanks would not be likely.
  });

  it('confirming the suggested link makes it escalated; rejecting it clears the likely mark', async () => {
    const conv = await nadia();
    const linkId = JSON.parse(mark(conv).escalation!).suggested.linkId as number;
    await core.call('links.confirm', { linkId });
    expect(mark(conv)).toMatchObject({ escalated: 1, escalation_rank: 3 });
    expect(JSON.parse(mark(conv).escalation!)).toMatchObject({ state: 'escalated' });
    await core.call('links.undo', { linkId });
    expect(JSON.parse(mark(conv).escalation!)).toMatchObject({ state: 'likely' });
    await core.call('links.reject', { linkId });
    const after = mark(conv);
    expect(after.escalation_rank).not.toBe(2);
    expect(after.escalation === null || JSON.parse(after.escalation).state !== 'likely').toBe(true);
  });

  it('a thank-you is never marked, linked or not', async () => {
    const conv = await nadia('thanks for sorting out my order!');
    expect(mark(conv)).toMatchObject({ escalated: 0, escalation: null, escalation_rank: 0 });
    const omar = { id: '5001', handle: 'omar_h', name: 'Omar Haddad', bio: 'omar.haddad@gmail.com' };
    w.mail({ address: 'omar.haddad@gmail.com', name: 'Omar Haddad' }, 'Refund KK-901234', 'Where is my refund?', T0 + 30 * DAY);
    const t = w.post(omar, 'finally got a reply about KK-901234, thank you', T0 + 32 * DAY);
    await core.call('links.refresh', {});
    expect((await core.call('links.list', { identityId: w.identityOf('5001') }))[0]!.linked?.email).toBe('omar.haddad@gmail.com');
    expect(mark(t)).toMatchObject({ escalated: 0, escalation: null });
  });

  it('marks a complaint from someone with no email history as a public complaint, sorted right after escalations', async () => {
    const esc = await nadia();
    const stranger = w.post({ id: '9001', handle: 'randomfox', name: 'Fox' }, 'worst service ever, my order is two weeks late', T0 + 40 * DAY);
    const fan = w.post({ id: '9002', handle: 'happyowl', name: 'Owl' }, 'love my new kettle', T0 + 41 * DAY);
    const asks = w.post({ id: '9003', handle: 'askingotter', name: 'Otter' }, 'do you ship to Canada?', T0 + 42 * DAY);
    const mailOnly = w.mail({ address: 'z@y.example', name: 'Zed' }, 'Hello', 'A question', T0 + 43 * DAY);
    await core.call('links.refresh', {});
    expect(mark(stranger)).toMatchObject({ escalated: 0, escalation_rank: 1 });
    expect(JSON.parse(mark(stranger).escalation!)).toMatchObject({ state: 'public_complaint', reason: expect.stringMatching(/^Complaint on X from an account with no email history/) });
    expect(mark(fan).escalation_rank).toBe(0);
    expect(mark(asks).escalation_rank).toBe(0);
    const page = await core.call('conversations.list', {});
    const ids = page.items.map((c) => c.id);
    expect(ids.indexOf(esc)).toBeLessThan(ids.indexOf(stranger));
    expect(ids.indexOf(stranger)).toBeLessThan(Math.min(ids.indexOf(fan), ids.indexOf(asks), ids.indexOf(mailOnly)));
    expect((await core.call('conversations.list', { filter: { escalation: 'public_complaint' } })).items.map((c) => c.id)).toEqual([stranger]);
    expect((await core.call('escalations.list', {})).map((r) => r.state)).toEqual(['likely', 'public_complaint']);
    expect(await core.call('escalations.list', { state: 'public_complaint' })).toEqual([
      expect.objectContaining({ conversationId: stranger, xUsername: 'randomfox', customerEmail: null, waitedMs: null }),
    ]);
  });

  it('the queue order stays one index walk', () => {
    const plan = core.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT c.id FROM conversations c WHERE c.status = 'open' ORDER BY c.escalation_rank DESC, c.priority DESC,
         (c.last_inbound_at IS NOT NULL AND (c.last_outbound_at IS NULL OR c.last_outbound_at < c.last_inbound_at)) DESC, c.last_inbound_at ASC, c.id ASC LIMIT 50`,
      )
      .all() as { detail: string }[];
    const text = plan.map((p) => p.detail).join('\n');
    expect(text).toMatch(/conversations_queue_order/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it('a strong suggestion whose complaint came months after the email: no likely mark, and no public complaint (the account is tied to mail)', async () => {
    w.mail({ address: 'nadia.k@gmail.com', name: 'Nadia Kowalczyk' }, 'Broken grinder', 'Hi,\n\nMy grinder arrived broken.\n\nNadia', T0 + 20 * DAY);
    w.post({ id: '7002', handle: 'nadia_at_work', name: 'Nadia K', bio: 'mail: nadia.k@gmail.com' }, 'new week, new coffee', T0 + 5 * DAY);
    const conv = w.post({ id: '7001', handle: 'nadiak', name: 'Nadia Kowalczyk' }, 'my grinder arrived broken and nobody answers email', T0 + 80 * DAY);
    await core.call('links.refresh', {});
    const acc = (await core.call('links.list', { identityId: w.identityOf('7001') }))[0]!;
    expect(acc.linked).toBeNull();
    expect(acc.suggestions[0]!.score).toBeGreaterThanOrEqual(likelyThreshold().minScore);
    expect(mark(conv)).toMatchObject({ escalated: 0, escalation: null });
  });

  describe('a weaker suggestion: the wait and the topic decide', () => {
    /** Nadia emails about her grinder; an account with her name but nothing else of hers complains `after` days later. */
    async function namesake(text: string, after: number) {
      w.mail({ address: 'nadia.k@gmail.com', name: 'Nadia Kowalczyk' }, 'Broken grinder', 'Hi,\n\nMy grinder arrived broken.\n\nNadia', T0 + 20 * DAY);
      // Other customers write about grinders too: the word is this business's.
      w.mail({ address: 'tom@example.org', name: 'Tom Baker' }, 'Grinder noise', 'My grinder is loud.', T0 + 10 * DAY);
      w.mail({ address: 'ana@example.org', name: 'Ana Lima' }, 'Grinder refund', 'Refund for the grinder please.', T0 + 11 * DAY);
      const conv = w.post({ id: '7101', handle: 'coffee_fan_88', name: 'Nadia K' }, text, T0 + (20 + after) * DAY);
      await core.call('links.refresh', {});
      const acc = (await core.call('links.list', { identityId: w.identityOf('7101') }))[0]!;
      return { conv, acc };
    }

    it('a complaint 2 days after her unanswered email about the same kind of thing is likely, the wait named in the reason', async () => {
      const { conv, acc } = await namesake('my grinder is broken and nobody answers email', 2);
      expect(acc.linked).toBeNull();
      expect(acc.suggestions[0]!.email).toBe('nadia.k@gmail.com');
      // Too weak on its own: only the wait makes it likely.
      expect(acc.suggestions[0]!.score).toBeLessThan(likelyThreshold().minScore);
      expect(likelyDecision(acc.suggestions[0]!.score, 1, 60 * DAY).likely).toBe(false);
      const e = JSON.parse(mark(conv).escalation!);
      expect(e).toMatchObject({ state: 'likely', after: 'unanswered', suggested: { email: 'nadia.k@gmail.com' } });
      expect(e.reason).toMatch(/suggested at \d+%, \d+% with the complaint 2 days after their email\)/);
    });

    it('the same complaint two months later is a public complaint, not a likely escalation', async () => {
      const { conv, acc } = await namesake('my grinder is broken and nobody answers email', 60);
      expect(acc.suggestions[0]!.score).toBeLessThan(likelyThreshold().minScore);
      expect(JSON.parse(mark(conv).escalation!)).toMatchObject({ state: 'public_complaint' });
    });

    it('a complaint about something no customer writes about is not likely, however soon', async () => {
      const { conv } = await namesake('my playstation password reset is broken, terrible service', 2);
      expect(JSON.parse(mark(conv).escalation!)).toMatchObject({ state: 'public_complaint' });
    });
  });

  it('likelyDecision: the suggestion as prior odds times the wait (and topic) likelihood ratio', () => {
    expect(waitLikelihoodRatio(2 * DAY)).toBeGreaterThan(waitLikelihoodRatio(6 * DAY));
    expect(waitLikelihoodRatio(6 * DAY)).toBeGreaterThan(waitLikelihoodRatio(10 * DAY));
    expect(waitLikelihoodRatio(20 * DAY)).toBe(1);
    expect(waitLikelihoodRatio(45 * DAY)).toBeLessThan(1);
    // 0.5 is even odds: x12 within 3 days is 12:1 (0.92), x9 within a week 9:1 (0.90).
    expect(likelyDecision(0.5, 0.3, 2 * DAY)).toEqual({ likely: true, probability: 12 / 13 });
    expect(likelyDecision(0.5, 0.3, 5 * DAY).likely).toBe(true);
    expect(likelyDecision(0.5, 0.3, 10 * DAY).likely).toBe(false);
    // A tie with the runner-up is no decision; without a timing boost the usual margin holds.
    expect(likelyDecision(0.7, 0, 2 * DAY).likely).toBe(false);
    expect(likelyDecision(0.92, 0.1, 20 * DAY).likely).toBe(false);
    expect(likelyDecision(0.92, 0.2, 20 * DAY).likely).toBe(true);
    // Off this business's topics: a tenth of the odds.
    expect(likelyDecision(0.5, 0.3, 2 * DAY, false).likely).toBe(false);
    expect(likelyDecision(0.95, 0.3, 2 * DAY, false).likely).toBe(true);
  });
});
