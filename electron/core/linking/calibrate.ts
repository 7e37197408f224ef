// Per-mailbox calibration of the link decision, learned from the mailbox itself (Fellegi–Sunter):
// each X account is either one of its candidate customers or a stranger. The evidence totals are
// log likelihood ratios (their weights already adjusted for how many customers share a name,
// reference, word or domain, as term-frequency adjustment does); what differs between mailboxes is
// the prior: how many customers there are to confuse, and what share of the X accounts writing to the
// business are customers at all (λ). λ is estimated by expectation–maximisation over every scored X
// account: the E-step gives each account the chance that one of its candidates is the person, the
// M-step sets λ to the mean of those chances, until it settles.
import type { PairScore } from './score';

export interface Calibration {
  /** Estimated share of X accounts that are customers of this mailbox. */
  lambda: number;
  /** Email customers in the index when estimated. */
  customers: number;
  /** X accounts the estimate used. */
  accounts: number;
  iterations: number;
}

/** The prior the hand-set weights were set against (BIAS = -3.7): λ 0.4 among 200 customers. */
const REFERENCE_LOG_ODDS = 3.7;
const REFERENCE = Math.log(0.6 / 0.4) + Math.log(200);
const LAMBDA_MIN = 0.02;
const LAMBDA_MAX = 0.9;

export const DEFAULT_CALIBRATION: Calibration = { lambda: 0.4, customers: 200, accounts: 0, iterations: 0 };

/**
 * Log odds of "a stranger" against one given customer before any evidence: (1-λ)/λ times the number
 * of customers, scaled so that λ 0.4 among 200 customers gives the reference 3.7. Between full
 * builds the incremental refresh uses the λ the last build estimated. A mailbox of
 * 100,000 customers needs log(500) ≈ 6.2 more evidence for the same confidence; one where few X
 * accounts are customers needs more too.
 */
export function strangerLogOdds(c: Pick<Calibration, 'lambda'>, customers: number): number {
  // The estimate only raises the bar: a mailbox whose X accounts look more often like customers
  // than the default says keeps the default (the estimate counts a namesake's evidence as a match).
  const l = Math.min(DEFAULT_CALIBRATION.lambda, Math.max(LAMBDA_MIN, c.lambda));
  const n = Math.max(10, customers);
  // Mailboxes smaller than the reference do not lower the bar (too few accounts to trust that).
  return REFERENCE_LOG_ODDS + Math.max(0, Math.log((1 - l) / l) + Math.log(n) - REFERENCE);
}

/**
 * Estimate λ by EM over each X account's candidate totals (best first or in any order). With fewer
 * than 30 accounts the default stands: too few to learn from.
 */
export function calibrate(candidates: readonly (readonly Pick<PairScore, 'total'>[])[], customers: number, opts: { maxIterations?: number } = {}): Calibration {
  const accounts = candidates.filter((c) => c.length > 0);
  const n = candidates.length;
  if (n < 30) return { ...DEFAULT_CALIBRATION, customers, accounts: n };
  let lambda = DEFAULT_CALIBRATION.lambda;
  let it = 0;
  for (; it < (opts.maxIterations ?? 50); it++) {
    const c = strangerLogOdds({ lambda }, customers);
    let sum = 0;
    for (const s of accounts) {
      // P(one of the candidates is the person) = Σ e^t / (e^c + Σ e^t), computed stably.
      let m = c;
      for (const x of s) if (x.total > m) m = x.total;
      let cand = 0;
      for (const x of s) cand += Math.exp(x.total - m);
      sum += cand / (Math.exp(c - m) + cand);
    }
    const next = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, sum / n));
    const done = Math.abs(next - lambda) < 1e-4;
    lambda = next;
    if (done) break;
  }
  return { lambda, customers, accounts: n, iterations: it + 1 };
}
