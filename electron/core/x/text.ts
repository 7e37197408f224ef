// Text rules of X: weighted length (twitter-text v3 configuration), HTML entities in post text,
// t.co expansion, and the time encoded in snowflake ids.
import type { XEntities, XUrlEntity } from './types';
import { EXTRACT_URL, INVALID_URL_WITHOUT_PROTOCOL_PRECEDING_CHARS, VALID_ASCII_DOMAIN, VALID_TCO_URL } from './twitter-text-regex';

/** twitter-text's v3 configuration (the one X uses since 2018 for 280-character posts). */
export const TWEET_LENGTH_CONFIG = {
  maxWeightedTweetLength: 280,
  scale: 100,
  defaultWeight: 200,
  transformedURLLength: 23,
  ranges: [
    { start: 0x0000, end: 0x10ff, weight: 100 }, // Latin, Greek, Cyrillic, Hebrew, Arabic, Indic … Georgian
    { start: 0x2000, end: 0x200d, weight: 100 }, // spaces and joiners
    { start: 0x2010, end: 0x201f, weight: 100 }, // dashes and quotes
    { start: 0x2032, end: 0x2037, weight: 100 }, // primes
  ],
} as const;

/** A DM may hold up to 10,000 characters. */
export const DM_MAX_LENGTH = 10_000;

const INVALID_CHARS = /[\uFFFE\uFEFF\uFFFF]/u;
const MAX_URL_LENGTH = 4096;
const MAX_TCO_SLUG_LENGTH = 40;

let compiled: { extract: RegExp; ascii: RegExp; invalidBefore: RegExp; tco: RegExp } | null = null;
/** Compiled on first use (the URL expression is ~13 kB). */
function urlRegexes(): NonNullable<typeof compiled> {
  compiled ??= {
    extract: new RegExp(EXTRACT_URL.source, EXTRACT_URL.flags),
    ascii: new RegExp(VALID_ASCII_DOMAIN.source, VALID_ASCII_DOMAIN.flags),
    invalidBefore: new RegExp(INVALID_URL_WITHOUT_PROTOCOL_PRECEDING_CHARS.source, INVALID_URL_WITHOUT_PROTOCOL_PRECEDING_CHARS.flags),
    tco: new RegExp(VALID_TCO_URL.source, VALID_TCO_URL.flags),
  };
  return compiled;
}

/**
 * URLs as twitter-text 3.1.0 extracts them (extractUrlsWithIndices, ported; its regular
 * expressions are in twitter-text-regex.ts), with UTF-16 start/end: with a scheme any domain, without
 * one only ASCII domains with a known top-level domain, not after @ # $ or a letter/digit, not after
 * - _ . /; trailing punctuation left out; t.co links end at their slug.
 */
export function findUrls(text: string): { url: string; start: number; end: number }[] {
  if (!text || !text.includes('.')) return [];
  const { extract, ascii, invalidBefore, tco } = urlRegexes();
  extract.lastIndex = 0;
  const out: { url: string; start: number; end: number }[] = [];
  for (let m = extract.exec(text); m; m = extract.exec(text)) {
    const before = m[2] ?? '';
    let url = m[3] ?? '';
    const protocol = m[4] ?? '';
    const domain = m[5] ?? '';
    const urlPath = m[7] ?? '';
    let end = extract.lastIndex;
    const start = end - url.length;
    if (!domain || (protocol || 'https://').length + url.length > MAX_URL_LENGTH) continue;
    if (!protocol) {
      if (invalidBefore.test(before)) continue;
      // Only the ASCII domains inside count; the path and query stay with the last one.
      ascii.lastIndex = 0;
      let last: { url: string; start: number; end: number } | null = null;
      let asciiEnd = 0;
      for (let a = ascii.exec(domain); a; a = ascii.exec(domain)) {
        const at = domain.indexOf(a[0], asciiEnd);
        asciiEnd = at + a[0].length;
        last = { url: a[0], start: start + at, end: start + asciiEnd };
        out.push(last);
      }
      if (!last) continue;
      if (urlPath) {
        last.url = url.replace(domain, last.url);
        last.end = end;
      }
    } else {
      // A t.co link takes no path characters after its slug.
      const t = tco.exec(url);
      if (t) {
        if (t[1] && t[1].length > MAX_TCO_SLUG_LENGTH) continue;
        url = t[0];
        end = start + url.length;
      }
      out.push({ url, start, end });
    }
  }
  return out;
}

// Made on first use: building it loads ICU's break rules (~8 ms), a cost a cold start need not pay.
let segmenter: Intl.Segmenter | null = null;
const EMOJI_RE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3|\uFE0F/u;

function isEmojiGrapheme(g: string): boolean {
  if (!EMOJI_RE.test(g)) return false;
  // ©, ®, ‼ … are pictographic but count as plain characters unless shown as emoji (VS16).
  const cp = g.codePointAt(0)!;
  return cp >= 0x2000 || g.includes('\uFE0F') || g.includes('\u20E3');
}

function codePointWeight(cp: number): number {
  for (const r of TWEET_LENGTH_CONFIG.ranges) if (cp >= r.start && cp <= r.end) return r.weight;
  return TWEET_LENGTH_CONFIG.defaultWeight;
}

export interface TweetLength {
  /** Weighted length as X counts it (CJK and emoji 2, URLs 23). */
  weightedLength: number;
  maxLength: number;
  remaining: number;
  valid: boolean;
  /** Why the text is not valid, when it is not. */
  problem: 'empty' | 'too_long' | 'invalid_characters' | null;
  urls: string[];
}

/** Count a post's length the way X does (twitter-text v3 rules). */
export function tweetLength(input: string): TweetLength {
  const text = input.normalize('NFC');
  const cfg = TWEET_LENGTH_CONFIG;
  const urls = findUrls(text);
  let weighted = 0;
  let pos = 0;
  const countPlain = (s: string) => {
    for (const { segment } of (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(s)) {
      if (isEmojiGrapheme(segment)) {
        weighted += cfg.defaultWeight;
        continue;
      }
      for (const ch of segment) weighted += codePointWeight(ch.codePointAt(0)!);
    }
  };
  for (const u of urls) {
    countPlain(text.slice(pos, u.start));
    weighted += cfg.transformedURLLength * cfg.scale;
    pos = u.end;
  }
  countPlain(text.slice(pos));
  const weightedLength = Math.ceil(weighted / cfg.scale);
  let problem: TweetLength['problem'] = null;
  if (!text.trim()) problem = 'empty';
  else if (INVALID_CHARS.test(text)) problem = 'invalid_characters';
  else if (weightedLength > cfg.maxWeightedTweetLength) problem = 'too_long';
  return {
    weightedLength,
    maxLength: cfg.maxWeightedTweetLength,
    remaining: cfg.maxWeightedTweetLength - weightedLength,
    valid: problem === null,
    problem,
    urls: urls.map((u) => u.url),
  };
}

/** X v2 escapes &, < and > in post text. */
export function unescapeXText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'"));
}

/** Replace t.co links by the address they stand for. */
export function expandUrls(text: string, urls: readonly XUrlEntity[] | undefined): string {
  if (!urls?.length) return text;
  let out = text;
  for (const u of urls) {
    const target = u.unwound_url || u.expanded_url;
    if (u.url && target && u.url !== target) out = out.split(u.url).join(target);
  }
  return out;
}

/** The readable text of a post or DM: HTML entities decoded, t.co links expanded. */
export function readableText(text: string, entities: XEntities | undefined, opts: { htmlEscaped: boolean }): string {
  const t = opts.htmlEscaped ? unescapeXText(text) : text;
  return expandUrls(t, entities?.urls);
}

const TWITTER_EPOCH = 1288834974657n;

/** When a snowflake id was made (ms), or null for ids too small to be snowflakes. */
export function snowflakeTime(id: string): number | null {
  if (!/^[0-9]{1,20}$/.test(id)) return null;
  const v = BigInt(id);
  if (v < 1n << 32n) return null;
  return Number((v >> 22n) + TWITTER_EPOCH);
}

/** A snowflake id for a time (ms) and a sequence number, as X makes them. */
export function makeSnowflake(ms: number, seq: number): string {
  return ((BigInt(Math.floor(ms)) - TWITTER_EPOCH) * (1n << 22n) + BigInt(seq & 0x3fffff)).toString();
}

/** Compare two numeric id strings. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
