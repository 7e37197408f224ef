// Reference numbers (order, account, ticket, subscription…) recognized in any written form:
// "HP-482913", "#HP482913", "482913", "482 913", "48-29-13", "ORD-1234-AB", "acct 7781-220",
// booking codes ("GC7DEN", six capitals after "booking reference"), and last-four mentions ("card
// ending in 4821"). Every form of one reference gets the same core key.

export interface RefMention {
  /** Canonical key: uppercase letters and digits, separators and a leading letter prefix removed. */
  core: string;
  /** Further keys the same reference may be written as (its long digit run alone). */
  alt: string[];
  /** As written. */
  display: string;
}

const MASKS: RegExp[] = [
  /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, // email addresses
  /\bhttps?:\/\/\S+/gi,
  /\bwww\.\S+/gi,
  /\b(?:x|twitter)\.com\/\S+/gi,
  /\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?\b/g, // ISO dates
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b/g, // 12/05/2026, 12.05.26
  /\b\d{1,2}-\d{1,2}-(?:19|20)\d{2}\b/g, // 12-05-2026
  /\b\d{1,2}:\d{2}(?::\d{2})?\b/g, // times
  /[$€£¥₹]\s?\d[\d,.]*/g, // prices
  /\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|bucks)\b/gi,
  /\b\d+[.,]\d{2}\b(?![\d-])/g, // 129.99
  /\b\d{1,3}(?:,\d{3})+\b/g, // 1,234,567
];

/** All masks in one pass (an alternation tries them in order at each position). */
const MASK = new RegExp(MASKS.map((re) => `(?:${re.source})`).join('|'), 'gi');
/**
 * The same without the email addresses, for a text with no '@' (where that alternative never
 * matches, but tries every word: ~40 % of the pass).
 */
const MASK_NO_EMAIL = new RegExp(
  MASKS.slice(1)
    .map((re) => `(?:${re.source})`)
    .join('|'),
  'gi',
);

function mask(text: string): string {
  return text.replace(text.includes('@') ? MASK : MASK_NO_EMAIL, (m) => ' '.repeat(m.length));
}

const TOKEN = /#?[A-Za-z0-9]+(?:[-_/.][A-Za-z0-9]+)*/g;
const YEAR = /^(?:19|20)\d{2}$/;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** The core key of a written reference, or null when it is not reference-like. */
export function refCore(written: string): string | null {
  let core = written
    .replace(/^#/, '')
    .replace(/[-_/.\s]/g, '')
    .toUpperCase();
  if (!/^[A-Z0-9]+$/.test(core)) return null;
  // A short leading letter prefix ("HP", "ORD", "A") is dropped so "HP-482913" and "482913" meet.
  const m = /^([A-Z]{1,5})(?=\d)/.exec(core);
  if (m) core = core.slice(m[1]!.length);
  const digits = digitCount(core);
  // Letters and digits mixed inside ("4H7Q2", "K22X91"): a code even with only three digits.
  const interleaved = /\d[A-Z]+\d/.test(core) && digits >= 3 && core.length >= 5 && core.length - digits <= 4;
  if (!interleaved && (digits < 4 || core.length < 5)) return null;
  if (digits === core.length && digits < 5) return null;
  if (digits === core.length && digits > 20) return null;
  // Mostly letters with a few digits is a word, not a reference ("Model2024X" is fine, "abcdefg1234" too).
  if (core.length - digits > Math.max(4, digits)) return null;
  return core;
}

/** Words that introduce a reference: a code right after them is one even when short ("Ticket #A7-33K"). */
const REF_CONTEXT = /(?:\b(?:order|ticket|case|ref|reference|booking|reservation|invoice|inv|account|acct|claim|rma|return|subscription|membership|contract|policy|no|nr|number)\b\.?)\s*[:#]?\s*$/i;

/**
 * The core key of a short code that only its context marks as a reference: written with '#' or
 * right after a word like "ticket"; letters and digits mixed, 5 to 12 characters, at least 2 digits
 * and at most 4 letters. Kept whole (no prefix dropped): every form of it meets through this path.
 * A four-digit number counts only when marked: "order #1052", "#1052", the way shop platforms
 * number orders from #1001. One that reads as a year needs the word too: "#2025" is a hashtag,
 * "invoice 2025" a year, "order #2025" an order.
 */
function contextCore(written: string, mark: { hash: boolean; word: boolean }, loose = false): string | null {
  const core = written
    .replace(/^#/, '')
    .replace(/[-_/.]/g, '')
    .toUpperCase();
  if (/^\d{4}$/.test(core)) {
    const marked = YEAR.test(core) ? mark.word && mark.hash : mark.word || mark.hash;
    return marked ? core : null;
  }
  if (!/^[A-Z0-9]+$/.test(core) || core.length < 5 || core.length > 12) return null;
  const digits = digitCount(core);
  if (digits === core.length) return null;
  // Booking codes ("GC7DEN", "QZ5WYN"): five to eight capitals with a digit or two, as written.
  if (digits >= 1 && core.length <= 8 && core.length - digits >= 4 && (loose || /^[A-Z0-9#]+$/.test(written.replace(/[-_/.]/g, '')))) return core;
  if (digits < 2 || core.length - digits > 4) return null;
  return core;
}

/** Airline-style booking codes of six letters only: after "booking", "reservation", "PNR"…, and in capitals in mail. */
const LETTER_CODE = /\b(?:booking|reservation|pnr|confirmation|reference|ref)\b(?:\s+(?:code|reference|ref|number|no)\b\.?)?\s*[:#]?\s*([A-Za-z]{6})\b/gi;
/** On X, six capitals alone ("MKRTPA any news?") may be one too: only a code the mail has counts. */
const CAPS_CODE = /(?<![A-Za-z0-9])([A-Z]{6})(?![A-Za-z0-9])/g;

function letterCodes(text: string, loose: boolean): string[] {
  const out = new Set<string>();
  // (exec on the shared patterns rather than matchAll, which copies the pattern for every text)
  LETTER_CODE.lastIndex = 0;
  for (let m = LETTER_CODE.exec(text); m; m = LETTER_CODE.exec(text)) if (loose || m[1] === m[1]!.toUpperCase()) out.add(m[1]!.toUpperCase());
  if (loose) for (const m of text.matchAll(CAPS_CODE)) out.add(m[1]!);
  return out.size ? [...out] : [];
}

function altKeys(core: string, written: string): string[] {
  const out = new Set<string>();
  // Zero padding and a letter prefix come and go: "INV-004512" is quoted "INV4512" and "invoice 4512".
  if (/^0+\d{4,}$/.test(core)) out.add(core.replace(/^0+/, ''));
  const prefixed = /^[A-Z]{1,5}0*(\d{4,})$/.exec(core);
  if (prefixed) out.add(prefixed[1]!);
  if (!/^\d+$/.test(core)) for (const r of core.match(/\d{6,}/g) ?? []) out.add(r);
  // Groups of a reference written in parts ("ORD-2026-48213" is also quoted as "48213").
  const groups = written.split(/[-_/.\s]+/);
  if (groups.length > 1) for (const g of groups) if (/^\d{5,}$/.test(g)) out.add(g);
  // A code after a letter prefix ("BB-DLGJH7" is quoted "DLGJH7"): letters and digits, five or more.
  if (groups.length > 1) for (const g of groups) if (g.length >= 5 && /\d/.test(g) && /[A-Za-z]/.test(g)) out.add(g.toUpperCase());
  out.delete(core);
  return [...out];
}

/** A written reference added to `out` by its core, if it is one (`before`: the text before it, for its context). */
function addRef(out: Map<string, RefMention>, written: string, before: string, loose: boolean): void {
  const hash = written.startsWith('#');
  let core = refCore(written);
  // The context is read only when the written form alone is no reference.
  if (core === null && (loose || hash)) core = contextCore(written, { hash, word: REF_CONTEXT.test(before) }, loose);
  else if (core === null && REF_CONTEXT.test(before)) core = contextCore(written, { hash, word: true }, loose);
  if (!core) return;
  if (!out.has(core)) out.set(core, { core, alt: altKeys(core, written), display: written });
}

/**
 * Every reference-like token in a text, deduplicated by core. `loose` (posts and DMs) also takes
 * short mixed codes without a '#' or a word like "ticket" before them: they only count when the
 * mailbox has the same code, which its mail must have marked as a reference.
 */
export function extractRefs(text: string, opts: { loose?: boolean } = {}): RefMention[] {
  const out = new Map<string, RefMention>();
  for (const code of letterCodes(text, !!opts.loose)) out.set(code, { core: code, alt: [], display: code });
  if (!/\d/.test(text)) return [...out.values()];
  const s = mask(text);
  const loose = !!opts.loose;
  const tokens: { t: string; start: number; end: number }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(s); m; m = TOKEN.exec(s)) tokens.push({ t: m[0], start: m.index, end: m.index + m[0].length });
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (/\d/.test(tok.t)) addRef(out, tok.t, s.slice(Math.max(0, tok.start - 24), tok.start), loose);
    // On X, a long code copied in groups of capitals and digits ("1ZAV VKF7 0977 6480 64", a
    // tracking number): the groups joined (it counts only when the mail has the code).
    if (opts.loose && /^[A-Z0-9]{2,4}$/.test(tok.t) && (i === 0 || s.slice(tokens[i - 1]!.end, tok.start) !== ' ' || !/^[A-Z0-9]{2,4}$/.test(tokens[i - 1]!.t))) {
      let joined = tok.t;
      let j = i + 1;
      while (j < tokens.length && s.slice(tokens[j - 1]!.end, tokens[j]!.start) === ' ' && /^[A-Z0-9]{2,4}$/.test(tokens[j]!.t)) joined += tokens[j++]!.t;
      if (j - i >= 3 && joined.length >= 10 && digitCount(joined) >= 6 && /[A-Z]/.test(joined)) {
        const core = refCore(joined);
        if (core && !out.has(core)) out.set(core, { core, alt: altKeys(core, joined), display: s.slice(tok.start, tokens[j - 1]!.end) });
      }
    }
    // Digit groups written with single spaces: "482 913", "4829 1320".
    if (/^\d{2,4}$/.test(tok.t) && !YEAR.test(tok.t)) {
      let joined = tok.t;
      let display = tok.t;
      let j = i + 1;
      while (j < tokens.length) {
        const nxt = tokens[j]!;
        const gap = s.slice(tokens[j - 1]!.end, nxt.start);
        if (gap !== ' ' || !/^\d{2,4}$/.test(nxt.t) || YEAR.test(nxt.t)) break;
        joined += nxt.t;
        display += ` ${nxt.t}`;
        j++;
        if (joined.length >= 5 && joined.length <= 12) {
          const prev = s.slice(Math.max(0, tok.start - 8), tok.start);
          const prefix = /([A-Za-z]{1,5})[\s#-]*$/.exec(prev);
          addRef(out, joined, '', loose);
          const m = out.get(joined);
          if (m && m.display === joined) m.display = prefix ? `${prefix[1]} ${display}` : display;
        }
      }
    }
  }
  return [...out.values()];
}

const LAST_FOUR = /(?:ending(?:\s+(?:in|with))?|ends\s+(?:in|with)|last\s+(?:4|four)(?:\s+digits)?(?:\s+(?:are|is|of|were))?|(?:x|\*|•){3,}[\s-]?)\s*[:#-]?\s*(\d{4})\b/gi;

/** Last-four mentions: "card ending in 4821", "last 4 digits 4821", "****4821". */
export function extractLastFours(text: string): { digits: string; display: string }[] {
  const out = new Map<string, string>();
  for (const m of text.matchAll(LAST_FOUR)) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[0].trim());
  }
  return [...out].map(([digits, display]) => ({ digits, display }));
}

/** The last four digits a reference can be quoted by: the last 4 of its longest digit run (≥ 6 digits). */
export function lastFourOf(core: string): string | null {
  const runs = core.match(/\d{6,}/g);
  if (!runs) return null;
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a));
  return longest.slice(-4);
}
