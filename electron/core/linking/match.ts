// Candidate retrieval (blocking) and scoring of one X identity against the indexed customers.
import type { LinkIndex } from './index-store';
import { STORY_ROWS_CAP } from '../db/repos/linking/link-index';
import { cutHandleKey, handleCore, handleVariants } from './names';
import { nameGroups } from './nicknames';
import { xLookupKeys, type XFeatures } from './profile';
import { storyWeeks } from './story';
import { scorePair, type PairScore } from './score';
import type { WeightShifts } from './feedback';

/** How much a shared key says, before rarity, for ranking candidates (not the final score). */
const KEY_PRIOR: Record<string, number> = {
  e: 12,
  h: 9,
  r: 8,
  d: 6,
  lp: 5,
  nm: 4,
  ht: 4,
  in: 1.5,
  l4: 3,
  fi: 2.5,
  ln: 1.5,
  fn: 0.6,
  s: 2,
};

/** The words of a complaint a story is looked up by: product names of two words first, then the longest words. */
function storyWordsOf(words: readonly string[]): string[] {
  return [...words].sort((a, b) => Number(b.includes(' ')) - Number(a.includes(' ')) || b.length - a.length || (a < b ? -1 : 1)).slice(0, STORY_WORDS_PER_COMPLAINT);
}
/** At most this many words of one complaint are looked up (a long rant names its product among the first). */
const STORY_WORDS_PER_COMPLAINT = 8;
/** The latest complaints whose stories are looked up (an account posting all day adds nothing new). */
const STORY_COMPLAINTS = 3;
/** Most candidates scored in full per X identity. */
export const MAX_CANDIDATES = 20;
/** The best candidates by identity keys alone (names, handles, addresses, references) are scored whatever stories add to others. */
const IDENTITY_KEPT = 8;
/** Candidates whose shared keys weigh less than this share of the best candidate's are not scored. */
const MIN_SHARE = 0.15;

/** Every key an X identity is looked up by, including the names its handle may spell. */
export function xKeys(x: XFeatures): string[] {
  const keys = new Set(xLookupKeys(x));
  if (x.handle) {
    for (const core of handleVariants(x.handle)) {
      const s = core.replace(/[^a-z]/g, '');
      // Surnames inside the handle ("kmoore", "salty_moore", "fischerj").
      for (let i = 0; i < s.length; i++) for (let j = i + 4; j <= s.length && j - i <= 16; j++) keys.add(`ln:${s.slice(i, j)}`);
      // first+last / last+first / initial+last / last+initial splits.
      for (let i = 1; i < s.length; i++) {
        const a = s.slice(0, i);
        const b = s.slice(i);
        if (a.length === 1 && b.length >= 3) keys.add(`fi:${a}|${b}`);
        if (b.length === 1 && a.length >= 3) keys.add(`fi:${b}|${a}`);
        if (a.length >= 2 && b.length >= 2) {
          for (const g of nameGroups(a)) keys.add(`nm:${g}|${b}`);
          for (const g of nameGroups(b)) keys.add(`nm:${g}|${a}`);
        }
      }
      if (s.length >= 3) for (const g of nameGroups(s)) keys.add(`fn:${g}`);
    }
    const hc = handleCore(x.handle);
    if (hc.raw.length >= 3) keys.add(`lp:${hc.raw}`);
    const cut = cutHandleKey(x.handle);
    if (cut) keys.add(`ht:${cut}`);
  }
  for (const k of xStoryKeys(x)) keys.add(k);
  return [...keys];
}

/** Story keys of an X identity: each complaint's topic words in its week and the weeks before. */
export function xStoryKeys(x: XFeatures): string[] {
  const keys = new Set<string>();
  for (const c of x.complaints.slice(-STORY_COMPLAINTS)) for (const w of storyWordsOf(c.words)) for (const k of storyWeeks(c.at)) keys.add(`s:${w}|${k}`);
  return [...keys];
}

/** Customers who write a word, at most this share of them, for a story about it to be looked up. */
const STORY_WORD_SHARE = 0.3;

/**
 * Whether a complaint's word can make a story: some customer writes it (among their most frequent
 * words) and not most of them (a word everyone writes picks nobody out). Saves the lookups of words
 * no customer's story keys have, which were most of them.
 */
function storyWord(word: string, index: LinkIndex, memo: Map<string, boolean>): boolean {
  let ok = memo.get(word);
  if (ok === undefined) {
    const d = index.df(`w:${word}`);
    ok = d > 0 && d <= Math.max(2, STORY_WORD_SHARE * index.size());
    memo.set(word, ok);
  }
  return ok;
}

/** What the keys an X identity shares with one customer weigh: all of them, and those of who a person is (all but stories). */
interface Tally {
  id: number;
  all: number;
  identity: number;
}

/** Best first: the larger weight, then the lower customer id. */
const byAll = (a: Tally, b: Tally) => b.all - a.all || a.id - b.id;
const byIdentity = (a: Tally, b: Tally) => b.identity - a.identity || a.id - b.id;

/** Customers worth scoring for an X identity, best first (at most `limit`, then at most IDENTITY_KEPT more by identity keys). */
export function candidatesFor(keys: string[], index: LinkIndex, limit = MAX_CANDIDATES): number[] {
  const tallies = new Map<number, Tally>();
  const words = new Map<string, boolean>();
  let best = 0;
  for (const k of keys) {
    const prefix = k.slice(0, k.indexOf(':'));
    const prior = KEY_PRIOR[prefix];
    if (!prior) continue;
    const story = prefix === 's';
    if (story && !storyWord(k.slice(2, k.lastIndexOf('|')), index, words)) continue;
    // A story more than STORY_ROWS_CAP customers share in one week picks nobody out (they would tie; full builds keep no rows for it).
    const ids = index.lookup(k, story ? STORY_ROWS_CAP : undefined);
    if (!ids || !ids.length) continue;
    const w = prior / Math.log2(1 + ids.length);
    for (const id of ids) {
      let t = tallies.get(id);
      if (!t) tallies.set(id, (t = { id, all: 0, identity: 0 }));
      t.all += w;
      // (Every weight is above 0: a customer with identity > 0 shares an identity key.)
      if (!story) t.identity += w;
      if (t.all > best) best = t.all;
    }
  }
  // Candidates far behind the best one cannot win or rank in the top suggestions.
  const floor = best * MIN_SHARE;
  const near: Tally[] = [];
  /** The IDENTITY_KEPT best by identity keys, best first. */
  const top: Tally[] = [];
  for (const t of tallies.values()) {
    if (t.all >= floor) near.push(t);
    if (t.identity > 0 && (top.length < IDENTITY_KEPT || byIdentity(t, top[top.length - 1]!) < 0)) {
      let i = top.length;
      while (i > 0 && byIdentity(t, top[i - 1]!) < 0) i--;
      top.splice(i, 0, t);
      if (top.length > IDENTITY_KEPT) top.pop();
    }
  }
  const out = near
    .sort(byAll)
    .slice(0, limit)
    .map((t) => t.id);
  // A complaint's story can share a word with dozens of customers and bury the one whose name the
  // account carries: the best candidates by who they are stay in.
  const kept = new Set(out);
  for (const t of top) if (!kept.has(t.id)) out.push(t.id);
  return out;
}

/** Score an X identity against its candidates; the result is sorted best first. */
export function scoreAgainst(x: XFeatures, index: LinkIndex, exclude?: Set<number>, shifts?: WeightShifts, keys: string[] = xKeys(x)): PairScore[] {
  const ids = candidatesFor(keys, index, MAX_CANDIDATES + (exclude?.size ?? 0));
  const out: PairScore[] = [];
  const df = (k: string) => index.df(k);
  const customers = index.size();
  for (const id of ids) {
    if (exclude?.has(id)) continue;
    const p = index.profile(id);
    if (!p) continue;
    out.push(scorePair(x, p, df, { customers, shifts }));
  }
  out.sort((a, b) => b.total - a.total || a.customerId - b.customerId);
  return out;
}
