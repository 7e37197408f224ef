// Names as people from many traditions write them, and the candidates a complaint's story must not
// crowd out: a given name cut short ("Ada" for Adaeze), a name on X in its own script while the mail
// spells it in Latin letters ("فاطمة" and Fatima), and a given name shared by a few customers when the
// complaint's product word is shared by dozens.
import { describe, expect, it } from 'vitest';
import { cutHandleKey, cutHandleKeys, parsePersonName } from './names';
import { givenNamesFit, shortFormOf } from './nicknames';
import { scriptOf } from './score-evidence';
import { arabicSkeleton, latinSkeleton, skeletonsFit } from './skeleton';
import { cjkSurnamesFit } from './cjk-surnames';
import { DAY, T0, linkingTestbed } from './testing/world';

const tb = linkingTestbed('canary-link-mixes-');
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The account's link, or its best suggestion, after it posts `text`. */
async function topAfterPost(u: { id: string; handle: string; name: string }, text: string, at: number) {
  tb.w.post(u, text, at);
  const a = await tb.account(u);
  return a.linked ?? a.suggestions[0];
}

/** Customers who wrote about `product` from `from` days after T0 on, six days long (the story word of the complaints below). */
function crowd(n: number, product: string, from = 33): void {
  const firsts = ['anna', 'ben', 'carla', 'dmitri', 'eve', 'farid', 'gina', 'hugo', 'ines', 'jonas', 'kemi', 'lior'];
  const lasts = ['berg', 'costa', 'dahl', 'ekman', 'fonseca', 'gruber', 'holm', 'iwu'];
  for (let i = 0; i < n; i++) {
    const f = firsts[i % firsts.length]!;
    const l = lasts[i % lasts.length]!;
    tb.w.mail(
      { address: `${f}.${l}${i}@mail.example`, name: `${cap(f)} ${cap(l)}` },
      `My ${product} keeps dropping`,
      `Hi,\n\nMy ${product} keeps dropping every evening.\n\nThanks,\n${cap(f)}`,
      T0 + from * DAY + (i % 6) * DAY,
    );
  }
}

describe('given names cut short', () => {
  it('reads a prefix of three letters or more as a short form, not one letter off', () => {
    expect(shortFormOf('ada', 'adaeze')).toBe('adaeze');
    expect(shortFormOf('katarzyna', 'kat')).toBe('katarzyna');
    expect(shortFormOf('ada', 'adam')).toBeNull();
    expect(shortFormOf('al', 'albert')).toBeNull();
    expect(shortFormOf('maria', 'marta')).toBeNull();
    expect(givenNamesFit('ada', 'adaeze')).toBe(true);
    expect(givenNamesFit('bob', 'robert')).toBe(true);
    expect(givenNamesFit('ada', 'eze')).toBe(false);
  });

  it('suggests Adaeze Okonkwo to "Ada Okonkwo" complaining after her mail, saying why', async () => {
    crowd(20, 'router');
    tb.w.mail({ address: 'adaeze.o113@mail.example', name: 'Adaeze Okonkwo' }, 'Order BB-KJ73AA audiobook', 'Hi,\n\nI was charged twice for my audiobook.\n\nA.O.', T0 + 36 * DAY);
    const u = { id: '9101', handle: 'silverlucky796', name: 'Ada Okonkwo' };
    const top = await topAfterPost(u, 'audiobook problem and your support inbox is a black hole.', T0 + 39 * DAY);
    expect(top?.email).toBe('adaeze.o113@mail.example');
    expect(top!.evidence.join('\n')).toMatch(/Ada is a short form of Adaeze/);
    expect(top!.evidence.join('\n')).not.toMatch(/does not fit/);
  });
});

describe('a name in its own script', () => {
  it('tells scripts apart', () => {
    expect(scriptOf('fatima')).toBe('latin');
    expect(scriptOf('françois')).toBe('latin');
    expect(scriptOf('فاطمة')).toBe('arabic');
    expect(scriptOf('дмитрий')).toBe('cyrillic');
    expect(scriptOf('王')).toBe('han');
  });

  it('does not hold "فاطمة" on X against Fatima Abdullah of the mail, while a Latin name that differs still conflicts', async () => {
    crowd(30, 'invoice', 20);
    crowd(5, 'router', 20);
    // Another customer of that name, so the mailbox knows it for a given name.
    tb.w.mail({ address: 'f.alfarsi@mail.example', name: 'فاطمة الفارسي' }, 'Invoice', 'Hello,\n\nWhere is my invoice?\n\nفاطمة', T0 + 5 * DAY);
    tb.w.mail({ address: 'fatima.a3@mail.example', name: 'Fatima Abdullah' }, 'Help please', 'Hello,\n\nMy router is still not sorted.\n\nFatima', T0 + 37 * DAY);
    const u = { id: '9102', handle: 'silverlucky796', name: 'فاطمة 🌸' };
    tb.w.post(u, 'your reply did not fix my router. Still broken.', T0 + 39 * DAY);
    const a = await tb.account(u);
    const fatima = [a.linked, ...a.suggestions].find((s) => s?.email === 'fatima.a3@mail.example');
    expect(fatima, 'Fatima is suggested').toBeTruthy();
    expect(fatima!.evidence.join('\n')).not.toMatch(/does not fit/);

    const v = { id: '9103', handle: 'stormy_812', name: 'Maria 🌸' };
    tb.w.post(v, 'your reply did not fix my router. Still broken.', T0 + 39 * DAY + 3_600_000);
    const b = await tb.account(v);
    const forMaria = [b.linked, ...b.suggestions].find((s) => s?.email === 'fatima.a3@mail.example');
    // Fatima is no candidate for "Maria", or one her name contradicts.
    expect(!forMaria || /does not fit Fatima Abdullah/.test(forMaria.evidence.join('\n'))).toBe(true);
  });
});

describe('candidates a story must not crowd out', () => {
  it("keeps the customers an account is named like when its complaint word is everyone's", async () => {
    crowd(60, 'invoice', 20);
    crowd(20, 'broadband');
    // An address spelled like the handle: a strong key for another customer, which sets how far behind others may be.
    tb.w.mail({ address: 'stormdesert@mail.example', name: 'Priya Patel' }, 'Invoice', 'Hi,\n\nWhere is my invoice?\n\nPriya', T0 + 6 * DAY);
    for (const [i, last] of ['Nasser', 'Haddad', 'Khoury'].entries()) {
      tb.w.mail(
        { address: `youssef.${last.toLowerCase()}@mail.example`, name: '' },
        `Customer number CN 27-87${30 + i} - SIM card`,
        `Dear team,\n\nPlease check my SIM card, I was charged twice.\n\nRegards,\nYoussef\n\n-- \nYoussef ${last}`,
        T0 + (i === 0 ? 34 : 10 + i) * DAY,
      );
    }
    const u = { id: '9104', handle: 'storm_desert812', name: 'Youssef' };
    tb.w.post(u, 'sent you an email about my broadband days ago. No answer. Really?', T0 + 39 * DAY);
    const a = await tb.account(u);
    const emails = [a.linked, ...a.suggestions].filter(Boolean).map((s) => s!.email);
    expect(emails).toContain('youssef.nasser@mail.example');
  });
});

describe("a handle cut at X's 15 characters", () => {
  it('spells the long name as X cuts it', () => {
    expect(cutHandleKeys('lakshmi', 'chowdhury')).toEqual(expect.arrayContaining(['lakshmichowdhur', 'lakshmichowdhu']));
    expect(cutHandleKeys('ana', 'lima')).toEqual([]);
    expect(cutHandleKey('@LakshmiChowdhur')).toBe('lakshmichowdhur');
    expect(cutHandleKey('lakshmi')).toBeNull();
  });

  it('finds Lakshmi Chowdhury for @lakshmichowdhur, whose X name is only "L.C."', async () => {
    crowd(40, 'invoice', 20);
    tb.w.mail(
      { address: 'silversunny840170@mail.example' },
      'Order QP/3263-12 - cat tree',
      'Hello,\n\nPlease check my cat tree, I was charged twice.\n\nRegards,\nL.C.\n\n-- \nLakshmi Chowdhury',
      T0 + 30 * DAY,
    );
    const u = { id: '9105', handle: 'lakshmichowdhur', name: 'L.C.' };
    const top = await topAfterPost(u, 'thank u for let me know', T0 + 36 * DAY);
    expect(top?.email).toBe('silversunny840170@mail.example');
    expect(top!.evidence.join('\n')).toMatch(/handle @lakshmichowdhur spells Lakshmi Chowdhury/);
  });
});

describe('a surname run into the address', () => {
  it('reads "abenaasante" signed "Abena" as Abena Asante, over an Aminata Asante whose From gives her name', async () => {
    crowd(40, 'invoice', 20);
    tb.w.mail({ address: 'aasante90@mail.example', name: 'Aminata Asante' }, 'Order BB-RYLLP7 - preorder', 'Hi,\n\nWhere is my preorder?\n\nAminata', T0 + 28 * DAY);
    tb.w.mail({ address: 'abenaasante81152@mail.example' }, 'Order BB-D7YK5A - preorder', 'Dear team,\n\nPlease check my preorder, I was charged twice.\n\nBest,\nAbena', T0 + 33 * DAY);
    const u = { id: '9106', handle: 'abena_asante', name: 'A. Asante' };
    const top = await topAfterPost(u, '17.03 from EUS', T0 + 37 * DAY);
    expect(top?.email).toBe('abenaasante81152@mail.example');
    expect(top!.evidence.join('\n')).toMatch(/handle @abena_asante spells Abena Asante/);
  });
});

describe('Arabic script against Latin spellings', () => {
  it('compares names by their consonants', () => {
    for (const [ar, la] of [
      ['محمد', 'Mohammed'],
      ['محمد', 'Muhammad'],
      ['فاطمة', 'Fatima'],
      ['يوسف', 'Youssef'],
      ['أحمد', 'Ahmed'],
      ['عبدالله', 'Abdullah'],
      ['الفارسي', 'Al-Farsi'],
    ] as const)
      expect(skeletonsFit(ar, la.toLowerCase()), `${ar} ${la}`).toBe(true);
    expect(arabicSkeleton('خوري')).toBe(latinSkeleton('khoury'));
    expect(skeletonsFit('خوري', 'khoury')).toBe(true);
    expect(skeletonsFit('عمر', 'omar')).toBe(false); // two consonants alone collide too easily
    expect(skeletonsFit('عمر', 'omar', 2)).toBe(true);
    expect(skeletonsFit('حداد', 'haddad', 2)).toBe(true);
    expect(skeletonsFit('فاطمة', 'fatma')).toBe(true);
    expect(skeletonsFit('فاطمة', 'fadi')).toBe(false);
    expect(skeletonsFit('محمد', 'mahmoud')).toBe(false);
    expect(skeletonsFit('محمود', 'mahmoud')).toBe(true);
    expect(arabicSkeleton('Fatima')).toBeNull();
  });

  it('suggests the customer whose mail is signed "فاطمة خوري" to "Fatima Khoury" on X, saying so', async () => {
    crowd(40, 'invoice', 20);
    tb.w.mail({ address: 'lotuslucky781100@mail.example', name: 'فاطمة خوري' }, 'Customer number CN 27-8802', 'مرحبا\n\nMy router is not working.\n\nفاطمة', T0 + 30 * DAY);
    tb.w.mail({ address: 'aditya@mail.example', name: 'Aditya Rao' }, 'Router', 'Hi,\n\nMy router is not working.\n\nAditya', T0 + 31 * DAY);
    const u = { id: '9107', handle: 'fatimakhoury', name: 'Fatima Khoury' };
    const top = await topAfterPost(u, 'sent you an email about my router days ago. No answer. Really?', T0 + 33 * DAY);
    expect(top?.email).toBe('lotuslucky781100@mail.example');
    expect(top!.evidence.join('\n')).toMatch(/X name "Fatima Khoury" fits .*\(Fatima is فاطمة in another script\)/);
  });
});

describe('initials for a name', () => {
  it('reads "S.R." and "HL" as initials, not a given name', () => {
    expect(parsePersonName('S.R.')).toMatchObject({ first: null, last: null, firstInitial: 's', lastInitial: 'r' });
    expect(parsePersonName('HL')).toMatchObject({ first: null, last: null, firstInitial: 'h', lastInitial: 'l' });
    expect(parsePersonName('Al')).toMatchObject({ first: 'al' });
  });

  it('puts Suresh Reddy first for "S.R." complaining about his router among customers who wrote about routers', async () => {
    crowd(40, 'invoice', 10);
    crowd(8, 'router', 24);
    tb.w.mail({ address: 'cloudblue20141@mail.example', name: 'Suresh Reddy' }, 'Customer number CN 27-8734 - router', 'Dear team,\n\nMy router is not working.\n\nThanks,\nSuresh', T0 + 27 * DAY);
    const u = { id: '9108', handle: 'desertdesert80', name: 'S.R.' };
    const top = await topAfterPost(u, 'sent you an email about my router days ago. No answer. Really?', T0 + 30 * DAY);
    expect(top?.email).toBe('cloudblue20141@mail.example');
    expect(top!.evidence.join('\n')).toMatch(/X name "S.R." fits the initials of Suresh Reddy/);
  });
});

describe('names that only look different', () => {
  it('holds neither "Mo" against Mohammed nor "M.T." against a Tanaka Min, while "Ali" and "K.P." still conflict', async () => {
    crowd(30, 'invoice', 10);
    tb.w.mail({ address: 'm.hamdan@mail.example', name: 'Mohammed Hamdan' }, 'Customer number CN 27-8801 - roaming', 'Hi,\n\nMy roaming is not working.\n\nMohammed', T0 + 27 * DAY);
    // Another customer goes by "Mo": a name people have, so one that can contradict.
    tb.w.mail({ address: 'mo.saleh@mail.example', name: 'Mo Saleh' }, 'Invoice question', 'Hi,\n\nA question about my invoice.\n\nMo', T0 + 12 * DAY);
    // The mail writes the family name first, as many Japanese customers do.
    tb.w.mail({ address: 'mtanaka184@mail.example', name: 'Tanaka Min' }, 'Member ID VF43360 - yoga mat', 'Hi,\n\nMy yoga mat never came.\n\nTanaka Min', T0 + 27 * DAY);
    const cases = [
      [{ id: '9111', handle: 'mo_h', name: 'Mo Hamdan' }, 'm.hamdan@mail.example', false],
      [{ id: '9112', handle: 'ali_h', name: 'Ali Hamdan' }, 'm.hamdan@mail.example', true],
      [{ id: '9113', handle: 'silver_mt', name: 'M.T.' }, 'mtanaka184@mail.example', false],
      [{ id: '9114', handle: 'silver_kp', name: 'K.P.' }, 'mtanaka184@mail.example', true],
    ] as const;
    for (const [u, email, conflicts] of cases) {
      tb.w.post(u, email.startsWith('m.') ? 'CN 27-8801 still not resolved' : 'vf-43360 still not resolved', T0 + 29 * DAY);
      const a = await tb.account(u);
      const mine = [a.linked, ...a.suggestions].find((x) => x?.email === email);
      expect(mine, u.name).toBeTruthy();
      if (conflicts) expect(mine!.evidence.join('\n'), u.name).toMatch(/does not fit/);
      else {
        expect(mine!.evidence.join('\n'), u.name).not.toMatch(/does not fit/);
        // Nothing against the reference quoted: linked.
        expect(a.linked?.email, u.name).toBe(email);
      }
    }
  });
});

describe('Chinese, Korean and Japanese family names', () => {
  it('knows the common ones in their Latin spellings', () => {
    expect(cjkSurnamesFit('王', 'wang')).toBe(true);
    expect(cjkSurnamesFit('陳', 'chan')).toBe(true);
    expect(cjkSurnamesFit('김', 'kim')).toBe(true);
    expect(cjkSurnamesFit('tanaka', '田中')).toBe(true);
    expect(cjkSurnamesFit('王', 'li')).toBe(false);
  });

  it('reads "田中太郎" on X as a Tanaka and "王伟" as a Wang, with no conflict against the Latin names of the mail', async () => {
    crowd(30, 'invoice', 10);
    tb.w.mail({ address: 'taro.t@mail.example', name: 'Taro Tanaka' }, 'Reservation 0024619 - late checkout', 'Hi,\n\nMy late checkout was refused.\n\nTaro', T0 + 27 * DAY);
    tb.w.mail({ address: 'wei.w@mail.example', name: 'Wei Wang' }, 'Reservation 0024620 - deposit', 'Hi,\n\nMy deposit was not returned.\n\nWei', T0 + 27 * DAY);
    for (const [u, email, family] of [
      [{ id: '9109', handle: 'sunny_ta', name: '田中太郎' }, 'taro.t@mail.example', 'Tanaka'],
      [{ id: '9110', handle: 'blue_ww', name: '王伟' }, 'wei.w@mail.example', 'Wang'],
    ] as const) {
      tb.w.post(u, 'sent you an email days ago. No answer. Really?', T0 + 29 * DAY);
      const a = await tb.account(u);
      const mine = [a.linked, ...a.suggestions].find((x) => x?.email === email);
      expect(mine, u.name).toBeTruthy();
      expect(mine!.evidence.join('\n')).toMatch(new RegExp(`shares the surname ${family}|fits`));
      expect(mine!.evidence.join('\n')).not.toMatch(/does not fit/);
    }
  });
});
