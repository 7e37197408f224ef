// A complaint's story: the product it names and the customer's mail about it in the two weeks
// before. Customers are indexed by story keys (a topic word and the week of one of their latest
// inbound mails), X accounts look them up by their complaints' words (match.ts), and the scorer
// weighs the story as a likelihood ratio (storyOf): how few customers wrote about it then.
import type { CustomerProfile, XFeatures } from './profile';
import { WEIGHTS, type DfLookup } from './score-model';

const WEEK = 7 * 86_400_000;
/** The week number of a time (story keys pair a topic word with the week of the mail). */
export function weekOf(at: number): number {
  return Math.floor(at / WEEK);
}
/** Mail this long before a complaint is part of its story (people go public within two weeks). */
export const STORY_WINDOW = 14 * 86_400_000;

/** The weeks a complaint at `at` looks customers' story keys up in (those the story window touches). */
export function storyWeeks(at: number): number[] {
  const out: number[] = [];
  for (let w = weekOf(at); w >= weekOf(at - STORY_WINDOW); w--) out.push(w);
  return out;
}

/** Topic words a story key is made of (a customer's most frequent ones). */
const STORY_WORDS = 12;
/** The weeks of a customer's latest inbound mail that story keys are made for. */
const STORY_WEEKS = 3;

/**
 * Story keys: a topic word of the customer's mail and the week of one of their latest inbound mails
 * ("s:tariff|2871"). An X account whose complaint shares nothing else with the mail (no name,
 * handle or reference) is looked up by the words of its post in the weeks before it: the customer
 * who wrote about the same product days earlier.
 */
export function storyKeys(p: CustomerProfile): string[] {
  const weeks: number[] = [];
  for (let i = p.inbound.length - 1; i >= 0 && weeks.length < STORY_WEEKS; i--) {
    const w = weekOf(p.inbound[i]!.at);
    if (!weeks.includes(w)) weeks.push(w);
  }
  const out: string[] = [];
  for (const w of p.words.slice(0, STORY_WORDS)) for (const k of weeks) out.push(`s:${w}|${k}`);
  return out;
}

/**
 * The story of a complaint: it names a word of this customer's mail, and the customer wrote within
 * the two weeks before it (STORY_WINDOW). For a stranger the chance is that of any customer: the
 * customers with the word and mail in those weeks (story keys' counts, k) out of N; for the person
 * about one half (they name their product about half the time). A likelihood ratio 0.5·N/k, capped.
 */
export function storyOf(x: XFeatures, c: CustomerProfile, w: string, df: DfLookup, N: number): { w: string; k: number; lr: number; gap: number } | null {
  let best: { w: string; k: number; lr: number; gap: number } | null = null;
  for (const p of x.complaints) {
    if (!p.words.includes(w)) continue;
    let last: number | null = null;
    for (const m of c.inbound) if (m.at <= p.at && m.at >= p.at - STORY_WINDOW) last = m.at;
    if (last === null) continue;
    const k = Math.max(
      1,
      storyWeeks(p.at).reduce((s, wk) => s + df(`s:${w}|${wk}`), 0),
    );
    const lr = Math.min(WEIGHTS.storyMax, Math.log((0.5 * N) / k));
    if (lr > 0.3 && (!best || lr > best.lr)) best = { w, k, lr, gap: p.at - last };
  }
  return best;
}
