// A generated support mailbox and X pages, independent of ../shared/linkset-dev, to check that linking
// holds on other businesses, reference formats and name mixes: customers writing mail, some with an
// X account (names, nicknames, initials, handles, bios, posts after their mail), and strangers
// (namesakes of customers, a spouse sharing surname and domain, people quoting references that are
// not in the mailbox). Writes .eml files, X API v2 pages and a truth.json like the shared data set
// (accounts, escalations).
import fs from 'node:fs';
import path from 'node:path';
import { firstNamesCompatible } from '../nicknames';
import { rng } from '../../rng';
import { loadChatter } from './chatter';
import { writeXPagesAndTruth } from './x-pages';
import { emlDate, encodeHeader } from './eml';

export interface SynthOptions {
  seed: number;
  customers: number;
  business: { name: string; domain: string; handle: string; xId: string };
  /** How the business writes a reference number n. */
  ref: (n: number) => string;
  /** Other ways a customer may write the same reference on X. */
  refVariants: (n: number) => string[];
  products: string[];
}

const FIRSTS: [string, string[]][] = [
  ['Robert', ['Bob', 'Rob']],
  ['Elizabeth', ['Liz', 'Beth']],
  ['William', ['Bill', 'Will']],
  ['Katherine', ['Kate', 'Katie']],
  ['Michael', ['Mike']],
  ['Margaret', ['Maggie', 'Peggy']],
  ['Alexander', ['Alex']],
  ['Jennifer', ['Jen']],
  ['Daniel', ['Dan']],
  ['Patricia', ['Pat', 'Trish']],
  ['Thomas', ['Tom']],
  ['Rebecca', ['Becky']],
  ['Joseph', ['Joe']],
  ['Susan', ['Sue']],
  ['Anthony', ['Tony']],
  ['Olga', []],
  ['Hiroshi', []],
  ['Priya', []],
  ['Chidi', []],
  ['Søren', []],
  ['Zoë', []],
  ['José', ['Pepe']],
  ['Francesca', ['Fran']],
  ['Mateusz', []],
  ['Aoife', []],
  ['Ngozi', []],
  ['Lucía', []],
  ['Björn', []],
  ['Amira', []],
  ['Kwame', []],
];
const LASTS = [
  'Okafor',
  'Lindqvist',
  'Brennan',
  'Castellano',
  'Duarte',
  'Eriksen',
  'Ferreira',
  'Gallagher',
  'Hoffmann',
  'Ivanova',
  'Jovanovic',
  'Kaminski',
  'Lombardi',
  'Mendoza',
  'Nakamura',
  "O'Connor",
  'Petrov',
  'Quintero',
  'Rahman',
  'Schneider',
  'Takahashi',
  'Vasquez',
  'Wagner',
  'Yamamoto',
  'Zielinski',
  'Núñez',
  'Smith',
  'Smith',
  'Nguyen',
  'Nguyen',
  'García',
  'Brown',
  'Müller',
  'Kim',
];
const FREE = ['gmail.com', 'yahoo.com', 'outlook.com', 'proton.me', 'icloud.com', 'gmx.de', 'fastmail.com'];
const WORDS = ['blue', 'red', 'happy', 'lazy', 'cosmic', 'trail', 'pixel', 'night', 'salty', 'urban'];
const ANIMALS = ['fox', 'otter', 'panda', 'owl', 'river', 'maple', 'comet', 'ghost'];
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

function ascii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

interface Customer {
  first: string;
  nick: string | null;
  last: string;
  address: string;
  ownDomain: string | null;
  mails: { at: number; product: string; ref: number; answered: boolean }[];
}

export function generateDataset(dir: string, o: SynthOptions): { accounts: number; linkable: number } {
  const r = rng(o.seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  fs.mkdirSync(path.join(dir, 'mail'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'x'), { recursive: true });
  const customers: Customer[] = [];
  let refSeq = 10_000 + Math.floor(r() * 50_000);
  for (let i = 0; i < o.customers; i++) {
    const [first, nicks] = pick(FIRSTS);
    const spouseOf = i > 0 && r() < 0.05 ? customers[customers.length - 1]! : null;
    const last = spouseOf?.last ?? pick(LASTS);
    const f = ascii(first);
    const l = ascii(last);
    let ownDomain: string | null = spouseOf?.ownDomain ?? null;
    if (!ownDomain && r() < 0.12) ownDomain = `${l}${pick(['design', 'farm', 'studio', 'bakery'])}.com`;
    const style = r();
    const local = ownDomain
      ? f
      : style < 0.3
        ? `${f}.${l}`
        : style < 0.5
          ? `${f[0]}${l}`
          : style < 0.65
            ? `${f}_${l[0]}`
            : style < 0.8
              ? `${f}${l}${Math.floor(r() * 99)}`
              : `${pick(WORDS)}${pick(ANIMALS)}${Math.floor(r() * 900 + 10)}`;
    const address = `${local}${ownDomain ? '' : i}@${ownDomain ?? pick(FREE)}`.toLowerCase();
    const mails: Customer['mails'] = [];
    let at = T0 + Math.floor(r() * 120 * DAY);
    const n = 1 + Math.floor(r() * 3);
    const product = pick(o.products);
    const ref = refSeq++;
    for (let k = 0; k < n; k++) {
      mails.push({ at, product, ref, answered: r() < 0.55 });
      at += Math.floor((1 + r() * 4) * DAY);
    }
    customers.push({ first, nick: nicks.length && r() < 0.5 ? pick(nicks) : null, last, address, ownDomain, mails });
  }
  // Mail.
  let mailNo = 0;
  for (const c of customers) {
    const display = r();
    const fromName = display < 0.45 ? `${c.first} ${c.last}` : display < 0.6 ? `${c.last}, ${c.first}` : display < 0.75 ? c.first : display < 0.85 ? `${c.first} ${c.last}`.toUpperCase() : '';
    const sign = c.nick ?? c.first;
    const threadId = `<t${mailNo}.${o.seed}@${c.address.split('@')[1]}>`;
    let prevId: string | null = null;
    for (const m of c.mails) {
      const id: string = `<m${++mailNo}.${o.seed}@${c.address.split('@')[1]}>`;
      const body =
        `Hello,\n\n${pick([`My ${m.product} (order ${o.ref(m.ref)}) arrived broken.`, `Writing about ${o.ref(m.ref)}: the ${m.product} never came.`, `Still no news about my ${m.product}, ref ${o.ref(m.ref)}.`])}\n\n` +
        `Thanks,\n${sign}\n` +
        (r() < 0.5 ? `\n-- \n${c.first} ${c.last}\n${r() < 0.15 ? `Follow me on X: @${ascii(c.first)}${ascii(c.last)}\n` : ''}` : '');
      const headers = [
        `From: ${fromName ? `${encodeHeader(fromName)} <${c.address}>` : c.address}`,
        `To: ${o.business.name} <support@${o.business.domain}>`,
        `Subject: ${prevId ? 'Re: ' : ''}${o.ref(m.ref)} - ${m.product}`,
        `Date: ${emlDate(m.at)}`,
        `Message-ID: ${prevId ? id : threadId}`,
        ...(prevId ? [`In-Reply-To: ${prevId}`, `References: ${threadId}`] : []),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
      ];
      const mine: string = prevId ? id : threadId;
      fs.writeFileSync(path.join(dir, 'mail', `${String(mailNo).padStart(5, '0')}.eml`), `${headers.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}`);
      prevId = mine;
      if (m.answered) {
        const rid = `<r${++mailNo}.${o.seed}@${o.business.domain}>`;
        const reply = [
          `From: ${o.business.name} <support@${o.business.domain}>`,
          `To: ${c.address}`,
          `Subject: Re: ${o.ref(m.ref)} - ${m.product}`,
          `Date: ${emlDate(m.at + Math.floor(0.5 * DAY))}`,
          `Message-ID: ${rid}`,
          `In-Reply-To: ${mine}`,
          `References: ${threadId}`,
          'Content-Type: text/plain; charset=utf-8',
        ];
        fs.writeFileSync(
          path.join(dir, 'mail', `${String(mailNo).padStart(5, '0')}.eml`),
          `${reply.join('\r\n')}\r\n\r\nHi ${c.first},\r\n\r\nSorry about the ${m.product}. We are on it.\r\n\r\n${o.business.name}\r\n`,
        );
        prevId = rid;
      }
    }
  }
  // X accounts.
  interface XUser {
    id: string;
    username: string;
    name: string;
    description: string;
    url?: string;
  }
  const users: XUser[] = [];
  const tweets: { id: string; text: string; author_id: string; created_at: string }[] = [];
  const dms: { id: string; text: string; sender_id: string; created_at: string }[] = [];
  const truth: { x_user_id: string; username: string; emails: string[] }[] = [];
  let xSeq = 0;
  let postSeq = 0;
  const newUser = (name: string, handle: string, description = '', url?: string): XUser => {
    const u: XUser = { id: String(1_500_000_000_000_000_000n + BigInt(++xSeq * 7919 + o.seed)), username: handle.slice(0, 15), name, description, ...(url ? { url } : {}) };
    users.push(u);
    return u;
  };
  const post = (u: XUser, text: string, at: number, dm = false): string => {
    const id = String(1_900_000_000_000_000_000n + BigInt(++postSeq * 104729 + o.seed));
    const created_at = new Date(at).toISOString();
    if (dm) dms.push({ id, text, sender_id: u.id, created_at });
    else tweets.push({ id, text: `@${o.business.handle} ${text}`, author_id: u.id, created_at });
    return id;
  };
  // What customers say on X after their mail, chosen with a second generator so that names, handles and
  // mail stay as they were: complaints (escalations: after an unanswered mail, or still unhappy after an
  // answer), thank-yous and praise, plain questions (neither). Strangers also say real support tweets.
  const r2 = rng(o.seed * 7919 + 1);
  const pick2 = <T>(a: readonly T[]): T => a[Math.floor(r2() * a.length)]!;
  const chatter = loadChatter();
  /** X conversations in which a customer complained after emailing (thanks, praise and questions excluded). */
  const escalations: { x_user_id: string; conversation_id: string; unanswered: boolean }[] = [];
  const STILL_UNHAPPY = [
    'your reply did not help, my PRODUCT is still broken.',
    'you answered my email a week ago and still no refund for the PRODUCT.',
    'got an email saying my PRODUCT was sorted. It is not.',
    'still no replacement PRODUCT after your email. Not happy.',
    'the support email told me to wait. I waited. PRODUCT still missing, this is a joke',
  ];
  const COMPLAINTS = [
    'three weeks and my PRODUCT is still not here. Unacceptable.',
    'really disappointed with how my PRODUCT order was handled',
    'thanks for nothing, my PRODUCT never showed up',
    "if my PRODUCT isn't sorted by Friday I'm filing a chargeback",
    'worst customer service ever, PRODUCT broken twice',
    'PRODUCT arrived damaged and I cannot get anyone to respond',
  ];
  const THANKS = [
    'thanks for sorting out my PRODUCT!',
    'finally got a reply about my PRODUCT, thank you',
    'new PRODUCT arrived today, great service',
    'cheers for the quick help with my PRODUCT',
    'love the replacement PRODUCT, thanks team',
  ];
  const QUESTIONS = ['do you sell spare parts for the PRODUCT?', 'what are your opening hours this weekend?', 'is the PRODUCT available in green?', 'do you ship to Ireland?'];
  const ESC = ['emailed you twice about my PRODUCT and nothing.', 'still waiting on my PRODUCT, no reply to my email.', 'PRODUCT problem, nobody answers email.', 'my PRODUCT broke. Any update?'];
  for (const c of customers) {
    if (r() >= 0.4) continue;
    const f = ascii(c.first);
    const l = ascii(c.last);
    const ns = r();
    const name =
      ns < 0.4
        ? `${c.first} ${c.last}`
        : ns < 0.5 && c.nick
          ? `${c.nick} ${c.last}`
          : ns < 0.65
            ? `${c.first[0]}. ${c.last}`
            : ns < 0.8
              ? `${c.first} ${pick(['✨', '🌻', ''])}`.trim()
              : pick(['Trail Runner', 'coffee person', 'Night Owl']);
    const hs = r();
    const handle = hs < 0.35 ? `${f}${l}` : hs < 0.55 ? `${f[0]}${l}` : hs < 0.65 ? `${l}${f[0]}` : `${pick(WORDS)}_${pick(ANIMALS)}${Math.floor(r() * 9000)}`;
    const bio = c.ownDomain && r() < 0.6 ? `Owner at ${c.ownDomain}` : r() < 0.05 ? `contact: ${c.address}` : '';
    const u = newUser(name, handle, bio);
    truth.push({ x_user_id: u.id, username: u.username, emails: [c.address] });
    const last = c.mails[c.mails.length - 1]!;
    const at = last.at + Math.floor((0.5 + r() * 6) * DAY);
    const k = r();
    if (k < 0.12) post(u, `My email on the account is ${c.address}`, at, true);
    else if (k < 0.25) post(u, `Here are my details: ${c.first} ${c.last}, ${pick(o.refVariants(last.ref))}`, at, true);
    if (r() < 0.3) {
      const conv = post(u, `${pick(o.refVariants(last.ref))} ${pick(['still not sorted', 'is the wrong size', 'never arrived'])}. Help?`, at + DAY);
      escalations.push({ x_user_id: u.id, conversation_id: conv, unanswered: !last.answered });
    }
    const esc = pick(ESC);
    const product = r() < 0.75 ? last.product : pick(o.products);
    // 75% complain (after an answer: mostly still unhappy), 15% thank or praise, 10% ask a plain question.
    const say = r2();
    if (say < 0.75) {
      const text = last.answered ? (r2() < 0.7 ? pick2(STILL_UNHAPPY) : pick2(COMPLAINTS)) : r2() < 0.6 ? esc : pick2(COMPLAINTS);
      escalations.push({ x_user_id: u.id, conversation_id: post(u, text.replace('PRODUCT', product), at + 2 * DAY), unanswered: !last.answered });
    } else post(u, pick2(say < 0.9 ? THANKS : QUESTIONS).replace('PRODUCT', product), at + 2 * DAY);
  }
  const linkable = truth.length;
  const nStrangers = Math.round(linkable * 1.5);
  for (let i = 0; i < nStrangers; i++) {
    const kind = r();
    let u: XUser;
    if (kind < 0.15) {
      // A namesake of a customer, posting about anything at any time.
      const c = pick(customers);
      u = newUser(`${c.first} ${c.last}`, `${pick(WORDS)}${ascii(c.last)}${Math.floor(r() * 99)}`);
      post(
        u,
        pick(['great sale this week', `do you ship to ${pick(['Ireland', 'Canada', 'Peru'])}?`, `my ${pick(o.products)} broke. Emailed you yesterday, nothing yet.`]),
        T0 + Math.floor(r() * 130 * DAY),
      );
    } else if (kind < 0.22) {
      // A spouse or relative: same surname (and maybe the family domain), different given name.
      const c = pick(customers.filter((x) => x.ownDomain).concat(customers.slice(0, 3)));
      const [other] = pick(FIRSTS.filter(([x]) => !firstNamesCompatible(ascii(x), ascii(c.first))));
      u = newUser(`${other} ${c.last}`, `${ascii(other)}${ascii(c.last)}`, c.ownDomain ? `Farmer at ${c.ownDomain}` : '');
      post(u, `love my new ${pick(o.products)}`, T0 + Math.floor(r() * 130 * DAY));
    } else if (kind < 0.3) {
      // Quotes a reference that is not in the mailbox.
      u = newUser(`${pick(FIRSTS)[0]} ${pick(LASTS)}`, `${pick(WORDS)}${pick(ANIMALS)}${Math.floor(r() * 9000)}`);
      post(u, `${o.ref(90_000 + Math.floor(r() * 9000))} never arrived`, T0 + Math.floor(r() * 130 * DAY));
    } else {
      u = newUser(r() < 0.5 ? `${pick(FIRSTS)[0]} ${pick(LASTS)}` : `${pick(FIRSTS)[0]} ${pick(['✨', '🌻'])}`, `${pick(WORDS)}_${pick(ANIMALS)}${Math.floor(r() * 9000)}`);
      const text = pick(['Just got my PRODUCT, love it', 'why is it so hard to return my PRODUCT', 'emailed you about my PRODUCT, no reply']).replace('PRODUCT', pick(o.products));
      post(u, chatter.texts.length && r2() < 0.5 ? pick2(chatter.texts) : text, T0 + Math.floor(r() * 130 * DAY));
    }
    truth.push({ x_user_id: u.id, username: u.username, emails: [] });
  }
  // Each customer's mails and the business's answers are one thread.
  const mail = { email: `support@${o.business.domain}`, threads: customers.filter((c) => c.mails.length).length };
  writeXPagesAndTruth(dir, { business: o.business, users, tweets, dms, truth: { accounts: truth, escalations }, mail });
  return { accounts: truth.length, linkable };
}

/** The figures score-links.mjs computes, for `canary links --json` lines. */
export function scoreLinks(
  truth: { x_user_id: string; emails: string[] }[],
  rows: { x_user_id: string; linked: string | null; suggestions: { email: string }[] }[],
): { precision: number; recall: number; suggest_at_3: number; linked: number; correct: number; linkable: number } {
  const out = new Map(rows.map((x) => [x.x_user_id, x]));
  let linked = 0;
  let correct = 0;
  let linkable = 0;
  let hit = 0;
  for (const t of truth) {
    const emails = new Set(t.emails.map((e) => e.toLowerCase()));
    const row = out.get(t.x_user_id);
    if (emails.size) linkable++;
    if (!row) continue;
    const l = row.linked?.toLowerCase() ?? null;
    if (l) {
      linked++;
      if (emails.has(l)) correct++;
    }
    if (emails.size && [l, ...row.suggestions.slice(0, 3).map((s) => s.email.toLowerCase())].some((e) => e && emails.has(e))) hit++;
  }
  return { precision: linked ? correct / linked : 1, recall: linkable ? correct / linkable : 0, suggest_at_3: linkable ? hit / linkable : 0, linked, correct, linkable };
}
