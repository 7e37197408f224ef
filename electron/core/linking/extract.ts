// Evidence extraction from text: email addresses, X handles and profile URLs, web domains,
// escalation wording and topic words. Pure functions.
import { foldAccents } from './text';

const EMAIL = /(?<![\w.+-])[A-Za-z0-9][\w.+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+/g;

/** "jane.doe [at] gmail [dot] com", "jane.doe(at)gmail.com", "jane.doe at gmail dot com". */
const OBFUSCATED =
  /(?<![\w.+-])([A-Za-z0-9][\w.+-]{0,63}?)\s*(\[at\]|\(at\)|\{at\}|\s+at\s+)\s*([A-Za-z0-9-]{1,63}(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+|\.)\s*[A-Za-z0-9-]{1,63}){1,3})(?![\w-])/gi;
const DOT = /\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+|\.)\s*/gi;

/** Email addresses written in a text, lowercase; also written out to dodge scrapers. */
export function extractEmails(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(EMAIL)) {
    const a = m[0].replace(/[.-]+$/, '').toLowerCase();
    if (/\.[a-z]{2,}$/.test(a)) out.add(a);
  }
  if (/\bat\b/i.test(text)) {
    for (const m of text.matchAll(OBFUSCATED)) {
      const bracketed = m[2]!.trim() !== 'at';
      const spelledDot = /dot/i.test(m[3]!);
      const domain = m[3]!.replace(DOT, '.').toLowerCase();
      if (!/\.[a-z]{2,}$/.test(domain)) continue;
      // A bare " at " is an address only with a spelled-out dot or a mail provider's domain
      // ("Owner at obriendesign.com" is a job, not an address).
      if (!bracketed && !spelledDot && !isFreeMailDomain(domain)) continue;
      out.add(`${m[1]!.toLowerCase()}@${domain}`);
    }
  }
  return [...out];
}

const RESERVED_PATHS = new Set(['intent', 'home', 'share', 'i', 'search', 'hashtag', 'explore', 'settings', 'messages', 'notifications', 'login', 'signup', 'tos', 'privacy', 'status', 'compose']);

export interface HandleMention {
  handle: string;
  /** A profile URL, or an @handle with "twitter"/"x"/"follow"/"tweet" cue on its line or in a signature. */
  strong: boolean;
  line: string;
}

/** X handles written in a text: twitter.com/name, x.com/name, "@name" (not an email address). */
export function extractHandles(text: string, opts: { inSignature?: boolean } = {}): HandleMention[] {
  if (!text.includes('@') && !/(?:twitter|x)\.com\//i.test(text)) return [];
  const out = new Map<string, HandleMention>();
  const add = (h: string, strong: boolean, line: string) => {
    const handle = h.toLowerCase();
    const prev = out.get(handle);
    if (!prev || (strong && !prev.strong)) out.set(handle, { handle, strong, line: line.trim() });
  };
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(/\b(?:(?:www\.|mobile\.)?(?:twitter|x)\.com)\/@?([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])/gi)) {
      if (!RESERVED_PATHS.has(m[1]!.toLowerCase())) add(m[1]!, true, line);
    }
    const cue = /\b(twitter|tweet|x\.com|on x|follow|dm me|x:|handle)\b/i.test(line);
    for (const m of line.matchAll(/(?<![\w.@/+-])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_]|\.[A-Za-z]{2,})/g)) {
      add(m[1]!, cue || !!opts.inSignature, line);
    }
  }
  return [...out.values()];
}

const FREE_MAIL = new Set(
  `gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es yahoo.it yahoo.ca yahoo.com.au yahoo.co.in yahoo.co.jp
  ymail.com rocketmail.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.es hotmail.it outlook.com outlook.de outlook.fr
  outlook.es live.com live.co.uk live.fr live.de msn.com passport.com icloud.com me.com mac.com aol.com aim.com proton.me
  protonmail.com protonmail.ch pm.me gmx.de gmx.net gmx.com gmx.at gmx.ch gmx.fr web.de t-online.de freenet.de posteo.de
  mailbox.org fastmail.com fastmail.fm fastmail.net hey.com mail.com email.com usa.com zoho.com zohomail.com yandex.com yandex.ru
  ya.ru mail.ru bk.ru inbox.ru list.ru rambler.ru tutanota.com tutanota.de tuta.io qq.com 163.com 126.com sina.com naver.com
  daum.net hanmail.net orange.fr wanadoo.fr free.fr laposte.net sfr.fr libero.it virgilio.it tiscali.it alice.it btinternet.com
  sky.com virginmedia.com talktalk.net ntlworld.com comcast.net verizon.net att.net sbcglobal.net bellsouth.net cox.net
  charter.net earthlink.net shaw.ca rogers.com sympatico.ca bigpond.com optusnet.com.au seznam.cz wp.pl o2.pl interia.pl onet.pl
  telenet.be skynet.be ziggo.nl kpnmail.nl xs4all.nl home.nl bluewin.ch hushmail.com lavabit.com gmx.co.uk example.com
  duck.com mailfence.com rediffmail.com uol.com.br bol.com.br terra.com.br`.split(/\s+/),
);

/** Registrable part of a host: "www.shop.example.co.uk" → "example.co.uk". */
export function registrableDomain(host: string): string {
  const h = host
    .toLowerCase()
    .replace(/^www\d?\./, '')
    .replace(/\.$/, '');
  const parts = h.split('.');
  if (parts.length <= 2) return h;
  const sld = parts[parts.length - 2]!;
  const tld = parts[parts.length - 1]!;
  if (tld.length === 2 && /^(co|com|net|org|gov|ac|edu|ltd|plc|me|or|ne|go)$/.test(sld)) return parts.slice(-3).join('.');
  return parts.slice(-2).join('.');
}

export function isFreeMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (FREE_MAIL.has(d)) return true;
  return /^(yahoo|hotmail|outlook|live|gmx|aol|yandex|protonmail|icloud)\./.test(d);
}

/** The domain of an email address. */
export function emailDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

const SHORTENERS = new Set([
  't.co',
  'bit.ly',
  'tinyurl.com',
  'ow.ly',
  'buff.ly',
  'goo.gl',
  'lnkd.in',
  'linktr.ee',
  'instagram.com',
  'facebook.com',
  'linkedin.com',
  'youtube.com',
  'tiktok.com',
  'x.com',
  'twitter.com',
  'github.com',
  'medium.com',
  'substack.com',
  'etsy.com',
  'wordpress.com',
  'blogspot.com',
]);

/** Web domains named in a bio or profile URL ("Owner at obriendesign.com", "https://www.whitedesign.com/shop"). */
export function extractDomains(text: string): string[] {
  const out = new Set<string>();
  const s = foldAccents(text);
  for (const m of s.matchAll(/(?<![\w@.-])(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])/gi)) {
    const host = m[1]!.toLowerCase();
    if (/\.(png|jpe?g|gif|pdf|txt|html?)$/.test(host)) continue;
    const d = registrableDomain(host);
    if (!SHORTENERS.has(d) && d.includes('.')) out.add(d);
  }
  for (const e of extractEmails(text)) out.add(registrableDomain(emailDomain(e)));
  return [...out];
}

const ESCALATION: RegExp[] = [
  /\b(?:e-?mailed|wrote(?: to)?|messaged|contacted|called|reached out to)\s+(?:you(?:r (?:team|support))?|support)\b[^.!?\n]{0,60}?\b(?:(?:\d+|two|three|four|five|several|multiple|many)(?: times)?|twice|a few times|(?:a )?(?:week|month|days?)s? ago|on \w+day|yesterday|last week)\b/i,
  /\b(?:e-?mailed|wrote|messaged)\s+(?:you|support)?\s*(?:twice|three times|\d+ times|several times|multiple times)/i,
  /\bno (?:reply|response|answer|one (?:replies|answers|responds)|word back)\b/i,
  /\bnobody (?:answers|replies|responds|gets back)\b/i,
  /\b(?:still|been) waiting\b/i,
  /\bstill (?:nothing|no (?:reply|answer|response|word|refund|update|news)|not (?:fixed|resolved|sorted|refunded|heard|received|here|arrived|working))\b/i,
  /\b(?:haven'?t|have not|hasn'?t|has not|never|didn'?t|did not)\s+(?:heard|got(?:ten)?|received|had)\b[^.!?\n]{0,25}\b(?:back|reply|response|answer|word)\b/i,
  /\b(?:ignor(?:ed|ing)|ghost(?:ed|ing))\b[^.!?\n]{0,30}\b(?:e-?mails?|messages?|tickets?|me)\b/i,
  /\b(?:third|3rd|fourth|4th|fifth|5th|second|2nd) (?:time|e-?mail|attempt|message)\b/i,
  /\b(?:e-?mails?|tickets?|messages?)\b[^.!?\n]{0,30}\b(?:unanswered|ignored|went unanswered)\b/i,
  /\bday \d+ of waiting\b/i,
  /\bgo(?:ing)? public\b/i,
  /\b(?:and|but) nothing\b/i,
  /\bnothing yet\b/i,
  /\bany update\b/i,
];

/** The escalation phrase in a text ("emailed you 3 times", "no reply", "still waiting"), or null. */
export function escalationPhrase(text: string): string | null {
  for (const re of ESCALATION) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  return null;
}

/** Whether a tweet says its author wrote by email before ("emailed you", "nobody answers email"). */
export function mentionsEmail(text: string): boolean {
  return /\b(?:e-?mail(?:ed|s)?|inbox|ticket)\b/i.test(text);
}

/** The grammar of the stop list (pronouns, articles, auxiliaries), never half of a product's name. */
const FUNCTION_WORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below between both but by
  can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
  have haven't having he her here hers herself him himself his how i i'm if in into is isn't it it's its itself just let me more most
  my myself no nor not of off on once only or other ought our ours ourselves out over own same she should so some such than that the
  their theirs them themselves then there these they this those through to too under until up very was wasn't we were what when where
  which while who whom why will with won't would you your yours yourself yourselves still again since really very much many`.split(/\s+/),
);

/** Words no topic is made of: the grammar above and the words of any support mail. */
const STOP = new Set([
  ...FUNCTION_WORDS,
  ...`hello hi hey dear thanks thank cheers best regards kind please help sorry team support customer service still waiting any update
  order orders ordered item items reference ref number account ticket request issue problem question questions regarding about
  refund refunds return returned returns shipping shipped delivery delivered arrived arrive never tracking moved week weeks days
  today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday january february march april may june july
  august september october november december email emailed emails mail reply replied answer nothing nobody anyone someone
  again since sent send get got getting went going want wanted need needed like would could also just really very much many
  time times twice first second third last next new old good great bad terrible awful love loving hate happy unhappy
  sent iphone android photo picture attached attachment confirm address fixed fix broke broken damaged wrong size charged
  bought buy buying purchase purchased purchases store shop site website online app price paid payment pay card bank
  hope hoping soon asap urgent thing things something anything everything way well know think make made said says told
  going public apparently service terrible going happened happen what's whats really cannot
  one two three four five six seven eight nine ten`.split(/\s+/),
]);

/** Links, addresses, @handles and #tags: not words of a topic. */
const LINKS = /https?:\/\/\S+|\S+@\S+|[@#]\w+/g;
const TOPIC_WORD = /[a-z][a-z'-]{2,}[a-z]/g;

/**
 * A text with LINKS blanked out. Each of them needs "http", "@" or "#", looked for first: the
 * pattern's "\S+@" tries every word of a text that has none (most mail), at a cost (topicWords runs
 * on every inbound mail of a full re-link).
 */
function withoutLinks(s: string): string {
  return s.includes('@') || s.includes('#') || s.includes('http') ? s.replace(LINKS, ' ') : s;
}

/** Content words of a text (lowercase, ≥ 4 letters, not stopwords), for shared-topic evidence. */
export function topicWords(text: string): string[] {
  const out = new Set<string>();
  const folded = foldAccents(text);
  const s = withoutLinks(folded.toLowerCase());
  for (const m of s.match(TOPIC_WORD) ?? []) {
    let w = m.endsWith("'s") ? m.slice(0, -2) : m;
    if (w.length < 4 || STOP.has(w)) continue;
    if (w.endsWith('s') && !w.endsWith('ss') && w.length > 4) w = w.slice(0, -1);
    if (STOP.has(w)) continue;
    out.add(w);
  }
  for (const b of phrasesOf(folded)) out.add(b);
  return [...out];
}

/**
 * Two-word names ("SIM card", "smart meter", "delivery slot", "gift box"): adjacent words in one
 * clause, neither a function word, at least one a content word of four letters or an acronym in
 * capitals. They tell products apart that share a word ("gift card" and "SIM card") and name
 * those whose words are too common alone ("card").
 */
export function productPhrases(text: string): string[] {
  return phrasesOf(foldAccents(text));
}

/** A word or a clause's end (productPhrases: words are runs of letters, ' and -; other characters only part them). */
const PHRASE_TOKEN = /[A-Za-z'-]+|[.,;:!?()\n"]/g;

/** A word that counts as content in a two-word name: not a stopword, four letters or an acronym in capitals. */
function contentWord(word: string, lower: string): boolean {
  return !STOP.has(lower) && (lower.length >= 4 || /^[A-Z]{3}$/.test(word));
}

/** productPhrases of a text whose accents are folded: one pass over its words, in clauses. */
function phrasesOf(folded: string): string[] {
  const out: string[] = [];
  const s = withoutLinks(folded);
  let prev: string | null = null;
  let prevLower = '';
  for (const b of s.match(PHRASE_TOKEN) ?? []) {
    const c = b.charCodeAt(0);
    // A clause ends: the next word starts a new pair.
    if (b.length === 1 && !((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39 || c === 45)) {
      prev = null;
      continue;
    }
    const lower = b.toLowerCase();
    if (prev !== null) {
      const la = prevLower;
      const lb = lower.endsWith("'s") ? lower.slice(0, -2) : lower;
      if (la.length >= 3 && lb.length >= 3 && !FUNCTION_WORDS.has(la) && !FUNCTION_WORDS.has(lb) && (contentWord(prev, la) || contentWord(b, lb))) {
        out.push(`${la} ${lb.length > 4 && lb.endsWith('s') && !lb.endsWith('ss') ? lb.slice(0, -1) : lb}`);
      }
    }
    prev = b;
    prevLower = lower;
  }
  return out;
}

/** A checkable statement in a post about earlier mail: how often, or when, the author wrote. */
export interface MailClaim {
  /** The words as written. */
  phrase: string;
  /** "Emailed twice / 3 times": at least this many mails. */
  count?: number;
  /** The author says a mail was sent this long before the post, in ms (inclusive window). */
  window?: [number, number];
  /** "Emailed you on Monday": the weekday (0 = Sunday) of a mail in the week before the post. */
  weekday?: number;
  /** "Day 9 of waiting": how long the author has waited, counted from the mail or from the problem. */
  waiting?: true;
}

const H = 3_600_000;
const D = 24 * H;
const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twice: 2, a: 1, one: 1 };
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MAIL_VERB = String.raw`(?:e-?mailed|wrote(?:\s+to)?|messaged|contacted|reached\s+out\s+to|sent\s+(?:you\s+)?(?:an?\s+)?e-?mails?)`;

/**
 * Claims about earlier mail in a post: "emailed you 3 times", "emailed twice", "emailed you on Monday",
 * "emailed you yesterday", "a week ago", "5 days ago", "day 9 of waiting". Each can be checked
 * against the customer's actual mail.
 */
export function mailClaims(text: string): MailClaim[] {
  const out: MailClaim[] = [];
  const t = text.toLowerCase();
  const verb = new RegExp(`${MAIL_VERB}(?:\\s+(?:you|your\\s+(?:team|support)|support|u))?([^.!?\\n]{0,40})`, 'g');
  for (const m of t.matchAll(verb)) {
    const tail = m[1] ?? '';
    const head = m[0].slice(0, m[0].length - tail.length).trim();
    // The words of the claim as written: "emailed you twice", "emailed you … a week ago".
    const said = (c: RegExpExecArray) => `${head}${c.index > 1 ? ' …' : ''} ${c[0].trim()}`;
    let c = /^\s*(twice|\d+|two|three|four|five|six|seven|eight|nine|ten)(?:\s+times)?\b/.exec(tail) ?? /\b(twice|\d+|two|three|four|five|six|seven|eight|nine|ten)\s+times\b/.exec(tail);
    if (c) {
      const n = /^\d+$/.test(c[1]!) ? Number(c[1]) : NUMBER_WORDS[c[1]!];
      if (n && n >= 2 && n <= 20) out.push({ phrase: said(c), count: n });
    }
    c = /\byesterday\b/.exec(tail);
    if (c) out.push({ phrase: said(c), window: [3 * H, 60 * H] });
    c = /\b(?:on\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(tail);
    if (c) out.push({ phrase: said(c), weekday: WEEKDAYS.indexOf(c[1]!) });
    c = /\b(?:a|one|1)\s+week\s+ago\b|\blast\s+week\b/.exec(tail);
    if (c) out.push({ phrase: said(c), window: [4 * D, 11 * D] });
    c = /\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+ago\b/.exec(tail);
    if (c) {
      const n = /^\d+$/.test(c[1]!) ? Number(c[1]) : NUMBER_WORDS[c[1]!]!;
      out.push({ phrase: said(c), window: [Math.max(0, n - 1.5) * D, (n + 1.5) * D] });
    }
    c = /\b(?:two|2|a\s+couple\s+of)\s+weeks\s+ago\b/.exec(tail);
    if (c) out.push({ phrase: said(c), window: [10 * D, 19 * D] });
    c = /\bthis\s+morning\b|\btoday\b|\bearlier\b/.exec(tail);
    if (c) out.push({ phrase: said(c), window: [0, 16 * H] });
  }
  for (const m of t.matchAll(/\bday\s+(\d{1,3})\s+of\s+waiting\b|\bwaiting\s+(?:for\s+)?(\d{1,3})\s+days\b|\b(\d{1,3})\s+days\s+(?:and\s+)?(?:no|without)\s+(?:reply|answer|response)\b/g)) {
    const n = Number(m[1] ?? m[2] ?? m[3]);
    if (n >= 1 && n <= 120) out.push({ phrase: m[0], window: [Math.max(0, n - 2) * D, (n + 2) * D], waiting: true });
  }
  return out;
}

/**
 * A full name the author states in a post or DM: "my name is Jane Doe", "Here are my details:
 * Jane Doe, HP-1234", "this is Jane Doe", "name on the order is Jane Doe", "Name: Jane Doe, order 1234"
 * (the form support desks ask for in a DM).
 */
export function statedNames(text: string): string[] {
  const out: string[] = [];
  // (Words on one line: a DM's "Name: Jane Doe" line is followed by "Order: …" on the next.)
  const NAME = String.raw`(\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){1,2})`;
  const res = [
    new RegExp(String.raw`\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame on (?:the|my) (?:order|account) is|[Hh]ere are my details:?|[Mm]y details:?|[Dd]etails:|(?:[Ff]ull )?[Nn]ame:)\s*${NAME}`, 'gu'),
    new RegExp(String.raw`\b(?:[Tt]his is|I am|I'm|i'm)\s+${NAME}\s*(?:[,.;]|$|here|from)`, 'gu'),
  ];
  for (const re of res) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}
