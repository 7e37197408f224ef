// Self-made adversarial cases for data sets the engine has not seen: reference formats unlike
// linkset-dev's, names in non-Latin scripts, a handle that is only a common first name, and a company
// with two staff (and its own account) on X. A wrong link is worse than a missing one.
import { describe, expect, it } from 'vitest';
import type { XAccountLinks } from '../../../shared/contract/links';
import { parsePersonName } from './names';
import { extractRefs } from './refs';
import { DAY, T0, linkingTestbed } from './testing/world';

const tb = linkingTestbed('canary-link-adv-');

/** Background customers (some share first names with the cases below) so rarity means something. */
function crowd(n = 40): void {
  const firsts = ['anna', 'ben', 'carla', 'michael', 'eve', 'farid', 'gina', 'hugo', 'ines', 'jonas'];
  const lasts = ['berg', 'costa', 'dahl', 'ekman', 'fonseca', 'gruber', 'holm'];
  for (let i = 0; i < n; i++) {
    const f = firsts[i % firsts.length]!;
    const l = lasts[i % lasts.length]!;
    const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
    tb.w.mail(
      { address: `${f}.${l}${i}@mail.example`, name: `${cap(f)} ${cap(l)}` },
      `Question about order ${600000 + i * 37}`,
      `Hi,\n\nMy order ${600000 + i * 37} is late.\n\nThanks,\n${cap(f)}`,
      T0 + i * DAY,
      { replyAt: T0 + i * DAY + DAY },
    );
  }
}

const linkedOrTop = (a: XAccountLinks) => a.linked?.email ?? a.suggestions[0]?.email ?? null;

describe('reference formats not seen in linkset-dev', () => {
  it('reads ORD/2024/00123 and Ticket #A7-33K in every written form', () => {
    const cores = (t: string) => extractRefs(t).flatMap((r) => [r.core, ...r.alt]);
    for (const t of ['Order ORD/2024/00123 never came', 'ord 2024-00123', 'about 2024/00123']) expect(cores(t), t).toContain('202400123');
    for (const t of ['Ticket #A7-33K', 'ticket A7-33K still open', 'ticket #a733k', 'Ticket no. A7-33K']) expect(cores(t), t).toContain('A733K');
    // Words and short codes are still not references.
    expect(extractRefs('see you at 7pm, A4 paper, MP3 player, covid-19')).toEqual([]);
  });

  it('links on ORD/2024/00123 written another way', async () => {
    crowd();
    tb.w.mail({ address: 'greta.lindqvist@posteo.de', name: 'Greta Lindqvist' }, 'ORD/2024/00123 missing', 'Hello,\n\nOrder ORD/2024/00123 has not arrived.\n\nGreta', T0 + 50 * DAY);
    const u = { id: '8001', handle: 'nightowl_42', name: 'night owl' };
    tb.w.post(u, 'order 2024-00123 still not here, emailed you last week', T0 + 55 * DAY);
    const a = await tb.account(u);
    expect(a.linked?.email).toBe('greta.lindqvist@posteo.de');
    expect(a.linked!.evidence.join('\n')).toMatch(/2024/);
  });

  it('does not link on a short code many customers share (a product model) or one nobody has', async () => {
    crowd();
    for (let i = 0; i < 6; i++) {
      tb.w.mail(
        { address: `owner${i}@kx.example`, name: `Owner ${['Ada', 'Bea', 'Cy', 'Dee', 'Eli', 'Fay'][i]} Moss${i}` },
        'Model #KX-220B broken',
        'Hi,\n\nMy model #KX-220B stopped working.\n\nThanks',
        T0 + (120 + i) * DAY,
      );
    }
    const u = { id: '8010', handle: 'gearhead', name: 'Gear Head' };
    tb.w.post(u, 'my model #KX-220B is dead after a week', T0 + 130 * DAY);
    expect((await tb.account(u)).linked).toBeNull();
    const s = { id: '8011', handle: 'stranger', name: 'Pat Q' };
    tb.w.post(s, 'ticket #ZQ-91X still open?!', T0 + 130 * DAY);
    const a = await tb.account(s);
    expect(a.linked).toBeNull();
    expect(a.suggestions.filter((x) => x.score >= 0.5)).toEqual([]);
  });

  it('links on Ticket #A7-33K quoted as a733k', async () => {
    crowd();
    tb.w.mail({ address: 'p.obi@outlook.com', name: 'Peter Obi' }, 'Ticket #A7-33K: warranty claim', 'Hi,\n\nAny news on my warranty claim?\n\nPeter', T0 + 60 * DAY);
    const u = { id: '8002', handle: 'pobi', name: 'P' };
    tb.w.post(u, 'ticket a7-33k open for 2 weeks now', T0 + 70 * DAY);
    const a = await tb.account(u);
    expect(a.linked?.email).toBe('p.obi@outlook.com');
  });
});

describe('shop order numbers of four digits (#1001 upwards)', () => {
  it('reads a four-digit number as a reference only where "#" or a word like "order" marks it', () => {
    const cores = (t: string) => extractRefs(t, { loose: true }).map((r) => r.core);
    for (const t of ['Order #1052 arrived damaged', 'about order 1052', 'order no. 1052 is late', '#1052 still broken', 'Invoice #1052']) {
      expect(cores(t), t).toEqual(['1052']);
    }
    // Unmarked numbers, years after a word, and shorter numbers are not.
    for (const t of ['1052 followers and counting', 'waited 1052 hours', 'invoice 2025 please', '#2025 was a year', 'order 105 of them', 'order -1052']) {
      expect(cores(t), t).toEqual([]);
    }
    // A number that reads as a year counts with both the word and the '#'.
    expect(cores('order #2025 is late')).toEqual(['2025']);
  });

  it('links a post quoting its order number to the customer whose mail has it, and not a stranger quoting it', async () => {
    crowd();
    tb.w.mail({ address: 'nadia.kowal@gmail.com', name: 'Nadia Kowalczyk' }, 'Order #1052 arrived damaged', 'Hello,\n\nThe lamp in order #1052 arrived cracked.\n\nNadia', T0 + 60 * DAY);
    for (let i = 0; i < 5; i++) {
      tb.w.mail(
        { address: `buyer${i}@shop.example`, name: `Buyer ${['Ada', 'Bea', 'Cy', 'Dee', 'Eli'][i]} Moss` },
        `Order #${1060 + i}`,
        `Hi,\n\nOrder #${1060 + i} is late.\n\nThanks`,
        T0 + (61 + i) * DAY,
      );
    }
    const u = { id: '8020', handle: 'nadia_k', name: 'Nadia K.' };
    tb.w.post(u, 'order #1052 came broken and nobody answers my email', T0 + 63 * DAY);
    const a = await tb.account(u);
    expect(a.linked?.email).toBe('nadia.kowal@gmail.com');
    expect(a.linked!.evidence.join('\n')).toMatch(/reference #1052 appears/);
    // Someone else quoting the same number, with nothing else in common, is at most a suggestion.
    const s = { id: '8021', handle: 'randomhandle77', name: 'Night Owl' };
    tb.w.post(s, 'where is order #1052??', T0 + 150 * DAY);
    expect((await tb.account(s)).linked).toBeNull();
  });
});

describe('an address written out to dodge scrapers', () => {
  it('links on "name at domain dot com", and does not read a job title as an address', async () => {
    crowd();
    tb.w.mail({ address: 'kev_moore@proton.me', name: 'Kevin Moore' }, 'Refund', 'Hi,\n\nWhere is my refund?\n\nKevin', T0 + 40 * DAY);
    const u = { id: '8012', handle: 'kmoore', name: 'Kev' };
    tb.w.post(u, 'my email on the account is kev_moore at proton dot me', T0 + 42 * DAY, 'dm');
    expect((await tb.account(u)).linked?.email).toBe('kev_moore@proton.me');
    tb.w.mail({ address: 'owner@obriendesign.com', name: 'Sam Owner' }, 'Hello', 'Hi,\n\nA question.\n\nSam', T0 + 40 * DAY);
    const o = { id: '8013', handle: 'obrien_d', name: 'Dara', bio: 'Owner at obriendesign.com' };
    tb.w.post(o, 'nice shop', T0 + 150 * DAY);
    expect((await tb.account(o)).linked).toBeNull();
  });
});

describe('names in non-Latin scripts', () => {
  it('parses Cyrillic, Arabic, Greek and Chinese names', () => {
    // Accents are folded as in Latin names (й → и, ί → ι), the same on both sides of a match.
    expect(parsePersonName('Дмитрий Иванов')).toMatchObject({ first: 'дмитрии', last: 'иванов' });
    expect(parsePersonName('Иванов, Дмитрий')).toMatchObject({ first: 'дмитрии', last: 'иванов' });
    expect(parsePersonName('محمد العلي')).toMatchObject({ first: 'محمد', last: 'العلي' });
    expect(parsePersonName('Νίκος Παπαδόπουλος')).toMatchObject({ first: 'νικος', last: 'παπαδοπουλος' });
    expect(parsePersonName('王 小明')).toMatchObject({ first: '小明', last: '王' });
    // Chinese: family name first, written without a space.
    expect(parsePersonName('王小明')).toMatchObject({ first: '小明', last: '王' });
  });

  it('suggests a customer by a Cyrillic name', async () => {
    crowd();
    tb.w.mail({ address: 'd.ivanov@mail.ru', name: 'Дмитрий Иванов' }, 'Сломанный рюкзак', 'Здравствуйте,\n\nРюкзак порвался.\n\nДмитрий', T0 + 80 * DAY);
    const u = { id: '8003', handle: 'dimon77', name: 'Дмитрий Иванов' };
    tb.w.post(u, 'Жду ответа на письмо уже неделю', T0 + 150 * DAY);
    const a = await tb.account(u);
    expect(linkedOrTop(a)).toBe('d.ivanov@mail.ru');
    expect([a.linked, ...a.suggestions].find((s) => s?.email === 'd.ivanov@mail.ru')!.evidence.join('\n')).toMatch(/Иванов|Ivanov/i);
  });

  it('suggests a customer whose mail is in Latin letters by their name in Cyrillic on X, and the other way round', async () => {
    crowd();
    tb.w.mail({ address: 'dsokolov@yandex.ru', name: 'Dmitry Sokolov' }, 'Refund', 'Hello,\n\nWhere is my refund?\n\nDmitry', T0 + 80 * DAY);
    const u = { id: '8021', handle: 'dimon_77', name: 'Дмитрий Соколов' };
    tb.w.post(u, 'still waiting for my refund, emailed you', T0 + 82 * DAY);
    const a = await tb.account(u);
    expect(linkedOrTop(a)).toBe('dsokolov@yandex.ru');
    expect([a.linked, ...a.suggestions].find((s) => s?.email === 'dsokolov@yandex.ru')!.evidence.join('\n')).toMatch(/"Дмитрий Соколов" fits Dmitry Sokolov/);
    tb.w.mail({ address: 'natasha.k@mail.ru', name: 'Наталья Кузнецова' }, 'Заказ', 'Здравствуйте,\n\nГде мой заказ?\n\nНаталья', T0 + 80 * DAY);
    const v = { id: '8022', handle: 'nat_k_99', name: 'Natalia Kuznetsova' };
    tb.w.post(v, 'where is my order?', T0 + 82 * DAY);
    expect(linkedOrTop(await tb.account(v))).toBe('natasha.k@mail.ru');
  });

  it('a handle and an address that spell the same name with different numbers are two spellings, not one person', async () => {
    crowd();
    tb.w.mail({ address: 'kevinmoore1987@gmail.com', name: 'Kevin Moore' }, 'Refund', 'Hi,\n\nWhere is my refund?\n\nKevin', T0 + 80 * DAY);
    const u = { id: '8031', handle: 'kevinmoore12', name: 'Kevin Moore' };
    tb.w.post(u, 'hello there', T0 + 150 * DAY);
    const ev = (await tb.account(u)).suggestions.find((s) => s.email === 'kevinmoore1987@gmail.com')?.evidence ?? [];
    expect(ev.join('\n')).toMatch(/fits Kevin Moore/);
    expect(ev.join('\n')).not.toMatch(/spelled like/);
    const v = { id: '8032', handle: 'kevinmoore1987', name: 'Kev' };
    tb.w.post(v, 'hello there', T0 + 150 * DAY);
    expect((await tb.account(v)).linked?.email ?? (await tb.account(v)).suggestions[0]?.email).toBe('kevinmoore1987@gmail.com');
  });

  it('does not link one of two customers who share a common Chinese name', async () => {
    crowd();
    tb.w.mail({ address: 'wang.wei@qq.com', name: '王伟' }, 'Order', 'Hi,\n\nWhere is my order?\n\n王伟', T0 + 90 * DAY);
    tb.w.mail({ address: 'weiwang88@163.com', name: '王伟' }, 'Return', 'Hi,\n\nI want to return it.\n\n王伟', T0 + 91 * DAY);
    const u = { id: '8004', handle: 'ww_1990', name: '王伟' };
    tb.w.post(u, 'emailed you, no reply', T0 + 92 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
    expect(a.suggestions.map((s) => s.email).sort()).toEqual(['wang.wei@qq.com', 'weiwang88@163.com']);
  });
});

describe('a handle that is only a common first name', () => {
  it('is never linked on the first name, however many customers carry it', async () => {
    crowd(); // four customers named Michael
    tb.w.mail({ address: 'michael.brown@gmail.com', name: 'Michael Brown' }, 'Late delivery', 'Hi,\n\nWhere is my parcel?\n\nMichael', T0 + 100 * DAY);
    const u = { id: '8005', handle: 'michael', name: 'Michael' };
    tb.w.post(u, 'where is my parcel?? emailed you twice', T0 + 101 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
  });

  it('is not linked to the one customer with that first name either', async () => {
    tb.w.mail({ address: 'oliver.grant@gmail.com', name: 'Oliver Grant' }, 'Question', 'Hi,\n\nDo you ship abroad?\n\nOliver', T0 + 100 * DAY);
    tb.w.mail({ address: 'someone@else.example', name: 'Maria Rossi' }, 'Question', 'Hi,\n\nHello.\n\nMaria', T0 + 100 * DAY);
    const u = { id: '8006', handle: 'oliver', name: 'Oliver' };
    tb.w.post(u, 'love the new catalogue', T0 + 160 * DAY);
    const a = await tb.account(u);
    expect(a.linked).toBeNull();
  });
});

describe('a company with two staff on X', () => {
  function setUp() {
    crowd();
    tb.w.mail({ address: 'alice.ng@acme.io', name: 'Alice Ng' }, 'Bulk order ACM-770012', 'Hi,\n\nWe need 40 headlamps.\n\nAlice Ng\nProcurement, Acme', T0 + 110 * DAY);
    tb.w.mail({ address: 'bob.stone@acme.io', name: 'Bob Stone' }, 'Invoice question', 'Hi,\n\nThe invoice total looks wrong.\n\nBob Stone\nFinance, Acme', T0 + 111 * DAY);
  }

  it('links each staff member to their own address, not the colleague', async () => {
    setUp();
    const bob = { id: '8007', handle: 'bstone', name: 'Bob Stone', bio: 'Finance @ Acme', url: 'https://acme.io' };
    const alice = { id: '8008', handle: 'alice_buys', name: 'Alice N.', bio: 'Procurement at acme.io' };
    tb.w.post(bob, 'invoice still wrong, emailed you yesterday', T0 + 112 * DAY);
    tb.w.post(alice, 'any news on ACM-770012?', T0 + 112 * DAY);
    const b = await tb.account(bob);
    const a = await tb.account(alice);
    expect(linkedOrTop(b)).toBe('bob.stone@acme.io');
    if (b.linked) expect(b.linked.email).toBe('bob.stone@acme.io');
    expect(a.linked?.email).toBe('alice.ng@acme.io');
  });

  it('does not link the company account to either of them on the shared domain', async () => {
    setUp();
    const acme = { id: '8009', handle: 'acme_hq', name: 'Acme', bio: 'We make things. acme.io', url: 'https://acme.io' };
    tb.w.post(acme, 'thanks for the fast shipping!', T0 + 112 * DAY);
    const a = await tb.account(acme);
    expect(a.linked).toBeNull();
  });
});
