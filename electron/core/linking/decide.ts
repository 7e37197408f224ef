// The decision among an X identity's candidates: link when strong (or corroborated) and clear of
// the runner-up, or when the link model (link-model.ts) is sure of the whole of the evidence;
// suggest when weak, nothing otherwise.
import { LINK_MODEL, linkProbability, modelInput } from './link-model';
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

/** Evidence of who a person is (not when they wrote or about what). */
const IDENTITY_KINDS = new Set<Evidence['kind']>(['email', 'handle-in-mail', 'reference', 'last-four', 'domain', 'handle-local', 'name', 'handle-name']);
/** Evidence that what an account posted fits the customer's mail: when, about what, what it says of it. */
const CONTEXT_KINDS = new Set<Evidence['kind']>(['timing', 'escalation', 'claim', 'topic', 'story']);
/** What the model needs of identity evidence, at least: more than a given name (WEIGHTS.nameFirst 1.4). */
const MODEL_MIN_IDENTITY = 1.8;
/** How far ahead of a runner-up that is no namesake the model's candidate must be (log-odds: e ≈ 2.7 times likelier). */
const MODEL_MARGIN = 1;

function identityWeight(p: PairScore): number {
  return p.evidence.reduce((s, e) => s + (IDENTITY_KINDS.has(e.kind) && e.weight > 0 ? e.weight : 0), 0);
}

/**
 * The link the model (link-model.ts) makes where the rules make none: its best candidate when the
 * whole of the evidence makes it LINK_MODEL.threshold likely. Its score is the model's probability,
 * with a sentence saying so. `plain`: the scores without what stories add, best first (decide's).
 */
function modelLink(sorted: PairScore[], plain: PairScore[], strangerLogOdds: number): PairScore | null {
  const input = modelInput(sorted, strangerLogOdds);
  if (!input || input.storyDisagrees || input.top.conflict) return null;
  // As for a link on the sum of evidence: two kinds at least, clear of the runner-up.
  // The runner-up a namesake (its name fits too): the rule's margin; otherwise the model's own.
  const runnerUp = plain.find((s) => s.customerId !== input.top.customerId);
  const namesake = !!runnerUp && runnerUp.evidence.some((e) => e.kind === 'name' && e.weight >= 2);
  if (kindsFor(input.top) < 2 || input.features.margin < (namesake ? AUTO_LINK_MARGIN_POSTERIOR : MODEL_MARGIN)) return null;
  // Who it is takes more than a given name (adversarial.test.ts), and a name with the handle spelling
  // it is one clue, not two: something the account posted must fit the customer's mail too.
  if (identityWeight(input.top) < MODEL_MIN_IDENTITY || !input.top.evidence.some((e) => CONTEXT_KINDS.has(e.kind) && e.weight >= 0.5)) return null;
  const p = linkProbability(input);
  if (p < LINK_MODEL.threshold) return null;
  const text = `all the evidence together makes it ${Math.floor(p * 100)} % likely that this is the same person`;
  // A decision taken again (a build's calibrated pass) replaces the sentence rather than adding one.
  const evidence = input.top.evidence.filter((e) => e.kind !== 'model');
  return { ...input.top, score: Math.max(input.top.score, p), evidence: [...evidence, { kind: 'model', weight: 0, text }] };
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
  if (!link && best && !best.conflict && !opts.blockAuto?.has(best.customerId)) link = modelLink(sorted, plain, opts.strangerLogOdds ?? -BIAS);
  const suggestions = sorted.filter((s) => s.customerId !== link?.customerId && s.total >= SUGGEST_TOTAL).slice(0, opts.maxSuggestions ?? 5);
  return { link, suggestions };
}
