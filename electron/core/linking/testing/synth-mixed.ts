// A second generator of support mailboxes and X pages, unlike synth.ts and ../shared/linkset-dev:
// reference formats of other trades (invoice, tracking, account numbers, booking codes), customers
// from other name traditions (South Asian, East Asian, Arabic, Slavic, West African), some writing
// their name in its own script, using only a given name or initials, or keeping an X profile that
// shares little with their mail; strangers say what real people said to support desks (chatter.ts).
// Writes .eml files, X API v2 pages and a truth.json like the shared data set (accounts, escalations).
import fs from 'node:fs';
import path from 'node:path';
import { rng } from '../../rng';
import { loadChatter } from './chatter';
import { loadLabelledTweets } from './labelled-tweets';
import { writeXPagesAndTruth } from './x-pages';
import { emlDate, encodeHeader } from './eml';

/** A name part: its Latin spelling(s) (the first is the usual one) and how it is written in its own script. */
type Part = [latin: string, native?: string, ...alt: string[]];

export interface Culture {
  name: string;
  /** Given names with their short forms. */
  firsts: { p: Part; nicks?: string[] }[];
  lasts: Part[];
  /** Family name first when written in full (East Asian usage). */
  familyFirst?: number;
  /** Native script joins parts without a space (Chinese, Japanese). */
  nativeJoin?: string;
}

export const CULTURES: Record<string, Culture> = {
  southAsian: {
    name: 'South Asian',
    firsts: [
      { p: ['Priya', 'प्रिया'] },
      { p: ['Arjun', 'अर्जुन'] },
      { p: ['Sanjay', 'संजय'] },
      { p: ['Deepika'], nicks: ['Deepu'] },
      { p: ['Rahul', 'राहुल'] },
      { p: ['Ananya'] },
      { p: ['Venkatesh'], nicks: ['Venky'] },
      { p: ['Lakshmi'] },
      { p: ['Imran'] },
      { p: ['Nusrat'] },
      { p: ['Farhan'] },
      { p: ['Suresh'] },
      { p: ['Kavya'] },
      { p: ['Aditya'], nicks: ['Adi'] },
      { p: ['Meenakshi'], nicks: ['Meena'] },
    ],
    lasts: [['Sharma', 'शर्मा'], ['Gupta', 'गुप्ता'], ['Patel'], ['Raghunathan'], ['Venkataraman'], ['Iyer'], ['Chowdhury'], ['Hossain'], ['Reddy'], ['Banerjee'], ['Khan'], ['Singh'], ['Nair']],
  },
  eastAsian: {
    name: 'East Asian',
    firsts: [
      { p: ['Wei', '伟'] },
      { p: ['Na', '娜'] },
      { p: ['Min', '敏'] },
      { p: ['Jie', '杰'] },
      { p: ['Yang', '洋'] },
      { p: ['Hanako', '花子'] },
      { p: ['Kenji', '健二'], nicks: ['Ken'] },
      { p: ['Ji-hoon', '지훈', 'Jihoon'] },
      { p: ['Min-jun', '민준', 'Minjun'] },
      { p: ['Seo-yeon', '서연', 'Seoyeon'] },
      { p: ['Yuki', '由紀'] },
      { p: ['Mei', '美'] },
      { p: ['Kevin'] },
      { p: ['Grace'] },
      { p: ['Haruto', '陽翔'] },
    ],
    lasts: [
      ['Wang', '王'],
      ['Li', '李', 'Lee'],
      ['Zhang', '张'],
      ['Chen', '陈'],
      ['Liu', '刘'],
      ['Sato', '佐藤'],
      ['Suzuki', '鈴木'],
      ['Park', '박'],
      ['Kim', '김'],
      ['Tanaka', '田中'],
      ['Nguyen'],
      ['Tran'],
      ['Huang', '黄'],
    ],
    familyFirst: 0.5,
    nativeJoin: '',
  },
  arabic: {
    name: 'Arabic',
    firsts: [
      { p: ['Mohammed', 'محمد', 'Muhammad', 'Mohamed'], nicks: ['Mo'] },
      { p: ['Ahmed', 'أحمد', 'Ahmad'] },
      { p: ['Fatima', 'فاطمة'] },
      { p: ['Omar', 'عمر'] },
      { p: ['Layla', 'ليلى', 'Leila'] },
      { p: ['Youssef', 'يوسف', 'Yusuf'] },
      { p: ['Khalid', 'خالد'] },
      { p: ['Noor', 'نور'] },
      { p: ['Hassan', 'حسن'] },
      { p: ['Mariam', 'مريم', 'Maryam'] },
      { p: ['Rania'] },
      { p: ['Tariq'] },
    ],
    lasts: [
      ['Al-Farsi', 'الفارسي'],
      ['Haddad', 'حداد'],
      ['Abdullah', 'عبدالله'],
      ['El-Sayed', 'السيد'],
      ['Khoury', 'خوري'],
      ['Nasser', 'ناصر'],
      ['Mansour', 'منصور'],
      ['Hamdan'],
      ['Saleh', 'صالح'],
      ['Aziz'],
    ],
  },
  slavic: {
    name: 'Slavic',
    firsts: [
      { p: ['Dmitri', 'Дмитрий', 'Dmitry'], nicks: ['Dima'] },
      { p: ['Katarzyna'], nicks: ['Kasia'] },
      { p: ['Olena', 'Олена'] },
      { p: ['Aleksandr', 'Александр', 'Alexander'], nicks: ['Sasha'] },
      { p: ['Natalia', 'Наталья', 'Natalya'], nicks: ['Natasha'] },
      { p: ['Tomasz'], nicks: ['Tomek'] },
      { p: ['Agnieszka'], nicks: ['Aga'] },
      { p: ['Jelena'] },
      { p: ['Milan'] },
      { p: ['Bogdan', 'Богдан'] },
      { p: ['Sergei', 'Сергей', 'Sergey'] },
      { p: ['Irina', 'Ирина'] },
    ],
    lasts: [
      ['Sokolov', 'Соколов'],
      ['Nowak'],
      ['Shevchenko', 'Шевченко'],
      ['Kowalczyk'],
      ['Novak'],
      ['Horvat'],
      ['Wiśniewski'],
      ['Kuznetsov', 'Кузнецов'],
      ['Petrović'],
      ['Volkov', 'Волков'],
      ['Popov', 'Попов'],
    ],
  },
  westAfrican: {
    name: 'West African',
    firsts: [
      { p: ['Oluwaseun'], nicks: ['Seun'] },
      { p: ['Chinonso'], nicks: ['Nonso'] },
      { p: ['Kofi'] },
      { p: ['Aminata'] },
      { p: ['Abena'] },
      { p: ['Babatunde'], nicks: ['Tunde'] },
      { p: ['Ifeoma'], nicks: ['Ify'] },
      { p: ['Kwabena'] },
      { p: ['Fatoumata'] },
      { p: ['Moussa'] },
      { p: ['Yaw'] },
      { p: ['Adaeze'], nicks: ['Ada'] },
      { p: ['Emeka'] },
    ],
    lasts: [['Adeyemi'], ['Eze'], ['Mensah'], ['Diallo'], ['Owusu'], ['Okonkwo'], ['Nwosu'], ['Asante'], ['Traoré'], ['Keita'], ['Boateng'], ['Balogun'], ['Sow']],
  },
  western: {
    name: 'Western',
    firsts: [
      { p: ['James'], nicks: ['Jim'] },
      { p: ['Emma'] },
      { p: ['Lucas'] },
      { p: ['Sophie'] },
      { p: ['Daniel'], nicks: ['Dan'] },
      { p: ['Laura'] },
      { p: ['Peter'], nicks: ['Pete'] },
      { p: ['Anna'] },
    ],
    lasts: [['Miller'], ['Jones'], ['Fischer'], ['Dubois'], ['Rossi'], ['Walsh'], ['Berg'], ['Silva']],
  },
};

export interface MixedOptions {
  seed: number;
  customers: number;
  business: { name: string; domain: string; handle: string; xId: string };
  /** Name traditions and their shares. */
  mix: [keyof typeof CULTURES, number][];
  /** How the business writes reference n in mail. */
  ref: (n: number) => string;
  /** Ways a customer may write it on X (some only partly, like "ending 5321"). */
  refVariants: (n: number) => string[];
  /** Share of customers' X posts that quote their reference (0.3 when unset). */
  refQuote?: number;
  /** Share of customers whose X profile shares little with their mail (0.25 when unset). */
  opaque?: number;
  products: string[];
}

const FREE = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me', 'yandex.ru', 'qq.com', 'naver.com', 'rediffmail.com'];
const WORDS = ['sunny', 'quiet', 'lucky', 'silver', 'wild', 'mango', 'storm', 'lotus', 'tiger', 'cloud', 'desert', 'blue'];
const BIOS = ['Dad. Engineer. Coffee.', 'she/her · Lagos', 'Runner, reader', 'Views my own', 'Living in Toronto', 'Pharmacist', 'student', 'Football fan', 'Photographer', ''];
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 4, 8, 0, 0);

function ascii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

interface Person {
  culture: Culture;
  first: Part;
  nick: string | null;
  last: Part;
  address: string;
  ownDomain: string | null;
  mails: { at: number; product: string; ref: number; answered: boolean; subject: string }[];
}

/** "Wang Wei" or "Wei Wang", in Latin letters or its own script. */
function fullName(p: Person, native: boolean, familyFirst: boolean, firstSpelling = p.first[0]): string {
  if (native && p.first[1] && p.last[1]) {
    const j = p.culture.nativeJoin ?? ' ';
    return familyFirst || p.culture.nativeJoin !== undefined ? `${p.last[1]}${j}${p.first[1]}` : `${p.first[1]}${j}${p.last[1]}`;
  }
  return familyFirst ? `${p.last[0]} ${firstSpelling}` : `${firstSpelling} ${p.last[0]}`;
}

export function generateMixedDataset(dir: string, o: MixedOptions): { accounts: number; linkable: number; chatter: string } {
  const r = rng(o.seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const chance = (p: number) => r() < p;
  const chatter = loadChatter();
  const cultureOf = (): Culture => {
    let x = r() * o.mix.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of o.mix) if ((x -= w) <= 0) return CULTURES[k]!;
    return CULTURES[o.mix[0]![0]]!;
  };
  fs.mkdirSync(path.join(dir, 'mail'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'x'), { recursive: true });
  const people: Person[] = [];
  let refSeq = 1000 + Math.floor(r() * 400_000);
  for (let i = 0; i < o.customers; i++) {
    const culture = cultureOf();
    const fp = pick(culture.firsts);
    const last = pick(culture.lasts);
    const f = ascii(fp.p[0]);
    const l = ascii(last[0]);
    const ownDomain = chance(0.1) ? `${l}${pick(['trading', 'clinic', 'logistics', 'foods', 'tech'])}.com` : null;
    const s = r();
    const local = ownDomain
      ? pick([f, `${f[0]}${l}`, 'info', 'office'])
      : s < 0.25
        ? `${f}.${l}`
        : s < 0.4
          ? `${f}${l}${Math.floor(r() * 99)}`
          : s < 0.5
            ? `${l}.${f}`
            : s < 0.6
              ? `${f[0]}${l}`
              : s < 0.7
                ? `${f}${Math.floor(1960 + r() * 45)}`
                : `${pick(WORDS)}${pick(WORDS)}${Math.floor(r() * 900 + 10)}`;
    const address = `${local}${ownDomain ? '' : i}@${ownDomain ?? pick(FREE)}`.toLowerCase();
    const product = pick(o.products);
    const ref = refSeq;
    refSeq += 1 + Math.floor(r() * 7);
    const mails: Person['mails'] = [];
    let at = T0 + Math.floor(r() * 100 * DAY);
    const n = 1 + Math.floor(r() * 3);
    const generic = chance(0.25);
    for (let k = 0; k < n; k++) {
      const subject = generic ? pick(['Question about my account', 'Problem', 'Help please', 'Complaint', 'Urgent']) : `${o.ref(ref)} - ${product}`;
      mails.push({ at, product, ref, answered: chance(0.5), subject });
      at += Math.floor((1 + r() * 4) * DAY);
    }
    people.push({ culture, first: fp.p, nick: fp.nicks && chance(0.5) ? pick(fp.nicks) : null, last, address, ownDomain, mails });
  }
  // Mail.
  let mailNo = 0;
  const write = (headers: string[], body: string) =>
    fs.writeFileSync(path.join(dir, 'mail', `${String(++mailNo).padStart(5, '0')}.eml`), `${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`);
  for (const p of people) {
    const ff = !!p.culture.familyFirst && chance(p.culture.familyFirst);
    const d = r();
    const fromName =
      d < 0.4 ? fullName(p, false, ff) : d < 0.5 ? fullName(p, true, ff) : d < 0.6 ? `${p.last[0]}, ${p.first[0]}` : d < 0.72 ? p.first[0] : d < 0.8 ? `${p.first[0][0]}. ${p.last[0]}` : '';
    const sign = chance(0.3) ? `${p.first[0][0]}.${p.last[0][0]}.` : (p.nick ?? p.first[0]);
    const host = p.address.split('@')[1]!;
    // Every message's id carries its own file's number (the first mail's is the next file): unique,
    // as real mailers' ids are (one number off, consecutive customers on one mail host clashed).
    const threadId = `<x${mailNo + 1}.${o.seed}@${host}>`;
    let prevId: string | null = null;
    for (const m of p.mails) {
      const id: string = prevId ? `<x${mailNo + 1}.${o.seed}@${host}>` : threadId;
      const line = pick([
        `Regarding ${o.ref(m.ref)}: my ${m.product} still has not been sorted.`,
        `I am writing about the ${m.product} (${o.ref(m.ref)}). Nobody has helped so far.`,
        `My ${m.product} is not working. ${o.ref(m.ref)}.`,
        `Please check my ${m.product}, I was charged twice. Reference ${o.ref(m.ref)}`,
      ]);
      const sig = chance(0.4) ? `\n-- \n${fullName(p, false, false)}${p.ownDomain ? `\n${p.ownDomain}` : ''}\n` : '';
      write(
        [
          `From: ${fromName ? `${encodeHeader(fromName)} <${p.address}>` : p.address}`,
          `To: ${o.business.name} <help@${o.business.domain}>`,
          `Subject: ${prevId ? 'Re: ' : ''}${m.subject}`,
          `Date: ${emlDate(m.at)}`,
          `Message-ID: ${id}`,
          ...(prevId ? [`In-Reply-To: ${prevId}`, `References: ${threadId}`] : []),
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
        ],
        `${pick(['Hello,', 'Dear team,', 'Hi', 'Good day,'])}\n\n${line}\n\n${pick(['Regards', 'Thanks', 'Best'])},\n${sign}\n${sig}`,
      );
      prevId = id;
      if (m.answered) {
        const rid = `<y${mailNo + 1}.${o.seed}@${o.business.domain}>`;
        write(
          [
            `From: ${o.business.name} <help@${o.business.domain}>`,
            `To: ${p.address}`,
            `Subject: Re: ${m.subject}`,
            `Date: ${emlDate(m.at + Math.floor(0.3 * DAY + r() * DAY))}`,
            `Message-ID: ${rid}`,
            `In-Reply-To: ${id}`,
            `References: ${threadId}`,
            'Content-Type: text/plain; charset=utf-8',
          ],
          `Dear ${p.first[0]},\n\nThank you for contacting ${o.business.name}. We are looking into ${o.ref(m.ref)}.\n\n${o.business.name} Support\n`,
        );
        prevId = rid;
      }
    }
  }
  // X.
  interface XUser {
    id: string;
    username: string;
    name: string;
    description: string;
  }
  const users: XUser[] = [];
  const tweets: { id: string; text: string; author_id: string; created_at: string }[] = [];
  const dms: { id: string; text: string; sender_id: string; created_at: string }[] = [];
  const truth: { x_user_id: string; username: string; emails: string[] }[] = [];
  const escalations: { x_user_id: string; conversation_id: string; unanswered: boolean }[] = [];
  const taken = new Set<string>();
  let xSeq = 0;
  let postSeq = 0;
  const newUser = (name: string, handle: string, description = ''): XUser => {
    let h = handle.replace(/[^A-Za-z0-9_]/g, '').slice(0, 15) || `user${xSeq}`;
    while (taken.has(h.toLowerCase())) h = `${h.slice(0, 12)}${Math.floor(r() * 900 + 100)}`;
    taken.add(h.toLowerCase());
    const u: XUser = { id: String(1_600_000_000_000_000_000n + BigInt(++xSeq * 7907 + o.seed)), username: h, name, description };
    users.push(u);
    return u;
  };
  const post = (u: XUser, text: string, at: number, dm = false): string => {
    const id = String(1_950_000_000_000_000_000n + BigInt(++postSeq * 104723 + o.seed));
    const created_at = new Date(at).toISOString();
    if (dm) dms.push({ id, text, sender_id: u.id, created_at });
    else tweets.push({ id, text: `@${o.business.handle} ${text}`, author_id: u.id, created_at });
    return id;
  };
  const realText = (): string => (chatter.texts.length ? pick(chatter.texts) : pick(['Is anyone there?', 'Worst service ever', 'How do I change my plan?', 'Love you guys']));
  // What a customer says on X that is not a complaint (labelled by hand: thanks, questions, other), so
  // that the truth's escalations stay the complaints after mail (a real tweet is usually a complaint).
  const calm = loadLabelledTweets().flatMap((t) =>
    t.label !== 'complaint' && t.text
      ? [
          t.text
            .replace(/(^|\s)@\w+/g, ' ')
            .replace(/https?:\/\/\S+/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
        ]
      : [],
  );
  const calmText = (): string => (calm.length ? pick(calm) : pick(['How do I change my plan?', 'Love you guys', 'Thanks for the help!']));
  const COMPLAINTS = [
    'still waiting on my PRODUCT, emailed twice and nothing.',
    'sent you an email about my PRODUCT days ago. No answer. Really?',
    'PRODUCT problem and your support inbox is a black hole.',
    'is anyone reading emails? My PRODUCT issue is still open',
    'your reply did not fix my PRODUCT. Still broken.',
  ];
  const opaque = o.opaque ?? 0.25;
  for (const p of people) {
    if (!chance(0.4)) continue;
    const f = ascii(p.first[0]);
    const l = ascii(p.last[0]);
    const hidden = chance(opaque);
    const ns = r();
    const name = hidden
      ? pick([p.nick ?? p.first[0], pick(['Night Owl', 'just me', 'Traveller', 'ℳ', '🌙', 'Mama of 3']), `${p.first[0][0]}${p.last[0][0]}`])
      : ns < 0.3
        ? fullName(p, false, chance(p.culture.familyFirst ?? 0), pick([p.first[0], ...p.first.slice(2)]))
        : ns < 0.45 && p.first[1] && p.last[1]
          ? fullName(p, true, false)
          : ns < 0.55 && p.nick
            ? `${p.nick} ${p.last[0]}`
            : ns < 0.65
              ? `${p.first[0][0]}. ${p.last[0]}`
              : ns < 0.75
                ? `${p.first[0][0]}.${p.last[0][0]}.`
                : ns < 0.9
                  ? `${p.first[1] && chance(0.3) ? p.first[1] : p.first[0]}${pick(['', ' ✨', ' 🇳🇬', ' 🌸'])}`
                  : `${p.first[0]} ${p.last[0][0]}.`;
    const hs = r();
    const handle = hidden
      ? chatter.handles.length && chance(0.5)
        ? pick(chatter.handles)
        : `${pick(WORDS)}_${pick(WORDS)}${Math.floor(r() * 9000)}`
      : hs < 0.3
        ? `${f}${l}`
        : hs < 0.45
          ? `${f}_${l}`
          : hs < 0.55
            ? `${f[0]}${l}${Math.floor(r() * 99)}`
            : hs < 0.65
              ? `${l}${f}`
              : hs < 0.75
                ? `${f}${Math.floor(r() * 9999)}`
                : `${pick(WORDS)}${pick(WORDS)}${Math.floor(r() * 999)}`;
    const bio = p.ownDomain && !hidden && chance(0.5) ? `${pick(['Founder', 'Manager'])} at ${p.ownDomain}` : pick(BIOS);
    const u = newUser(name, handle, bio);
    truth.push({ x_user_id: u.id, username: u.username, emails: [p.address] });
    const last = p.mails[p.mails.length - 1]!;
    const at = last.at + Math.floor((0.3 + r() * 5) * DAY);
    const k = r();
    if (!hidden && k < 0.08) post(u, `My account email is ${p.address}`, at, true);
    else if (k < 0.2) post(u, `${pick(['Name', 'Details'])}: ${p.first[0]} ${p.last[0]}, ${pick(o.refVariants(last.ref))}`, at, true);
    if (chance(o.refQuote ?? 0.3)) {
      const ref = pick(o.refVariants(last.ref));
      const say = pick(['still not resolved', 'any news?', 'please check', 'third week now']);
      const conv = post(u, `${ref} ${say}`, at + DAY / 2);
      // Chasing their case after mail is a complaint; a bare "please check" is not.
      if (say !== 'please check') escalations.push({ x_user_id: u.id, conversation_id: conv, unanswered: !last.answered });
    }
    // Most complain after their mail; the others say a real support tweet that is not a complaint (not escalations).
    if (chance(0.8)) {
      const conv = post(u, pick(COMPLAINTS).replace('PRODUCT', chance(0.7) ? last.product : pick(o.products)), at + DAY);
      escalations.push({ x_user_id: u.id, conversation_id: conv, unanswered: !last.answered });
    } else post(u, calmText(), at + DAY);
    // Some also say things unrelated to their case.
    if (chance(0.3)) post(u, calmText(), T0 + Math.floor(r() * 110 * DAY));
  }
  const linkable = truth.length;
  const nStrangers = Math.round(linkable * 1.6);
  for (let i = 0; i < nStrangers; i++) {
    const kind = r();
    let u: XUser;
    const when = () => T0 + Math.floor(r() * 110 * DAY);
    if (kind < 0.15) {
      // A namesake (common family names make many), posting a real support tweet.
      const c = pick(people);
      const other = pick(c.culture.firsts).p;
      u = newUser(chance(0.5) ? `${c.first[0]} ${c.last[0]}` : `${other[0]} ${c.last[0]}`, `${ascii(c.first[0])}${ascii(c.last[0])}${Math.floor(r() * 999)}`, pick(BIOS));
      post(u, chance(0.5) ? realText() : `my ${pick(o.products)} stopped working, emailed support yesterday`, when());
    } else if (kind < 0.25) {
      // Quotes a reference of the same form that is not in this mailbox.
      const c = cultureOf();
      u = newUser(`${pick(c.firsts).p[0]} ${pick(c.lasts)[0]}`, `${pick(WORDS)}${Math.floor(r() * 99999)}`);
      post(u, `${pick(o.refVariants(900_000 + Math.floor(r() * 90_000)))} ${pick(['never arrived', 'is wrong', 'help'])}`, when());
    } else {
      // Strangers with real handles and real words.
      const c = cultureOf();
      const nm = chance(0.5) ? `${pick(c.firsts).p[0]} ${pick(c.lasts)[0]}` : chance(0.5) ? pick(c.firsts).p[0] : pick(['Sports fan', 'K', 'Mr Nobody', 'daily grind']);
      u = newUser(nm, chatter.handles.length && chance(0.7) ? pick(chatter.handles) : `${pick(WORDS)}${pick(WORDS)}${Math.floor(r() * 999)}`, pick(BIOS));
      post(u, realText(), when());
      if (chance(0.2)) post(u, realText(), when());
    }
    truth.push({ x_user_id: u.id, username: u.username, emails: [] });
  }
  // Each customer's mails and the business's answers are one thread.
  const mail = { email: `help@${o.business.domain}`, threads: people.length };
  writeXPagesAndTruth(dir, { business: o.business, users, tweets, dms, truth: { accounts: truth, escalations }, mail });
  return { accounts: truth.length, linkable, chatter: chatter.source };
}
