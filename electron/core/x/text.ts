// Text rules of X: weighted length (twitter-text v3 configuration), HTML entities in post text,
// t.co expansion, and the time encoded in snowflake ids.
import type { XEntities, XUrlEntity } from './types';

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

// Top-level domains recognised in URLs written without a scheme (a practical subset of the IANA
// list twitter-text embeds: the generic ones and the country codes people actually type).
const TLDS =
  'com|net|org|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|tv|ly|gl|gg|to|fm|am|so|sh|xyz|online|site|shop|store|tech|blog|news|page|link|club|design|cloud|' +
  'uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|cz|pt|gr|ru|ua|tr|il|in|jp|cn|kr|tw|hk|sg|my|th|vn|id|ph|br|mx|ar|cl|pe|za|ng|ke|eg';
const URL_RE = new RegExp(
  String.raw`(?:https?:\/\/(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}(?::\d{1,5})?|` +
    String.raw`(?<![@\p{L}\p{N}_.\-\/])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${TLDS})(?![\p{L}\p{N}_-])(?::\d{1,5})?)` +
    String.raw`(?:\/[^\s]*)?`,
  'giu',
);
const TRAILING_PUNCT = /[.,;:!?'")\]}]+$/u;
const INVALID_CHARS = /[\uFFFE\uFEFF\uFFFF]/u;

/** URLs as twitter-text finds them, with UTF-16 start/end. */
export function findUrls(text: string): { url: string; start: number; end: number }[] {
  const out: { url: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    const trail = TRAILING_PUNCT.exec(url);
    if (trail) url = url.slice(0, url.length - trail[0].length);
    // A closing parenthesis belongs to the URL when it opened one inside it (Wikipedia links).
    if (trail && trail[0].startsWith(')') && (url.match(/\(/g)?.length ?? 0) > (url.match(/\)/g)?.length ?? 0)) url += ')';
    if (!url) continue;
    out.push({ url, start: m.index, end: m.index + url.length });
  }
  return out;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
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
    for (const { segment } of segmenter.segment(s)) {
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
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
  );
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
