// A complaint's story: an X account that shares nothing with the mail (no name, handle or
// reference) but complains about the product a customer wrote about days before is suggested as
// that customer and marked a likely escalation; never linked on the story alone; not when several
// customers fit, nor when the post says when it emailed and no mail fits. A linked customer's
// complaint long after their last mail is a public complaint, not an escalation of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { DAY, T0, World } from './testing/world';
import { productPhrases, topicWords } from './extract';
import { claimMisfit } from './escalation';

const PRODUCTS = ['kettle', 'milk frother', 'bean subscription', 'espresso cups', 'descaler', 'gift card'];
const FIRSTS = ['Anna', 'Omar', 'Lena', 'Kofi', 'Mia', 'Ravi', 'Sara', 'Tomas', 'Yuki', 'Zoe'];
const LASTS = ['Berg', 'Haddad', 'Novak', 'Mensah', 'Rossi', 'Iyer', 'Costa', 'Lund', 'Sato', 'Frey'];

describe('a complaint matched by its story', () => {
  let dir: string;
  let core: Core;
  let w: World;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-story-'));
    core = createCore({ dataDir: dir, now: () => T0 + 200 * DAY });
    w = new World(core.db);
    // Thirty customers writing about other products over four months; two about grinders long before.
    for (let i = 0; i < 30; i++) {
      const first = FIRSTS[i % 10]!;
      const last = LASTS[(i * 3) % 10]!;
      const product = i < 2 ? 'grinder' : PRODUCTS[i % PRODUCTS.length]!;
      w.mail(
        { address: `${first}.${last}${i}@example.net`.toLowerCase(), name: `${first} ${last}` },
        `Order ${4000 + i} - ${product}`,
        `Hi,\n\nMy ${product} is not right.\n\n${first}`,
        T0 + (i < 2 ? 10 : 4 * i) * DAY,
        {
          replyAt: T0 + ((i < 2 ? 10 : 4 * i) + 1) * DAY,
        },
      );
    }
  });
  afterEach(() => {
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const mark = (conv: number) => {
    const row = core.db.prepare('SELECT escalation FROM conversations WHERE id = ?').get(conv) as { escalation: string | null };
    return row.escalation ? (JSON.parse(row.escalation) as { state: string; reason: string; suggested?: { email: string } }) : null;
  };
  const account = async (id: string) => (await core.call('links.list', { identityId: w.identityOf(id) }))[0]!;
  const stranger = { id: '9001', handle: 'cloud_mango77', name: 'Night Owl' };

  it('suggests the customer who wrote about the product days before, marks the complaint likely, and does not link', async () => {
    const priya = { address: 'p.shah@example.org', name: 'Priya Shah' };
    const thread = w.mail(priya, 'Order 5120 - grinder', 'Hi,\n\nThe grinder stopped working.\n\nPriya', T0 + 150 * DAY);
    w.mail(priya, 'Re: Order 5120 - grinder', 'Hello? Any news on the grinder?\n\nPriya', T0 + 151.5 * DAY, { thread });
    const conv = w.post(stranger, '@ShopCo still waiting on my grinder, emailed twice and nothing.', T0 + 153 * DAY);
    await core.call('links.refresh', {});
    const a = await account('9001');
    expect(a.linked).toBeNull();
    expect(a.suggestions[0]!.email).toBe('p.shah@example.org');
    expect(a.suggestions[0]!.evidence.join('\n')).toMatch(
      /a complaint about "grinder" came \d+ h after p\.shah@example\.org's mail about it; no other customer wrote about "grinder" in the two weeks before it/,
    );
    expect(mark(conv)).toMatchObject({ state: 'likely', suggested: { email: 'p.shah@example.org' } });
    expect(mark(conv)!.reason).toMatch(/^Likely Priya Shah \(p\.shah@example\.org/);
  });

  it('marks nothing likely when two customers wrote about the product in the same days', async () => {
    w.mail({ address: 'p.shah@example.org', name: 'Priya Shah' }, 'Order 5120 - grinder', 'Hi,\n\nThe grinder stopped working.\n\nPriya', T0 + 150 * DAY);
    w.mail({ address: 'tom.ek@example.org', name: 'Tom Ek' }, 'Order 5121 - grinder', 'Hi,\n\nMy grinder stopped working.\n\nTom', T0 + 150 * DAY + 3_600_000);
    const conv = w.post(stranger, '@ShopCo my grinder is broken and nobody answers email', T0 + 152 * DAY);
    await core.call('links.refresh', {});
    const a = await account('9001');
    expect(a.linked).toBeNull();
    expect(a.suggestions.map((s) => s.email).sort()).toEqual(['p.shah@example.org', 'tom.ek@example.org']);
    expect(a.suggestions[0]!.evidence.join('\n')).toMatch(/about 1 other customer wrote about "grinder"/);
    expect(mark(conv)?.state).not.toBe('likely');
  });

  it('marks nothing likely when the post says it emailed yesterday and the mail was six days before', async () => {
    w.mail({ address: 'p.shah@example.org', name: 'Priya Shah' }, 'Order 5120 - grinder', 'Hi,\n\nThe grinder stopped working.\n\nPriya', T0 + 150 * DAY);
    const conv = w.post(stranger, '@ShopCo my grinder stopped working, emailed support yesterday', T0 + 156 * DAY);
    await core.call('links.refresh', {});
    const a = await account('9001');
    expect(a.suggestions[0]!.email).toBe('p.shah@example.org');
    expect(a.suggestions[0]!.evidence.join('\n')).toMatch(/says "emailed support yesterday" but p\.shah@example\.org sent no mail then/);
    expect(mark(conv)?.state).not.toBe('likely');
  });

  it("takes a linked customer's complaint long after their last mail as a public complaint, unless it says the matter is still open", async () => {
    w.mail({ address: 'p.shah@example.org', name: 'Priya Shah' }, 'Order 5120 - grinder', 'Hi,\n\nThe grinder stopped working.\n\nPriya', T0 + 100 * DAY);
    const linked = { id: '9002', handle: 'priya_s', name: 'Priya Shah', bio: 'mail me: p.shah@example.org' };
    const later = w.post(linked, '@ShopCo your new website is terrible, checkout is broken', T0 + 145 * DAY);
    await core.call('links.refresh', {});
    expect((await account('9002')).linked?.email).toBe('p.shah@example.org');
    expect(mark(later)).toMatchObject({ state: 'public_complaint' });
    expect(mark(later)!.reason).toMatch(/^Complaint on X from a linked customer \("broken"\), not after an email of theirs: their last email was 45 days before it$/);
    const still = w.post(linked, '@ShopCo still no refund for my grinder', T0 + 146 * DAY);
    await core.call('links.refresh', {});
    expect(mark(still)).toMatchObject({ state: 'escalated' });
  });
});

describe('product names of two words', () => {
  it('are topic words of their own, told apart when they share a word, never made of grammar', () => {
    expect(topicWords('SIM card problem and your support inbox is a black hole.')).toEqual(expect.arrayContaining(['sim card', 'black hole']));
    expect(topicWords('My gift card from 5 days ago is not working')).toEqual(expect.arrayContaining(['gift card']));
    expect(topicWords('My gift card from 5 days ago is not working')).not.toContain('sim card');
    expect(productPhrases('still waiting on my smart meter, emailed twice and nothing.')).toEqual(['smart meter']);
    // "days ago", "your reply", "is not": no content word of four letters or an acronym.
    expect(productPhrases('Sent 5 days ago, your reply is not enough')).toEqual([]);
    // Words pair only within a clause; a plural and a possessive end are taken off the second word only;
    // a number parts words but ends no clause, a lone dash is a word of its own (too short to pair); accents are folded.
    expect(productPhrases('Smart meter. Meter reading!')).toEqual(['smart meter', 'meter reading']);
    expect(productPhrases("the router boxes; the Café's espresso machine's")).toEqual(['router boxe', "cafe's espresso", 'espresso machine']);
    expect(productPhrases('IBM box 3 gift - card')).toEqual(['ibm box', 'box gift']);
  });
});

describe('a claim about when the mail went that no mail fits', () => {
  const mailAt = (daysBefore: number) => [{ conversationId: 1, subject: 'Order', status: 'open', direction: 'in' as const, at: T0 + 100 * DAY - daysBefore * DAY }];
  const post = (text: string) => [{ at: T0 + 100 * DAY, text }];
  it('counts only a precise "emailed you yesterday" or "3 days ago", not a vague week nor a wait that may count from the problem', () => {
    expect(claimMisfit(post('@ShopCo my grinder broke. Emailed you yesterday, nothing yet.'), mailAt(6))).toBe(true);
    expect(claimMisfit(post('@ShopCo my grinder broke. Emailed you yesterday, nothing yet.'), mailAt(1))).toBe(false);
    expect(claimMisfit(post('@ShopCo emailed you 3 days ago about my grinder and nothing'), mailAt(8))).toBe(true);
    expect(claimMisfit(post('@ShopCo emailed you a week ago about my grinder and nothing'), mailAt(0.6))).toBe(false);
    expect(claimMisfit(post('@ShopCo day 9 of waiting for my grinder.'), mailAt(6.9))).toBe(false);
  });
});
