// What linking knows about each side, built by pure functions from stored rows:
// an email customer's profile (addresses, names, references, handles, domains, timing) and an
// X identity's features (names, handle, emails/references/domains it wrote, escalation wording).
import { emailDomain, escalationPhrase, extractDomains, extractEmails, extractHandles, isFreeMailDomain, mailClaims, statedNames, type MailClaim, registrableDomain, topicWords } from './extract';
import { cutHandleKeys, greetingName, handleCore, nameToken, namesFromOwnMail, parsePersonName, splitLocalPart, type PersonName } from './names';
import { latinReadings } from './latin';
import { nameGroups } from './nicknames';
import { extractLastFours, extractRefs, lastFourOf } from './refs';
import { quote, splitSignature, stripQuoted } from './text';
import { readPost } from './complaint';
import { storyKeys } from './story';
import { cjkSurnameSpellings } from './cjk-surnames';

export interface MailInput {
  id: number;
  conversationId: number;
  direction: 'in' | 'out';
  /** Written by one of this customer's own addresses. */
  own: boolean;
  authorAddress: string;
  authorName: string;
  subject: string;
  body: string;
  sentAt: number;
}

export interface ThreadInput {
  id: number;
  subject: string;
  status: string;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
}

export interface CustomerInput {
  customerId: number;
  identities: { address: string; displayName: string; names: string[] }[];
  messages: MailInput[];
  /** The customer's email threads (not needed for scoring). */
  threads?: ThreadInput[];
  /** The business's own mail domains (never a customer's "own" domain). */
  selfDomains?: Set<string>;
}

/** Where a piece of customer-side evidence was seen, for sentences a person can check. */
export interface MailSpot {
  subject: string;
  from: string;
  at: number;
}

export interface CustomerProfile {
  customerId: number;
  emails: string[];
  primaryEmail: string;
  /** Full names seen (display names, signatures), lowercase tokens. */
  fullNames: { first: string; last: string; raw: string }[];
  /** Given names seen: display names, sign-offs ("Drew"), the business's greetings ("Hi Andrew"). */
  firsts: string[];
  /** Surnames from display names and signatures (confident). */
  lasts: string[];
  /** Surnames guessed from the local part only ("kevin.moore"). */
  weakLasts: string[];
  /** A display name to show. */
  label: string;
  locals: { address: string; raw: string; core: string; digits: string }[];
  domains: string[];
  handles: { handle: string; strong: boolean; line: string; spot: MailSpot }[];
  refs: { core: string; alt: string[]; display: string; spot: MailSpot }[];
  last4: { digits: string; display: string; spot: MailSpot }[];
  words: string[];
  /** Inbound mail times (ascending, the most recent 40). */
  inbound: { at: number; conversationId: number; subject: string }[];
  /** Outbound (business) reply times, ascending, the most recent 40. */
  outbound: number[];
  lastInboundAt: number | null;
}

const MAX_REFS = 80;
const MAX_WORDS = 24;
const MAX_TIMES = 40;

function pushUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

export function buildCustomerProfile(input: CustomerInput): CustomerProfile {
  const emails = input.identities.map((i) => i.address.toLowerCase());
  const fullNames: CustomerProfile['fullNames'] = [];
  const firsts: string[] = [];
  const lasts: string[] = [];
  const weakLasts: string[] = [];
  const addName = (p: PersonName | null) => {
    if (!p) return;
    if (p.first) pushUnique(firsts, p.first);
    if (p.last) pushUnique(lasts, p.last);
    if (p.first && p.last && !fullNames.some((f) => f.first === p.first && f.last === p.last)) {
      fullNames.push({ first: p.first, last: p.last, raw: p.raw });
    }
  };
  let label = '';
  for (const id of input.identities) {
    for (const n of [id.displayName, ...id.names]) {
      const p = parsePersonName(n);
      addName(p);
      // A name in Cyrillic is also known by its Latin spellings (X may show "Dmitry Sokolov").
      if (p) for (const l of latinReadings(p)) addName(l);
      if (!label && p?.first && p.last) label = n;
    }
  }
  const spotOf = (m: MailInput): MailSpot => ({ subject: m.subject, from: m.direction === 'in' ? m.authorAddress : 'the business', at: m.sentAt });
  const refs = new Map<string, CustomerProfile['refs'][number]>();
  const last4 = new Map<string, CustomerProfile['last4'][number]>();
  const handles = new Map<string, CustomerProfile['handles'][number]>();
  const wordCounts = new Map<string, number>();
  const inbound: CustomerProfile['inbound'] = [];
  const outbound: number[] = [];
  const sorted = [...input.messages].sort((a, b) => a.sentAt - b.sentAt || a.id - b.id);
  for (const m of sorted) {
    const written = stripQuoted(m.body);
    const { text, signature } = splitSignature(written);
    const spot = spotOf(m);
    // References: in the subject and what either side wrote in this customer's threads.
    for (const r of [...extractRefs(m.subject), ...extractRefs(written)]) {
      if (!refs.has(r.core) && refs.size < MAX_REFS) refs.set(r.core, { core: r.core, alt: r.alt, display: r.display, spot });
      const l4 = lastFourOf(r.core);
      if (l4 && !last4.has(l4)) last4.set(l4, { digits: l4, display: r.display, spot });
    }
    if (m.direction === 'in' && m.own) {
      inbound.push({ at: m.sentAt, conversationId: m.conversationId, subject: m.subject });
      for (const l of extractLastFours(written)) if (!last4.has(l.digits)) last4.set(l.digits, { digits: l.digits, display: l.display, spot });
      for (const h of extractHandles(text)) {
        const prev = handles.get(h.handle);
        if (!prev || (h.strong && !prev.strong)) handles.set(h.handle, { handle: h.handle, strong: h.strong, line: quote(h.line, 60), spot });
      }
      for (const h of extractHandles(signature, { inSignature: true })) {
        const prev = handles.get(h.handle);
        if (!prev || (h.strong && !prev.strong)) handles.set(h.handle, { handle: h.handle, strong: h.strong, line: quote(h.line, 60), spot });
      }
      const names = namesFromOwnMail(text, signature);
      for (const p of names.full) addName(p);
      for (const f of names.firsts) pushUnique(firsts, f);
      addName(parsePersonName(m.authorName));
      for (const w of topicWords(`${m.subject}\n${text}`)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    } else if (m.direction === 'out') {
      outbound.push(m.sentAt);
      const g = greetingName(text);
      if (g) pushUnique(firsts, g);
    }
  }
  if (!label) label = input.identities[0]?.displayName || emails[0] || '';
  const locals: CustomerProfile['locals'] = [];
  const domains: string[] = [];
  for (const e of emails) {
    const local = e.slice(0, e.lastIndexOf('@'));
    const hc = handleCore(local);
    locals.push({ address: e, raw: hc.raw, core: hc.core, digits: hc.digits });
    const split = splitLocalPart(local);
    const knownFirst = !!split && firsts.some((f) => nameGroups(f).some((g) => nameGroups(split.first).includes(g)));
    if (split && split.last.length >= 3) {
      if (knownFirst && !lasts.includes(split.last)) pushUnique(weakLasts, split.last);
      if (!firsts.length) pushUnique(firsts, split.first);
    }
    if (!knownFirst) {
      // A given name the mail signs with, run into the rest of the address ("abenaasante" signed
      // "Abena", which the name table splits as Abe): the rest is likely the surname.
      for (const f of firsts) {
        if (f.length < 3 || hc.core.length - f.length < 3) continue;
        const rest = hc.core.startsWith(f) ? hc.core.slice(f.length) : hc.core.endsWith(f) ? hc.core.slice(0, -f.length) : '';
        if (rest && /^[a-z]+$/.test(rest) && !lasts.includes(rest)) pushUnique(weakLasts, rest);
      }
    }
    const d = registrableDomain(emailDomain(e));
    if (!isFreeMailDomain(d) && !input.selfDomains?.has(d)) pushUnique(domains, d);
  }
  const words = [...wordCounts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_WORDS)
    .map(([w]) => w);
  const lastIn = inbound.length ? inbound[inbound.length - 1]!.at : null;
  return {
    customerId: input.customerId,
    emails,
    primaryEmail: primaryEmail(emails, input.messages),
    fullNames,
    firsts,
    lasts,
    weakLasts,
    label,
    locals,
    domains,
    handles: [...handles.values()],
    refs: [...refs.values()],
    last4: [...last4.values()],
    words,
    inbound: inbound.slice(-MAX_TIMES),
    outbound: outbound.slice(-MAX_TIMES),
    lastInboundAt: lastIn,
  };
}

function primaryEmail(emails: string[], messages: MailInput[]): string {
  if (emails.length <= 1) return emails[0] ?? '';
  const counts = new Map<string, number>();
  for (const m of messages) if (m.own) counts.set(m.authorAddress.toLowerCase(), (counts.get(m.authorAddress.toLowerCase()) ?? 0) + 1);
  return [...emails].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0]!;
}

/** The blocking keys of a customer profile: what an X identity can be looked up by. */
export function customerKeys(p: CustomerProfile): string[] {
  const keys = new Set<string>();
  for (const e of p.emails) keys.add(`e:${e}`);
  for (const h of p.handles) keys.add(`h:${h.handle}`);
  for (const r of p.refs) {
    keys.add(`r:${r.core}`);
    for (const a of r.alt) keys.add(`r:${a}`);
  }
  for (const l of p.last4) keys.add(`l4:${l.digits}`);
  for (const d of p.domains) keys.add(`d:${d}`);
  const allLasts = [...p.lasts, ...p.weakLasts];
  for (const f of p.firsts) for (const g of nameGroups(f)) keys.add(`fn:${g}`);
  for (const l of allLasts) {
    keys.add(`ln:${l}`);
    // A family name in Chinese, Korean or Japanese script is also looked up by its Latin spellings.
    for (const sp of cjkSurnameSpellings(l)) keys.add(`ln:${sp}`);
    for (const f of p.firsts) keys.add(`fi:${f[0]}|${l}`);
  }
  for (const fn of p.fullNames) for (const g of nameGroups(fn.first)) keys.add(`nm:${g}|${fn.last}`);
  for (const fn of p.fullNames) for (const k of cutHandleKeys(fn.first, fn.last)) keys.add(`ht:${k}`);
  for (const fn of p.fullNames) keys.add(`in:${fn.first[0]}${fn.last[0]}`);
  for (const l of p.locals) {
    if (l.raw.length >= 3) keys.add(`lp:${l.raw}`);
    if (l.core.length >= 3 && l.core !== l.raw) keys.add(`lp:${l.core}`);
  }
  for (const w of p.words) keys.add(`w:${w}`);
  for (const k of storyKeys(p)) keys.add(k);
  return [...keys];
}

// ---------------------------------------------------------------------------------------------
// X side

export interface XMessageInput {
  id: number;
  conversationId: number;
  kind: 'tweet' | 'dm';
  text: string;
  sentAt: number;
}

export interface XInput {
  identityId: number;
  xUserId: string;
  handle: string | null;
  displayName: string;
  names: string[];
  profile: { description?: string; url?: string; location?: string } | null;
  messages: XMessageInput[];
}

/** Where something was seen on X. */
export interface XSpot {
  where: 'tweet' | 'dm' | 'bio' | 'profile URL';
  text: string;
  at: number | null;
}

export interface XFeatures {
  identityId: number;
  xUserId: string;
  handle: string | null;
  displayName: string;
  names: PersonName[];
  emails: { address: string; spot: XSpot }[];
  refs: { core: string; alt: string[]; display: string; spot: XSpot }[];
  last4: { digits: string; display: string; spot: XSpot }[];
  domains: { domain: string; spot: XSpot }[];
  escalation: { phrase: string; spot: XSpot } | null;
  /** Checkable statements about earlier mail ("emailed you 3 times", "on Monday"), with the post's time. */
  claims: { claim: MailClaim; at: number; spot: XSpot }[];
  words: string[];
  /** Inbound X message times, ascending. */
  times: { at: number; kind: 'tweet' | 'dm'; conversationId: number; text: string }[];
  /** The posts that complain (readPost), with their time and topic words: what story keys look up. */
  complaints: { at: number; words: string[] }[];
}

/** The text of a tweet without the @mentions at its start. */
function tweetBody(t: string): string {
  return t.replace(/^(?:\s*@\w{1,15})+\s*/, '');
}

export function buildXFeatures(input: XInput): XFeatures {
  const names: PersonName[] = [];
  for (const n of [input.displayName, ...input.names]) {
    const p = parsePersonName(n);
    // A name in Cyrillic is also read in Latin letters (the mail may say "Dmitri Sokolov").
    for (const q of p ? [p, ...latinReadings(p)] : []) {
      if (!names.some((x) => x.first === q.first && x.last === q.last && x.firstInitial === q.firstInitial && x.lastInitial === q.lastInitial)) names.push(q);
    }
  }
  const emails = new Map<string, XFeatures['emails'][number]>();
  const refs = new Map<string, XFeatures['refs'][number]>();
  const last4 = new Map<string, XFeatures['last4'][number]>();
  const domains = new Map<string, XFeatures['domains'][number]>();
  let escalation: XFeatures['escalation'] = null;
  const claims: XFeatures['claims'] = [];
  const words = new Set<string>();
  const texts: { text: string; spot: XSpot; topic: string[] }[] = [];
  const bio = input.profile?.description ?? '';
  if (bio) texts.push({ text: bio, spot: { where: 'bio', text: quote(bio), at: null }, topic: [] });
  const msgs = [...input.messages].sort((a, b) => a.sentAt - b.sentAt || a.id - b.id);
  // Each post's body (without the @mentions it starts with) and topic words, read once.
  const posts = msgs.map((m) => {
    const body = tweetBody(m.text);
    return { m, body, quoted: quote(body), topic: topicWords(body) };
  });
  for (const p of posts) texts.push({ text: p.m.text, spot: { where: p.m.kind, text: p.quoted, at: p.m.sentAt }, topic: p.topic });
  for (const { text, spot, topic } of texts) {
    for (const e of extractEmails(text)) if (!emails.has(e)) emails.set(e, { address: e, spot });
    for (const r of extractRefs(text, { loose: true })) if (!refs.has(r.core)) refs.set(r.core, { core: r.core, alt: r.alt, display: r.display, spot });
    for (const l of extractLastFours(text)) if (!last4.has(l.digits)) last4.set(l.digits, { digits: l.digits, display: l.display, spot });
    for (const d of extractDomains(text)) if (!domains.has(d)) domains.set(d, { domain: d, spot });
    if (spot.where !== 'bio') {
      const ph = escalationPhrase(text);
      if (ph && !escalation) escalation = { phrase: ph, spot };
      for (const claim of mailClaims(text)) if (spot.at !== null && claims.length < 20) claims.push({ claim, at: spot.at, spot });
      for (const n of statedNames(text)) {
        const p = parsePersonName(n);
        if (p && p.first && p.last && !names.some((x) => x.first === p.first && x.last === p.last)) names.push({ ...p, where: spot.where === 'dm' ? 'a DM' : 'a tweet' });
      }
      for (const w of topic) words.add(w);
    }
  }
  const url = input.profile?.url ?? '';
  if (url) for (const d of extractDomains(url)) if (!domains.has(d)) domains.set(d, { domain: d, spot: { where: 'profile URL', text: url, at: null } });
  return {
    identityId: input.identityId,
    xUserId: input.xUserId,
    handle: input.handle,
    displayName: input.displayName,
    names,
    emails: [...emails.values()],
    refs: [...refs.values()],
    last4: [...last4.values()],
    domains: [...domains.values()],
    escalation,
    claims,
    words: [...words],
    times: posts.map((p) => ({ at: p.m.sentAt, kind: p.m.kind, conversationId: p.m.conversationId, text: p.quoted })),
    complaints: posts.filter((p) => readPost(p.body).kind === 'complaint').map((p) => ({ at: p.m.sentAt, words: [...p.topic] })),
  };
}

/**
 * The keys to look an X identity up by. Name keys come from the display name; handle-derived name
 * keys are added by the caller (they need the mailbox's known names).
 */
export function xLookupKeys(x: XFeatures): string[] {
  const keys = new Set<string>();
  for (const e of x.emails) keys.add(`e:${e.address}`);
  if (x.handle) keys.add(`h:${x.handle.toLowerCase()}`);
  for (const r of x.refs) {
    keys.add(`r:${r.core}`);
    for (const a of r.alt) keys.add(`r:${a}`);
  }
  for (const l of x.last4) keys.add(`l4:${l.digits}`);
  for (const d of x.domains) keys.add(`d:${d.domain}`);
  for (const n of x.names) {
    if (n.first && n.last) for (const g of nameGroups(n.first)) keys.add(`nm:${g}|${n.last}`);
    if (n.firstInitial && n.last) keys.add(`fi:${n.firstInitial}|${n.last}`);
    if (n.last) keys.add(`ln:${n.last}`);
    if (n.first) for (const g of nameGroups(n.first)) keys.add(`fn:${g}`);
    if (!n.first && !n.last && n.firstInitial && n.lastInitial) keys.add(`in:${n.firstInitial}${n.lastInitial}`);
    for (const sp of cjkFamilySpellings(n)) keys.add(`ln:${sp}`);
  }
  if (x.handle) {
    const hc = handleCore(x.handle);
    if (hc.raw.length >= 3) keys.add(`lp:${hc.raw}`);
    if (hc.core.length >= 3) keys.add(`lp:${hc.core}`);
  }
  return [...keys];
}

/** Alphabetic substrings of a handle that could be a surname or given name ("kmoore" → "moore"). */
export function handleNameCandidates(handle: string): string[] {
  const { core } = handleCore(handle);
  const out = new Set<string>();
  const s = core.replace(/[^a-z]/g, '');
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 3; j <= s.length && j - i <= 20; j++) out.add(s.slice(i, j));
  }
  return [...out];
}

export { nameToken };

/** The Latin spellings of an X name's family name in CJK or Hangul script ("田中太郎": 田中, read as 田 + 中太郎). */
function cjkFamilySpellings(n: PersonName): string[] {
  if (!n.last) return [];
  const firstChar = n.first ? Array.from(n.first)[0] : undefined;
  return [...cjkSurnameSpellings(n.last), ...(firstChar ? cjkSurnameSpellings(n.last + firstChar) : [])];
}
