import { describe, expect, it } from 'vitest';
import { listConversations } from '../db/repos/conversations';
import { mailClaims, statedNames } from './extract';
import { createReader } from './inputs';
import { parsePersonName } from './names';
import { extractLastFours, extractRefs } from './refs';
import { DAY, T0, linkingTestbed } from './testing/world';

const tb = linkingTestbed('canary-link-');

/** Background customers so rarity figures mean something. */
function crowd(n = 30): void {
  const firsts = ['anna', 'ben', 'carla', 'dmitri', 'eve', 'farid', 'gina', 'hugo', 'ines', 'jonas'];
  const lasts = ['berg', 'costa', 'dahl', 'ekman', 'fonseca', 'gruber', 'holm'];
  const products = ['kayak', 'headlamp', 'daypack', 'tent'];
  for (let i = 0; i < n; i++) {
    const f = firsts[i % firsts.length]!;
    const l = lasts[i % lasts.length]!;
    tb.w.mail(
      { address: `${f}.${l}${i}@mail.example`, name: `${f[0]!.toUpperCase()}${f.slice(1)} ${l[0]!.toUpperCase()}${l.slice(1)}` },
      `Question about my ${products[i % 4]}`,
      `Hi,\n\nMy ${products[i % 4]} order AB-${700000 + i * 37} is late.\n\nThanks`,
      T0 + i * DAY,
      { replyAt: T0 + i * DAY + DAY },
    );
  }
}

describe('evidence extraction', () => {
  it('recognizes one reference in every written form', () => {
    const cores = (t: string) =>
      extractRefs(t)
        .map((r) => [r.core, ...r.alt])
        .flat();
    for (const t of ['Order HP-482913 is late', 'about #HP482913', 'ref 482913', 'it is 482 913', 'number 48-29-13']) {
      expect(cores(t), t).toContain('482913');
    }
    expect(extractLastFours('the card ending in 4821 was charged').map((l) => l.digits)).toEqual(['4821']);
    // A reference written in parts is also found by its long part; codes mixing letters and digits count.
    expect(cores('Order ORD-2026-48213 is late')).toContain('48213');
    expect(cores('code ZK4H7Q2 please')).toEqual(cores('zk4h7q2'));
    expect(extractRefs('my iPhone15 and covid19 test, COVID-19')).toEqual([]);
    // Dates, prices and times are not references.
    expect(extractRefs('on 2026-05-12 at 10:30 I paid $129.99')).toEqual([]);
  });

  it('parses names with titles, "Last, First", initials, accents and emoji', () => {
    expect(parsePersonName('Dr. Joseph Lopez')).toMatchObject({ first: 'joseph', last: 'lopez' });
    expect(parsePersonName('Şahin, Joseph')).toMatchObject({ first: 'joseph', last: 'sahin' });
    expect(parsePersonName('Liz W.')).toMatchObject({ first: 'liz', last: null, lastInitial: 'w' });
    expect(parsePersonName('M. Garcia 🌻')).toMatchObject({ first: null, firstInitial: 'm', last: 'garcia' });
    expect(parsePersonName('Múirne Ødegaard')).toMatchObject({ first: 'muirne', last: 'odegaard' });
    expect(parsePersonName('support@shop.example')).toBeNull();
  });

  it('reads claims about earlier mail and names stated in a message', () => {
    expect(mailClaims('emailed you 3 times about my kayak').some((c) => c.count === 3)).toBe(true);
    expect(mailClaims('Emailed you yesterday, nothing yet').some((c) => c.window)).toBe(true);
    expect(mailClaims('emailed you on Monday about it').some((c) => c.weekday === 1)).toBe(true);
    expect(statedNames('Here are my details: Linda Gonzalez, HP-638468')).toEqual(['Linda Gonzalez']);
    expect(statedNames('my name is Jane Doe.')).toEqual(['Jane Doe']);
    // The form support desks ask for in a DM.
    expect(statedNames('Name: Ifeoma Boateng, ID 43351')).toEqual(['Ifeoma Boateng']);
    expect(statedNames('Full name: Jane Doe\nOrder: 1234')).toEqual(['Jane Doe']);
  });
});

describe('linking decisions', () => {
  it('links on the customer address written in a DM, with a sentence a person can check', async () => {
    crowd();
    tb.w.mail({ address: 'kevin.moore@gmail.com', name: 'Kevin Moore' }, 'Refund', 'Hi,\n\nWhere is my refund?\n\nKevin', T0 + 40 * DAY);
    const u = { id: '2001', handle: 'kmoore', name: 'Kev' };
    tb.w.post(u, 'My email on the account is kevin.moore@gmail.com', T0 + 42 * DAY, 'dm');
    const a = await tb.account(u);
    expect(a.linked?.email).toBe('kevin.moore@gmail.com');
    expect(a.linked?.evidence.join('\n')).toMatch(/kevin\.moore@gmail\.com is written in a DM/);
  });

  it('links on a reference written differently, and says how each side wrote it', async () => {
    crowd();
    tb.w.mail({ address: 'rob.kowalczyk@fastmail.com', name: 'Robert Kowalczyk' }, 'Refund for HP-482913', 'Hi,\n\nThe tent never came.\n\nRob', T0 + 50 * DAY);
    const u = { id: '2002', handle: 'trail_guy', name: 'Bob K' };
    tb.w.post(u, 'still waiting on #HP482913, emailed twice', T0 + 53 * DAY);
    const a = await tb.account(u);
    expect(a.linked?.email).toBe('rob.kowalczyk@fastmail.com');
    const ev = a.linked!.evidence.join('\n');
    expect(ev).toMatch(/reference HP-482913 appears in a tweet .* \(written #HP482913\) and in 'Refund for HP-482913' from rob\.kowalczyk@fastmail\.com/);
    expect(ev).toMatch(/no other customer has it/);
  });

  it('understands a nickname but does not link on a name alone', async () => {
    crowd();
    tb.w.mail({ address: 'robert.nakamura@gmail.com', name: 'Robert Nakamura' }, 'Question about my headlamp', 'Hi,\n\nIt flickers.\n\nRobert', T0 + 60 * DAY);
    const u = { id: '2003', handle: 'bobby_n', name: 'Bob Nakamura' };
    tb.w.post(u, 'great sale this week', T0 + 150 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
    expect(a.suggestions[0]?.email).toBe('robert.nakamura@gmail.com');
    expect(a.suggestions[0]!.evidence.join('\n')).toMatch(/Bob is a short form of Robert/);
  });

  it('links a nickname when context backs it: timing, product and escalation while unanswered', async () => {
    crowd();
    tb.w.mail({ address: 'robert.nakamura@gmail.com', name: 'Robert Nakamura' }, 'My snowshoes broke', 'Hi,\n\nThe snowshoes strap broke on day one.\n\nRobert', T0 + 60 * DAY);
    const u = { id: '2004', handle: 'bnakamura', name: 'Bob Nakamura' };
    tb.w.post(u, 'emailed you twice about my snowshoes and nothing. No reply.', T0 + 62 * DAY);
    const a = await tb.account(u);
    expect(a.linked?.email).toBe('robert.nakamura@gmail.com');
  });

  it('does not link two X accounts to one customer on the name alone', async () => {
    crowd();
    tb.w.mail({ address: 'ines.okafor@gmail.com', name: 'Ines Okafor' }, 'My snowshoes broke', 'Hi,\n\nThe snowshoes strap broke.\n\nInes', T0 + 60 * DAY);
    const a = { id: '2101', handle: 'inesokafor', name: 'Ines Okafor' };
    const b = { id: '2102', handle: 'okafor_i', name: 'Ines Okafor' };
    tb.w.post(a, 'emailed you twice about my snowshoes and nothing. No reply.', T0 + 62 * DAY);
    tb.w.post(b, 'my snowshoes are great, emailed you to say thanks, no reply needed', T0 + 62 * DAY);
    expect((await tb.account(a)).linked).toBeNull();
    expect((await tb.account(b)).linked).toBeNull();
    // Alone, the first account's evidence would have been enough for a link.
    const top = (await tb.account(a)).suggestions[0]!;
    expect(top.email).toBe('ines.okafor@gmail.com');
    expect(top.score).toBeGreaterThan(0.93);
  });

  it('never picks between two customers who share a common name', async () => {
    crowd();
    tb.w.mail({ address: 'john.smith@gmail.com', name: 'John Smith' }, 'Order', 'Hi,\n\nMy daypack broke.\n\nJohn', T0 + 70 * DAY);
    tb.w.mail({ address: 'jsmith77@yahoo.com', name: 'John Smith' }, 'Return', 'Hi,\n\nI want to return my daypack.\n\nJohn', T0 + 71 * DAY);
    const u = { id: '2005', handle: 'johnsmith', name: 'John Smith' };
    tb.w.post(u, 'emailed you about my daypack, no reply', T0 + 72 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
    expect(a.suggestions.map((s) => s.email).sort()).toEqual(['john.smith@gmail.com', 'jsmith77@yahoo.com']);
  });

  it('keeps a spouse with the same surname and domain apart', async () => {
    crowd();
    tb.w.mail({ address: 'linda@lopezfarm.com', name: 'Linda Lopez' }, 'Invoice', 'Hi,\n\nPlease resend the invoice.\n\nLinda', T0 + 80 * DAY);
    tb.w.mail({ address: 'siobhan@lopezfarm.com', name: 'Siobhan Lopez' }, 'My kayak', 'Hi,\n\nThe kayak paddle is missing.\n\nSiobhan', T0 + 81 * DAY);
    const spouse = { id: '2006', handle: 'davelopez', name: 'Dave Lopez', bio: 'Farmer at lopezfarm.com' };
    tb.w.post(spouse, 'do you ship to Ireland?', T0 + 82 * DAY);
    const a = await tb.account(spouse);
    expect(a.linked).toBeNull();
    const s = { id: '2007', handle: 'siobhanlopez', name: 'S. Lopez', bio: 'Owner at lopezfarm.com' };
    tb.w.post(s, 'where is my kayak paddle? emailed you yesterday', T0 + 82 * DAY);
    const b = await tb.account(s);
    expect(b.linked?.email ?? b.suggestions[0]?.email).toBe('siobhan@lopezfarm.com');
    expect([b.linked?.email, ...b.suggestions.map((x) => x.email)]).not.toContain(undefined);
    if (b.linked) expect(b.linked.email).not.toBe('linda@lopezfarm.com');
  });

  it('gives a stranger quoting a reference that is not in the mailbox nothing', async () => {
    crowd();
    const u = { id: '2008', handle: 'randomperson', name: 'Pat Q' };
    tb.w.post(u, 'HP-999999 never arrived!!', T0 + 90 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
    expect(a.suggestions.filter((s) => s.score >= 0.5)).toEqual([]);
  });
});

describe('a person decides', () => {
  function setup() {
    crowd(10);
    tb.w.mail({ address: 'ana.silva@proton.me', name: 'Ana Silva' }, 'Order ZX-551234', 'Hi,\n\nWrong size.\n\nAna', T0 + 30 * DAY);
    tb.w.mail({ address: 'ana.s@gmail.com', name: 'Ana Silva' }, 'Hello', 'Hi,\n\nQuestion about shipping.\n\nAna', T0 + 31 * DAY);
    const u = { id: '3001', handle: 'anasilva', name: 'Ana Silva' };
    tb.w.post(u, 'any update on ZX-551234?', T0 + 32 * DAY);
    return u;
  }

  it('confirm, reject, undo, link and unlink; rejections are remembered and the engine never overrides', async () => {
    const u = setup();
    const xid = tb.w.identityOf(u.id);
    const proton = tb.w.customerOf('ana.silva@proton.me');
    const gmail = tb.w.customerOf('ana.s@gmail.com');
    let a = await tb.account(u);
    expect(a.linked?.email).toBe('ana.silva@proton.me');
    expect(a.linked?.decidedBy).toBe('engine');
    // The engine's link moved the X account into the customer.
    expect(tb.core.db.prepare('SELECT customer_id FROM identities WHERE id = ?').pluck().get(xid)).toBe(proton);
    const before = tb.core.db.prepare('SELECT * FROM links WHERE identity_id = ? ORDER BY id').all(xid);

    a = await tb.core.call('links.reject', { linkId: a.linked!.linkId });
    expect(a.linked).toBeNull();
    expect(a.rejected.map((r) => r.email)).toEqual(['ana.silva@proton.me']);
    expect(tb.core.db.prepare('SELECT customer_id FROM identities WHERE id = ?').pluck().get(xid)).not.toBe(proton);
    // A full re-link does not bring the rejected customer back, not even as a suggestion.
    await tb.core.call('links.refresh', { full: true });
    a = await tb.account(u);
    expect(a.linked?.customerId).not.toBe(proton);
    expect(a.suggestions.map((s) => s.customerId)).not.toContain(proton);

    // Undo restores the rows exactly.
    a = await tb.core.call('links.undo', { linkId: a.rejected[0]!.linkId });
    expect(tb.core.db.prepare('SELECT * FROM links WHERE identity_id = ? ORDER BY id').all(xid)).toEqual(before);
    expect(a.linked?.email).toBe('ana.silva@proton.me');

    // Link by hand to the other address; the engine keeps it through a full re-link.
    a = await tb.core.call('links.link', { identityId: xid, customerId: gmail });
    expect(a.linked?.email).toBe('ana.s@gmail.com');
    expect(a.linked?.decidedBy).toBe('user');
    await tb.core.call('links.refresh', { full: true });
    a = await tb.account(u);
    expect(a.linked?.customerId).toBe(gmail);
    expect(tb.core.db.prepare('SELECT customer_id FROM identities WHERE id = ?').pluck().get(xid)).toBe(gmail);

    // Unlink: remembered, the X account goes back to its own customer.
    a = await tb.core.call('links.unlink', { identityId: xid });
    expect(a.linked?.customerId).not.toBe(gmail);
    expect(a.rejected.map((r) => r.customerId)).toContain(gmail);
    await tb.core.call('links.refresh', { full: true });
    a = await tb.account(u);
    expect(a.linked?.customerId ?? null).not.toBe(gmail);

    // Confirm a suggestion or link.
    const target = a.linked ?? a.suggestions[0]!;
    a = await tb.core.call('links.confirm', { linkId: target.linkId });
    expect(a.linked?.state).toBe('confirmed');
    expect(a.linked?.canUndo).toBe(true);

    await expect(tb.core.call('links.undo', { linkId: 999999 })).rejects.toThrow(/No link/);
    await expect(tb.core.call('links.link', { identityId: tb.w.customerOf('ana.s@gmail.com'), customerId: gmail })).rejects.toThrow();
  });

  it('reads a range of customers exactly as it reads each one', () => {
    crowd(25);
    tb.w.mail({ address: 'ana.silva@proton.me', name: 'Ana Silva' }, 'Order ZX-551234', 'Hi,\n\nWrong size.\n\nAna', T0 + 30 * DAY, { replyAt: T0 + 31 * DAY });
    // A customer with more mail than a profile reads (the newest 60): the range query caps it too.
    for (let i = 0; i < 75; i++) {
      tb.w.mail(
        { address: 'orders@bigco.example', name: 'BigCo Purchasing' },
        `PO ${4000 + i}`,
        `Hello,\n\nPO ${4000 + i} attached.\n\nBigCo`,
        T0 + i * 3_600_000,
        i % 3 ? { replyAt: T0 + i * 3_600_000 + 60_000 } : {},
      );
    }
    const reader = createReader(tb.core.db);
    const ids = reader.emailCustomerIds();
    const range = reader.customersInRange(ids[0]!, ids[ids.length - 1]!);
    expect(range.size).toBe(ids.length);
    for (const id of ids) expect(range.get(id)).toEqual(reader.customer(id));
    expect(range.get(tb.w.customerOf('orders@bigco.example'))!.messages).toHaveLength(60);
  });

  it('re-scores only what new mail or posts touch', async () => {
    crowd(20);
    const first = await tb.core.call('links.refresh', {});
    expect(first.customers).toBeGreaterThanOrEqual(20);
    const again = await tb.core.call('links.refresh', {});
    expect(again).toMatchObject({ customers: 0, scored: 0 });
    tb.w.mail({ address: 'mei.tanaka@gmail.com', name: 'Mei Tanaka' }, 'Order QQ-778812', 'Hi,\n\nBroken zipper.\n\nMei', T0 + 100 * DAY);
    const u = { id: '4001', handle: 'meitanaka', name: 'Mei' };
    tb.w.post(u, 'QQ-778812 still broken', T0 + 101 * DAY);
    const r = await tb.core.call('links.refresh', {});
    expect(r.customers).toBe(1);
    expect(r.scored).toBe(1);
    expect((await tb.account(u)).linked?.email).toBe('mei.tanaka@gmail.com');
  });
});

describe('escalation', () => {
  it('marks the X conversation of a linked customer whose mail is unanswered, and the queue puts it first', async () => {
    crowd(10);
    tb.w.mail({ address: 'omar.haddad@gmail.com', name: 'Omar Haddad' }, 'Refund KK-901234', 'Hi,\n\nWhere is my refund?\n\nOmar', T0 + 20 * DAY);
    const u = { id: '5001', handle: 'omar_h', name: 'Omar H.' };
    const conv = tb.w.post(u, 'KK-901234 refund, emailed you 3 days ago, no reply', T0 + 23 * DAY);
    const other = tb.w.post({ id: '5002', handle: 'someone', name: 'Some One' }, 'hello', T0 + 23 * DAY);
    await tb.core.call('links.refresh', {});
    const row = tb.core.db.prepare('SELECT escalated, escalation FROM conversations WHERE id = ?').get(conv) as { escalated: number; escalation: string };
    expect(row.escalated).toBe(1);
    const e = JSON.parse(row.escalation) as { reason: string; waitedMs: number };
    expect(e.waitedMs).toBe(3 * DAY);
    expect(e.reason).toMatch(/'Refund KK-901234' from 2026-06-21 is unanswered; they posted on X 3 days later/);
    const queue = listConversations(tb.core.db, { filter: { status: 'all' }, offset: 0, limit: 100 }).items;
    expect(queue[0]!.id).toBe(conv);
    expect(queue.find((c) => c.id === other)!.escalated).toBe(false);
    // Unlinking clears the escalation linking set.
    await tb.core.call('links.unlink', { identityId: tb.w.identityOf(u.id) });
    expect(tb.core.db.prepare('SELECT escalated FROM conversations WHERE id = ?').pluck().get(conv)).toBe(0);
  });
});
