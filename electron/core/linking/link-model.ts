// The link model: one calibrated probability that an X account's best candidate is the person,
// from the whole of its evidence. The hand rules of decide.ts link on one strong piece of evidence
// or a corroborated name; many right customers sit on top without either (a full name, a handle
// spelling it and a post two days after their unanswered mail), and a sum of hand weights does not
// separate them from namesakes. The model weighs each kind of evidence (its weights as scored, the
// name's already adjusted for how many customers share it), the margin over the runner-up, the
// posterior among the candidates and "a stranger" (calibrate.ts: so it asks more of a mailbox with
// more customers or fewer customers on X) in a logistic regression fitted with non-negative
// weights (each kind can only speak for the link as far as its own weight does) on generated
// businesses' known links: `npm run fit-link-model` (scripts/fit-link-model.ts) prints the
// coefficients below from the sets it names; linkset-dev and the held-out and fresh sets are not
// among them (docs/benchmarks.md has the figures on those).
import { posterior } from './decide';
import { SUGGEST_TOTAL, type EvidenceKind, type PairScore } from './score-model';

export const MODEL_KINDS = [
  'email',
  'handle-in-mail',
  'reference',
  'last-four',
  'domain',
  'handle-local',
  'name',
  'handle-name',
  'name-conflict',
  'timing',
  'escalation',
  'claim',
  'topic',
  'story',
] as const satisfies readonly EvidenceKind[];
export const MODEL_FEATURES = [...MODEL_KINDS, 'margin', 'corroborated', 'conflict', 'stranger', 'posterior'] as const;
export type ModelFeature = (typeof MODEL_FEATURES)[number];

export interface LinkModel {
  /** Log-odds per unit of each feature (non-negative, but for `stranger` and `conflict`: non-positive). */
  coef: Record<ModelFeature, number>;
  bias: number;
  /** Probability at which the engine links on the model (still no name conflict, a story never deciding). */
  threshold: number;
}

/** `npm run fit-link-model`, 2026-12-06: 1928 accounts (1203 whose best candidate is the person), 9 businesses x 2 seeds. */
export const LINK_MODEL: LinkModel = {
  coef: {
    email: 0.2334,
    'handle-in-mail': 0,
    reference: 0.3879,
    'last-four': 0.9898,
    domain: 0.4864,
    'handle-local': 0.3083,
    name: 0,
    'handle-name': 2.6362,
    'name-conflict': 0,
    timing: 1.499,
    escalation: 0,
    claim: 1.0244,
    topic: 0.8952,
    story: 1.088,
    margin: 0.0651,
    corroborated: 0.7177,
    conflict: 0,
    stranger: -3.0285,
    posterior: 4.3895,
  },
  bias: -5.8873,
  // 0.95 until the candidates and names of 2026-12-06 (afternoon); at 0.85 the links it adds over 0.95 were 33 right and 1 wrong
  // on the fitted, held-out and fresh sets (link-quality --seeds 2; docs/benchmarks.md).
  threshold: 0.85,
};

/** The stranger log odds the hand weights were set against (calibrate.ts REFERENCE_LOG_ODDS). */
const REFERENCE_STRANGER = 3.7;

export interface ModelInput {
  /** The candidate the model speaks about: the best without what stories add. */
  top: PairScore;
  features: Record<ModelFeature, number>;
  /** A story puts another customer ahead of it (the model never links then). */
  storyDisagrees: boolean;
}

/**
 * The model's view of an X account's candidates (every score, in any order): the candidates a decision
 * keeps (worth suggesting, at most five), ranked without what stories add, and the best one's features.
 */
export function modelInput(scores: readonly PairScore[], strangerLogOdds: number): ModelInput | null {
  const kept = [...scores]
    .sort((a, b) => b.total - a.total || a.customerId - b.customerId)
    .filter((s) => s.total >= SUGGEST_TOTAL)
    .slice(0, 5);
  if (!kept.length) return null;
  const plain = kept.map((s) => (s.storyExcess ? { ...s, total: s.total - s.storyExcess } : s)).sort((a, b) => b.total - a.total || a.customerId - b.customerId);
  const top = plain[0]!;
  const features = Object.fromEntries(MODEL_FEATURES.map((f) => [f, 0])) as Record<ModelFeature, number>;
  for (const e of top.evidence) if (e.kind in features) features[e.kind as ModelFeature] += e.weight;
  features.margin = Math.max(0, top.total - (plain[1]?.total ?? 0));
  features.corroborated = top.corroborated ? 1 : 0;
  features.conflict = top.conflict ? 1 : 0;
  features.stranger = strangerLogOdds - REFERENCE_STRANGER;
  features.posterior = posterior(plain.filter((s) => s.total >= SUGGEST_TOTAL).slice(0, 5), strangerLogOdds);
  return { top: kept.find((s) => s.customerId === top.customerId)!, features, storyDisagrees: kept[0]!.customerId !== top.customerId };
}

/** The probability that the input's candidate is the person. */
export function linkProbability(input: ModelInput, model: LinkModel = LINK_MODEL): number {
  let z = model.bias;
  for (const f of MODEL_FEATURES) z += model.coef[f] * input.features[f];
  return 1 / (1 + Math.exp(-z));
}
