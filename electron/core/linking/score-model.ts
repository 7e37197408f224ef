// The scoring model: the kinds of evidence, their weights in log-odds and the thresholds of the
// decision (score.ts scores a pair, decide.ts decides among an identity's candidates).
export type EvidenceKind =
  'email' | 'handle-in-mail' | 'reference' | 'last-four' | 'domain' | 'handle-local' | 'name' | 'handle-name' | 'name-conflict' | 'timing' | 'escalation' | 'claim' | 'topic' | 'story' | 'model';

export interface Evidence {
  kind: EvidenceKind;
  /** Log-odds contribution (negative when it speaks against the link). */
  weight: number;
  /** A sentence a person can check. */
  text: string;
  /** Strong enough, on its own, to let the engine link without a person. */
  strong?: boolean;
}

export interface PairScore {
  customerId: number;
  /** Sum of evidence weights. */
  total: number;
  /** Calibrated probability that the two are the same person. */
  score: number;
  evidence: Evidence[];
  strong: boolean;
  /** A name conflict that forbids an automatic link unless the evidence is identity-grade. */
  conflict: boolean;
  /** A distinctive name backed by at least two independent pieces of context (see isCorroborated). */
  corroborated: boolean;
  /**
   * What a complaint's story (score.ts's storyOf) adds over plain shared topic words. It ranks
   * suggestions and backs a likely escalation, which a person confirms; an automatic link is
   * decided without it (decide.ts).
   */
  storyExcess?: number;
}

/** Document frequency: how many email customers carry a key (at least 1 for keys the pair shares). */
export type DfLookup = (key: string) => number;

export const WEIGHTS = {
  email: 12,
  handleInMailStrong: 10,
  handleInMailWeak: 5,
  refLong: 9,
  refShort: 7.5,
  refFour: 7,
  refDfPenalty: 2.5,
  lastFour: 4,
  domain: 6.5,
  handleLocalDistinct: 7,
  handleLocalName: 1.5,
  handleLocalCore: 3,
  nameFull: 4,
  nameInitialLast: 2.8,
  /** Initials alone ("S.R.") fitting the customer's: about 1 in 50 people's initials are any given pair. */
  nameInitials: 1.6,
  nameFirstLastInitial: 2.2,
  nameLast: 2,
  nameFirst: 1.4,
  lastConflict: -3,
  firstConflict: -2.2,
  initialConflict: -1,
  timingMax: 1.5,
  escalation: 1,
  topicPerWord: 1.8,
  topicMax: 2.2,
  storyMax: 4.5,
} as const;

/** Log-odds offset: the prior that an arbitrary X account and an arbitrary customer are one person. */
export const BIAS = -3.7;
export const AUTO_LINK_TOTAL = 9;
export const AUTO_LINK_MARGIN = 3;
/** Total needed for a corroborated (name + context) link without one strong piece of evidence. */
export const AUTO_LINK_CORROBORATED = 6.3;
export const SUGGEST_TOTAL = 2;
/**
 * Probability, among the candidates and "a stranger", that the best candidate is the person, at
 * which the engine links on the sum of evidence alone (still no name conflict, and clear of the
 * runner-up by AUTO_LINK_MARGIN_POSTERIOR).
 */
export const LINK_POSTERIOR = 0.9;
export const AUTO_LINK_MARGIN_POSTERIOR = 2;

export function squash(total: number): number {
  return 1 / (1 + Math.exp(-(total + BIAS)));
}
