// What the owner's decisions teach the linker, per mailbox. Each confirm or reject is a labelled
// pair: the evidence kinds it carried move by how far the engine's belief was from the answer (an
// online step of logistic regression on the log-odds; the belief is the pair's chance against the
// identity's other candidates and a stranger: a rejected suggestion believed at 0.8 moves its kinds
// down by 0.8·RATE, a confirmed one believed at 0.6 up by 0.4·RATE). The learned shifts are stored in
// link_meta with the calibration (calibrate.ts) and added to those kinds' weights in every later score,
// with a sentence saying so in the evidence.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import { DEFAULT_CALIBRATION, strangerLogOdds, type Calibration } from './calibrate';
import { posterior, type EvidenceKind, type PairScore } from './score';
import type { LinkEngine } from './engine';
import { getMeta, setMeta } from '../db/repos/linking/link-index';
import { WEIGHTS } from './score-model';

export type WeightShifts = Partial<Record<EvidenceKind, number>>;

export interface Tuning {
  calibration: Calibration;
  /** Log-odds added to each evidence kind's weight, learned from the owner's decisions. */
  shifts: WeightShifts;
  /** Decisions learned from, by outcome. */
  confirmed: number;
  rejected: number;
}

const KEY = 'tuning';
/** Step size of one decision. */
export const FEEDBACK_RATE = 0.5;
/** How far decisions may move one kind: down to distrust it, less far up (a run of confirms must not make weak evidence link on its own). */
const SHIFT_MIN = -3;
const SHIFT_MAX = 1;
/**
 * Kinds that say something about identity; a person's decision says nothing about the prior, nor
 * about context (timing, wording, claims, topic, a complaint's story), which speaks for whoever
 * posted then: learning those from the highest-scored suggestions an owner answers first moved the
 * likely escalations of the rest most (simulated owner, all generated businesses: escalation recall
 * of the rest 0.913 -> 0.886 with them, 0.899 without; wrong marks 17 -> 11 and 10).
 */
const LEARNED: ReadonlySet<EvidenceKind> = new Set(['handle-in-mail', 'reference', 'last-four', 'domain', 'handle-local', 'name', 'handle-name']);

/**
 * Each learned kind's weight at full strength (a whole name, a distinct handle spelled like the
 * address…): a shift is learned in these units and applied to weaker evidence of the kind in
 * proportion (score.ts), so it moves a given name alone less than a full name and never turns it
 * against the link.
 */
export const FULL_STRENGTH: Partial<Record<EvidenceKind, number>> = {
  'handle-in-mail': WEIGHTS.handleInMailStrong,
  reference: WEIGHTS.refLong,
  'last-four': WEIGHTS.lastFour,
  domain: WEIGHTS.domain,
  'handle-local': WEIGHTS.handleLocalDistinct,
  name: WEIGHTS.nameFull,
  'handle-name': 2.6, // score-evidence.ts HANDLE_LEVEL_WEIGHT.full
};

export function readTuning(db: DB): Tuning {
  const v = getMeta(db, KEY);
  const t = parseJson<Partial<Tuning>>(v, {});
  return {
    calibration: { ...DEFAULT_CALIBRATION, ...t.calibration },
    shifts: t.shifts && typeof t.shifts === 'object' ? t.shifts : {},
    confirmed: t.confirmed ?? 0,
    rejected: t.rejected ?? 0,
  };
}

export function writeTuning(db: DB, t: Tuning): void {
  setMeta(db, KEY, JSON.stringify(t));
}

/**
 * Learn from one decision on a pair that carried `kinds` and scored `score` (0..1): right = the owner
 * confirmed it (or linked by hand), wrong = rejected or unlinked. Returns the new shifts.
 */
export function learn(t: Tuning, kinds: readonly EvidenceKind[], score: number, right: boolean): Tuning {
  const err = (right ? 1 : 0) - Math.min(1, Math.max(0, score));
  const shifts: WeightShifts = { ...t.shifts };
  for (const k of new Set(kinds)) {
    if (!LEARNED.has(k)) continue;
    const next = (shifts[k] ?? 0) + FEEDBACK_RATE * err;
    shifts[k] = Math.round(Math.min(SHIFT_MAX, Math.max(SHIFT_MIN, next)) * 1000) / 1000;
  }
  return { ...t, shifts, confirmed: t.confirmed + (right ? 1 : 0), rejected: t.rejected + (right ? 0 : 1) };
}

const KIND_WORDS: Record<EvidenceKind, string> = {
  email: 'an address written on X',
  'handle-in-mail': 'a handle named in mail',
  reference: 'a shared reference',
  'last-four': 'matching last four digits',
  domain: 'a shared domain',
  'handle-local': 'a handle spelled like an address',
  name: 'a fitting name',
  'handle-name': 'a handle spelling a name',
  'name-conflict': 'a name that does not fit',
  timing: 'timing after mail',
  escalation: 'complaint wording',
  claim: 'what a post says about earlier mail',
  topic: 'shared topic words',
  story: "a complaint about the product of the customer's recent mail",
  model: 'the link model',
};

/** The sentence added to a piece of evidence whose weight the owner's decisions moved. */
export function shiftSentence(kind: EvidenceKind, shift: number): string {
  return `the owner's decisions in this mailbox ${shift > 0 ? 'raised' : 'lowered'} the weight of ${KIND_WORDS[kind]} by ${Math.abs(shift).toFixed(2)}`;
}

/**
 * After a person's decision on a pair: move the weights of the kinds of evidence it carried (only
 * those that spoke for the link). Returns the X identities still waiting with suggestions, to be
 * scored again with the new weights (the engine does it in slices: LinkEngine.rescoreInSlices),
 * which re-marks their escalations.
 */
export function learnFromDecision(engine: LinkEngine, identityId: number, customerId: number, others: readonly number[], right: boolean): number[] {
  const p = engine.scorePairNow(identityId, customerId);
  if (!p) return [];
  // A suggestion its story made (storyExcess) teaches nothing: the story is not learned, and blaming
  // or crediting the kinds beside it for what the story said cost right likely marks on the rest.
  if (p.storyExcess) return [];
  const kinds = p.evidence.filter((e) => e.weight > 0).map((e) => e.kind);
  // What the engine believed: the pair's chance against the identity's other candidates and a stranger.
  const t = engine.tuning();
  const rivals = others.map((id) => engine.scorePairNow(identityId, id)).filter((x): x is PairScore => !!x);
  const believed = posterior([p, ...rivals], strangerLogOdds(t.calibration, engine.customerCount()));
  const next = learn(t, kinds, believed, right);
  engine.setTuning(next);
  // Shifts under 0.05 are not applied (score.ts): nothing to re-score when no applied weight moved.
  const applied = (x: number | undefined) => (x !== undefined && Math.abs(x) >= 0.05 ? x : 0);
  const moved = (Object.keys(next.shifts) as EvidenceKind[]).some((k) => applied(next.shifts[k]) !== applied(t.shifts[k]));
  return moved ? engine.pendingIdentities().filter((id) => id !== identityId) : [];
}
