// Types of the linking methods (links.*): one X account with its link and ranked suggestions.
import type { Decider, LinkState } from '../domain/types';

export interface LinkCandidate {
  /** Row id in `links`: what links.confirm / reject / undo take. */
  linkId: number;
  customerId: number;
  customerName: string;
  /** The customer's main email address. */
  email: string;
  state: LinkState;
  /** Calibrated 0..1 probability that the X account and the customer are one person. */
  score: number;
  /** Sentences a person can check. */
  evidence: string[];
  decidedBy: Decider;
  /** Whether links.undo can restore the state before a person's last decision. */
  canUndo: boolean;
  updatedAt: number;
}

export interface XAccountLinks {
  identityId: number;
  xUserId: string;
  handle: string | null;
  displayName: string;
  /** The customer the account is linked to (by the engine or a person), if any. */
  linked: LinkCandidate | null;
  /** Ranked candidates waiting for a person. */
  suggestions: LinkCandidate[];
  /** Customers a person rejected or unlinked (never suggested again). */
  rejected: LinkCandidate[];
}

export interface LinksRefreshResult {
  customers: number;
  scored: number;
  changed: number;
  ms: number;
}
