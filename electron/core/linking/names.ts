// Person names: parsing display names ("Dr. Joseph Lopez", "Şahin, Joseph", "Liz W.", "M. Garcia 🌻"),
// reading names from mail (signature, sign-off, greeting) and matching names against X handles.
import { memoize } from './memo';
import { firstNamesCompatible, isKnownFirstName, nameGroups } from './nicknames';
import { foldAccents, stripEmoji } from './text';

/** A parsed person name, lowercase ASCII. Either part may be only an initial. */
export interface PersonName {
  first: string | null;
  last: string | null;
  firstInitial: string | null;
  lastInitial: string | null;
  raw: string;
  /** Where the name was written when it is not a display name ("a DM"). */
  where?: string;
}

const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'sir', 'dame', 'rev', 'fr', 'sra', 'herr', 'frau', 'mme', 'mlle']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'mba', 'cpa', 'rn']);
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'la', 'le', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'ten', 'ter', 'al', 'el', 'bin', 'ibn', 'mac', 'mc', 'st']);
/** Words that look like names in a display name but are not a person's. */
const NON_NAME = new Set([
  'support',
  'team',
  'info',
  'admin',
  'sales',
  'service',
  'services',
  'customer',
  'customers',
  'help',
  'helpdesk',
  'office',
  'noreply',
  'no',
  'reply',
  'the',
  'official',
  'shop',
  'store',
  'inc',
  'ltd',
  'llc',
  'gmbh',
  'co',
  'company',
  'and',
  'of',
  'hello',
  'hi',
  'contact',
  'billing',
  'accounts',
  'mail',
  'news',
  'newsletter',
  'bot',
  'outfitters',
]);

/**
 * Lowercase letters only (accents folded, apostrophes and hyphens dropped): "O'Brien" → "obrien".
 * Names in other scripts keep their letters ("Иванов" → "иванов", "王伟" stays).
 */
export function nameToken(s: string): string {
  const t = foldAccents(s)
    .toLowerCase()
    .replace(/['’`.-]/g, '');
  const ascii = t.replace(/[^a-z]/g, '');
  return ascii.length || !NON_LATIN.test(t) ? ascii : t.replace(/[^\p{L}]/gu, '');
}

/** Letters of scripts other than Latin (Cyrillic, Greek, Arabic, Hebrew, CJK, Hangul, Thai, Devanagari…). */
const NON_LATIN = /(?!\p{Script=Latin})\p{L}/u;
/** Scripts written without initials, where a one-character token is a whole name part. */
const CJK = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]+$/u;

const parsedNames = new Map<string, PersonName | null>();

/** Parse a display name; null when it is not a person's name (an address, a company, empty). Memoized. */
export function parsePersonName(raw: string): PersonName | null {
  const hit = parsedNames.get(raw);
  if (hit !== undefined) return hit ? { ...hit } : null;
  const p = parsePersonNameUncached(raw);
  if (parsedNames.size > 50_000) parsedNames.clear();
  parsedNames.set(raw, p ? { ...p } : null);
  return p;
}

function parsePersonNameUncached(raw: string): PersonName | null {
  if (!raw || raw.includes('@') || /\d{3,}/.test(raw)) return null;
  let s = stripEmoji(raw)
    .replace(/\(.*?\)|\[.*?\]|".*?"/g, ' ')
    .replace(/[|•·/]+.*$/, ' ')
    .trim();
  if (!s) return null;
  // Initials alone ("S.R.", "HL"): two capitals, as people sign and name themselves on X.
  const initials = /^([A-Z])\.?\s?([A-Z])\.?$/.exec(s);
  if (initials) return { first: null, last: null, firstInitial: initials[1]!.toLowerCase(), lastInitial: initials[2]!.toLowerCase(), raw };
  let lastFirst = false;
  const comma = s.split(',');
  if (comma.length === 2) {
    const after = comma[1]!.trim();
    const afterToken = nameToken(after);
    if (after && !SUFFIXES.has(afterToken)) {
      s = `${after} ${comma[0]!.trim()}`;
      lastFirst = true;
    } else s = comma[0]!;
  } else if (comma.length > 2) s = comma[0]!;
  const words = s
    .split(/\s+/)
    .map((w) => w.trim())
    .filter(Boolean);
  const tokens: { t: string; initial: boolean }[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = nameToken(w);
    if (!t) continue;
    if (tokens.length === 0 && TITLES.has(t) && words.length > 1 && (w.endsWith('.') || t.length > 1)) continue;
    if (SUFFIXES.has(t) && tokens.length > 0) continue;
    const initial = !CJK.test(t) && (t.length === 1 || /^[A-Za-z]\.$/.test(w) || /^([A-Za-z]\.){2,}$/.test(w));
    tokens.push({ t: initial ? t[0]! : t, initial });
  }
  if (!tokens.length) return null;
  // Chinese, Japanese and Korean names put the family name first, often without a space ("王小明").
  if (tokens.every((x) => CJK.test(x.t)) && tokens.length <= 2) {
    const chars = Array.from(tokens.map((x) => x.t).join(''));
    if (chars.length < 2 || chars.length > 4) return null;
    const family = tokens.length === 2 && !lastFirst ? tokens[0]!.t : tokens.length === 2 ? tokens[1]!.t : chars[0]!;
    const given = tokens.length === 2 && !lastFirst ? tokens[1]!.t : tokens.length === 2 ? tokens[0]!.t : chars.slice(1).join('');
    return { first: given, last: family, firstInitial: Array.from(given)[0]!, lastInitial: Array.from(family)[0]!, raw };
  }
  if (tokens.every((x) => NON_NAME.has(x.t))) return null;
  if (tokens.some((x) => NON_NAME.has(x.t)) && tokens.length > 2) return null;
  if (tokens.length > 5) return null;
  const name: PersonName = { first: null, last: null, firstInitial: null, lastInitial: null, raw };
  const f = tokens[0]!;
  if (tokens.length === 1) {
    if (f.initial) return null;
    name.first = f.t;
    name.firstInitial = f.t[0]!;
    return name;
  }
  // Last name: the final token, with particles before it joined ("van der Berg" → "vanderberg").
  let li = tokens.length - 1;
  const l = tokens[li]!;
  let last = l.t;
  while (li - 1 >= 1 && PARTICLES.has(tokens[li - 1]!.t)) {
    last = tokens[li - 1]!.t + last;
    li--;
  }
  if (f.initial) name.firstInitial = f.t[0]!;
  else {
    name.first = f.t;
    name.firstInitial = f.t[0]!;
  }
  if (l.initial && !lastFirst) name.lastInitial = l.t[0]!;
  else {
    name.last = last;
    name.lastInitial = last[0]!;
  }
  if (!name.first && !name.last) return null;
  return name;
}

export function formatName(n: { first: string | null; last: string | null; firstInitial?: string | null; lastInitial?: string | null }): string {
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const f = n.first ? cap(n.first) : n.firstInitial ? `${n.firstInitial.toUpperCase()}.` : '';
  const l = n.last ? cap(n.last) : n.lastInitial ? `${n.lastInitial.toUpperCase()}.` : '';
  return [f, l].filter(Boolean).join(' ');
}

const SIGN_OFF =
  /^(thanks|thank you|thanks again|many thanks|thx|ta|cheers|best|best wishes|best regards|regards|kind regards|warm regards|warmly|sincerely|yours|yours truly|all the best|br|love|danke|gracias|merci|grazie|saludos|groetjes|mvh|pozdrawiam|tack)[,.!]*$/i;
const COMMON_WORDS = new Set([
  'thanks',
  'thank',
  'cheers',
  'best',
  'regards',
  'hello',
  'hi',
  'hey',
  'please',
  'help',
  'sent',
  'from',
  'my',
  'iphone',
  'android',
  'ok',
  'okay',
  'yes',
  'no',
  'sorry',
  'urgent',
  'any',
  'update',
  'still',
  'waiting',
  'again',
]);

function singleNameLine(line: string): string | null {
  const l = stripEmoji(line)
    .trim()
    .replace(/[,.!]+$/, '');
  if (!l || l.length > 40 || /[\d@:/]/.test(l)) return null;
  const words = l.split(/\s+/);
  if (words.length > 3) return null;
  if (!words.every((w) => /^\p{Lu}[\p{L}'’-]*\.?$/u.test(w) || /^\p{Lu}+$/u.test(w))) return null;
  if (words.some((w) => COMMON_WORDS.has(nameToken(w)))) return null;
  return l;
}

/**
 * Names a customer gives in a mail they wrote: the signature's name line (full name) and the
 * name after a sign-off ("Thanks,\nDrew"), which is often a nickname.
 */
export function namesFromOwnMail(text: string, signature: string): { full: PersonName[]; firsts: string[] } {
  const full: PersonName[] = [];
  const firsts: string[] = [];
  for (const line of signature.split('\n').slice(0, 4)) {
    const n = singleNameLine(line);
    if (!n) continue;
    const p = parsePersonName(n);
    if (p && p.first && p.last) {
      full.push(p);
      break;
    }
  }
  const lines = text
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
  for (let i = 0; i < lines.length; i++) {
    if (SIGN_OFF.test(lines[i]!) && i + 1 < lines.length) {
      const n = singleNameLine(lines[i + 1]!);
      if (n) {
        const p = parsePersonName(n);
        if (p?.first) firsts.push(p.first);
        if (p?.first && p.last) full.push(p);
      }
    }
  }
  // A closing line that is just a name: "Hello??\n\nMateo"
  const lastLine = lines[lines.length - 1];
  if (lastLine && lines.length > 1) {
    const n = singleNameLine(lastLine);
    if (n && n.split(/\s+/).length === 1) {
      const p = parsePersonName(n);
      if (p?.first && !firsts.includes(p.first)) firsts.push(p.first);
    }
  }
  return { full, firsts };
}

/** The name a business reply greets the customer with: "Hi Elizabeth," → "elizabeth". */
export function greetingName(text: string): string | null {
  const m = /^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|hola|bonjour|ciao)\s+([\p{L}'’-]{2,20})\s*[,!.:]/imu.exec(text);
  if (!m) return null;
  const t = nameToken(m[1]!);
  if (!t || COMMON_WORDS.has(t) || NON_NAME.has(t) || t === 'there' || t === 'all' || t === 'everyone' || t === 'folks') return null;
  return t;
}

type HandleCore = Readonly<{ core: string; digits: string; raw: string }>;

/** The alphabetic core of a handle or local part: separators and trailing digits removed. Memoized (shared: not to be changed). */
export const handleCore: (handle: string) => HandleCore = memoize((handle: string) => Object.freeze(handleCoreUncached(handle)));

function handleCoreUncached(handle: string): { core: string; digits: string; raw: string } {
  const raw = foldAccents(handle).toLowerCase().replace(/^@/, '');
  let s = raw.replace(/[._\-+]/g, '');
  const dm = /(\d+)$/.exec(s);
  const digits = dm ? dm[1]! : '';
  s = s.replace(/\d+$/, '');
  return { core: s.replace(/[^a-z0-9]/g, ''), digits, raw: raw.replace(/[^a-z0-9]/g, '') };
}

/** The longest handle X allows: a longer name spelled out is cut there ("lakshmichowdhur"). */
export const HANDLE_MAX = 15;

/**
 * The letters of a person's name spelled as a handle and cut at X's 15 characters, for the names
 * too long to fit (the key a cut handle is looked up by): "lakshmichowdhury" → "lakshmichowdhur",
 * "lakshmi_chowdhury" → "lakshmichowdhu".
 */
export function cutHandleKeys(first: string, last: string): string[] {
  const out = new Set<string>();
  for (const spelled of [first + last, last + first, `${first}_${last}`, `${last}_${first}`]) {
    if (spelled.length > HANDLE_MAX) out.add(spelled.slice(0, HANDLE_MAX).replace(/[^a-z]/g, ''));
  }
  return [...out];
}

/** A handle's cut key (cutHandleKeys), when it is as long as X allows; null otherwise. */
export function cutHandleKey(handle: string): string | null {
  const h = foldAccents(handle).toLowerCase().replace(/^@/, '');
  return h.length === HANDLE_MAX ? h.replace(/[^a-z]/g, '') : null;
}

const HANDLE_PREFIXES = ['the', 'real', 'its', 'iam', 'im', 'official', 'hey', 'mr', 'mrs', 'ms', 'dr', 'just'];

/** Cores to compare for a handle: as written, and without a decorative prefix ("theemilyscott"). Memoized (shared: not to be changed). */
export const handleVariants: (handle: string) => readonly string[] = memoize((handle: string) => Object.freeze(handleVariantsUncached(handle)));

function handleVariantsUncached(handle: string): string[] {
  const { core } = handleCore(handle);
  const out = [core];
  for (const p of HANDLE_PREFIXES) {
    if (core.startsWith(p) && core.length - p.length >= 4) out.push(core.slice(p.length));
  }
  return [...new Set(out.filter(Boolean))];
}

export type HandleNameLevel = 'full' | 'initial-last' | 'first-lastinitial' | 'last' | 'first';

export interface HandleNameMatch {
  level: HandleNameLevel;
  first: string | null;
  last: string | null;
  pattern: string;
}

/**
 * How an X handle spells a person's name: "kmoore" = initial + surname of Kevin Moore, "fischerj",
 * "lisa_rossi", "thedanielwhite", "margaretrodrigu" (cut at X's 15 characters). Returns the best level.
 */
export function matchHandleToName(handle: string, firsts: string[], lasts: string[]): HandleNameMatch | null {
  const variants = handleVariants(handle);
  const truncated = handleCore(handle).raw.length >= 15;
  // Given names and their canonical forms, those a name of the customer's fits (in firstForms' order).
  const firstForms = new Set<string>();
  for (const f of firsts) {
    firstForms.add(f);
    for (const g of nameGroups(f)) firstForms.add(g);
  }
  const fits: string[] = [];
  for (const f of firstForms) if (firstNamesCompatibleLoose(f, firsts)) fits.push(f);
  // Nicknames of the canonical forms too ("bill" for william).
  let best: HandleNameMatch | null = null;
  for (const core of variants) {
    for (const l of lasts) {
      if (l.length < 2) continue;
      for (const f of fits) {
        if (spells(core, f + l, truncated) || spells(core, l + f, truncated)) best = better(best, { level: 'full', first: f, last: l, pattern: core });
        if (spells(core, f[0]! + l, truncated) || spells(core, l + f[0]!, truncated)) best = better(best, { level: 'initial-last', first: f, last: l, pattern: core });
        if (f.length >= 3 && (spells(core, f + l[0]!, truncated) || spells(core, l[0]! + f, truncated))) best = better(best, { level: 'first-lastinitial', first: f, last: l, pattern: core });
      }
      if (l.length >= 4 && core === l) best = better(best, { level: 'last', first: null, last: l, pattern: core });
    }
    for (const f of fits) {
      if (f.length >= 4 && core === f) best = better(best, { level: 'first', first: f, last: null, pattern: core });
    }
  }
  return best;
}

const HANDLE_LEVEL_RANK: Record<HandleNameLevel, number> = { full: 5, 'initial-last': 4, 'first-lastinitial': 3, last: 2, first: 1 };

/** The better of two handle readings: a higher level; the first found on a tie. */
function better(best: HandleNameMatch | null, m: HandleNameMatch): HandleNameMatch {
  return !best || HANDLE_LEVEL_RANK[m.level] > HANDLE_LEVEL_RANK[best.level] ? m : best;
}

/** Whether a handle's core spells a pattern: the same, or its start when X cut the handle at 15 characters. */
function spells(core: string, pattern: string, truncated: boolean): boolean {
  return core === pattern || (truncated && pattern.length > core.length && core.length >= 6 && pattern.startsWith(core));
}

function firstNamesCompatibleLoose(f: string, firsts: string[]): boolean {
  return firsts.some((x) => firstNamesCompatible(x, f));
}

/**
 * A plausible (first, last) split of an email local part or handle: "kevin.moore" → kevin + moore,
 * "johnfischer35" → john + fischer (when "john" is a known given name).
 */
export function splitLocalPart(local: string): { first: string; last: string } | null {
  const raw = foldAccents(local).toLowerCase().replace(/\d+/g, ' ');
  const parts = raw.split(/[._\-+\s]+/).filter((p) => /^[a-z]{2,}$/.test(p));
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    if (isKnownFirstName(b) && !isKnownFirstName(a)) return { first: b, last: a };
    return { first: a, last: b };
  }
  if (parts.length === 1) {
    const p = parts[0]!;
    for (let i = Math.min(p.length - 3, 10); i >= 3; i--) {
      const f = p.slice(0, i);
      if (isKnownFirstName(f)) return { first: f, last: p.slice(i) };
    }
  }
  return null;
}
