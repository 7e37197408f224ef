// The decision among an X identity's candidates: link when strong (or corroborated) and clear of
// the runner-up, suggest when weak, nothing otherwise.
import { AUTO_LINK_CORROBORATED, AUTO_LINK_MARGIN, AUTO_LINK_MARGIN_POSTERIOR, AUTO_LINK_TOTAL, BIAS, LINK_POSTERIOR, SUGGEST_TOTAL, type Evidence, type PairScore } from './score-model';

export interface Decision {
  /** The customer to link automatically, if any. */
  link: PairScore | null;
  /** Ranked suggestions (without the linked one). */
  suggestions: PairScore[];
}

/**
 * A name alone is not enough to link: namesakes follow the same shops. A name that fits (full name,
 * or initial and surname that the handle spells too) counts when at least two independent kinds of
 * context back it: timing after the customer's mail, escalation wording while their mail was
 * unanswered, the same product, a fitting claim about their mail, a handle spelled like the address.
 */
export function isCorroborated(ev: Evidence[]): boolean {
  const name = ev.find((e) => e.kind === 'name');
  const handleName = ev.find((e) => e.kind === 'handle-name');
  const nameOk = !!name && (name.weight >= 3.5 || (name.weight >= 2.2 && !!handleName && handleName.weight >= 1.5));
  if (!nameOk) return false;
  const ctx = ev.filter(
    (e) =>
      (e.kind === 'timing' && e.weight >= 0.8) ||
      (e.kind === 'escalation' && e.weight >= 1) ||
      (e.kind === 'topic' && e.weight >= 0.9) ||
      (e.kind === 'claim' && e.weight >= 0.5) ||
      (e.kind === 'handle-local' && e.weight >= 1.2),
  );
  const sum = ctx.reduce((s, e) => s + e.weight, 0);
  return new Set(ctx.map((e) => e.kind)).size >= 2 && sum >= 2;
}

/**
 * The candidates that count against the best one: those worth suggesting, at most five (what a
 * decision keeps, so a build deciding again from stored decisions sees the same).
 */
function contenders(sorted: PairScore[]): PairScore[] {
  return sorted.filter((s) => s.total >= SUGGEST_TOTAL).slice(0, 5);
}

/** Distinct kinds of evidence that speak for a pair (one piece alone never links on the sum). */
function kindsFor(p: PairScore): number {
  return new Set(p.evidence.filter((e) => e.weight >= 0.5).map((e) => e.kind)).size;
}

/**
 * The chance that the best of these candidates is the person rather than another candidate or a
 * stranger: exp(best) / (exp(stranger) + sum of exp(candidate)), totals being log likelihood ratios.
 */
export function posterior(sorted: PairScore[], strangerLogOdds: number): number {
  const top = sorted[0];
  if (!top) return 0;
  let z = Math.exp(strangerLogOdds - top.total);
  for (const s of sorted) z += Math.exp(s.total - top.total);
  return 1 / z;
}

/** The scores as they would be without stories (a story's excess taken off the total), best first. */
function withoutStories(sorted: PairScore[]): PairScore[] {
  if (!sorted.some((s) => s.storyExcess)) return sorted;
  return sorted.map((s) => (s.storyExcess ? { ...s, total: s.total - s.storyExcess } : s)).sort((a, b) => b.total - a.total || a.customerId - b.customerId);
}

/** Link when strong (or corroborated) and clear of the runner-up; suggest when weak; nothing otherwise. */
export function decide(scores: PairScore[], opts: { maxSuggestions?: number; blockAuto?: Set<number>; strangerLogOdds?: number } = {}): Decision {
  const sorted = [...scores].sort((a, b) => b.total - a.total || a.customerId - b.customerId);
  // An automatic link is decided without what complaints' stories add (score-model.ts: storyExcess).
  const plain = withoutStories(sorted);
  const best = plain[0];
  const second = plain[1];
  let link: PairScore | null = null;
  const margin = !second ? Infinity : best!.total - second.total;
  if (
    best &&
    // Nor when a story puts another customer ahead.
    sorted[0]!.customerId === best.customerId &&
    !best.conflict &&
    !opts.blockAuto?.has(best.customerId) &&
    ((((best.strong && best.total >= AUTO_LINK_TOTAL) || (best.corroborated && best.total >= AUTO_LINK_CORROBORATED)) && margin >= AUTO_LINK_MARGIN) ||
      (margin >= AUTO_LINK_MARGIN_POSTERIOR && kindsFor(best) >= 2 && posterior(contenders(plain), opts.strangerLogOdds ?? -BIAS) >= LINK_POSTERIOR))
  ) {
    link = sorted.find((s) => s.customerId === best.customerId)!;
  }
  const suggestions = sorted.filter((s) => s !== link && s.total >= SUGGEST_TOTAL).slice(0, opts.maxSuggestions ?? 5);
  return { link, suggestions };
}
