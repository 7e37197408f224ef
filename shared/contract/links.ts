// Types of the linking methods (links.*): one X account with its link and ranked suggestions.
import { z } from 'zod';
import type { Decider, EscalationState, LinkState } from '../domain/types';

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
  /** The customer the X identity belongs to now (its own X-only customer until a link merges it). */
  ownerCustomerId: number | null;
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

/** Where the linking engine's full build is (it runs in the background, slice by slice). */
export interface LinksStatus {
  /** A full build has completed and none is running: links and suggestions are current. */
  built: boolean;
  /** A full build is running; links.list answers from the links that existed before it. */
  building: boolean;
  phase: 'start' | 'profiles' | 'index' | 'scoring' | 'decisions' | null;
  /** Steps done of total (customers profiled, X accounts scored, decisions written). */
  done: number;
  total: number;
  /** Why the last build failed, if it did (links.refresh runs it again). */
  error: string | null;
}

/** One marked X conversation (`escalations.list`, `canary escalations`). */
export interface EscalationRow {
  conversationId: number;
  /** The X API conversation_id (tweets) or dm_conversation_id (DMs). */
  xConversationId: string;
  kind: 'tweet' | 'dm';
  identityId: number;
  xUserId: string;
  xUsername: string | null;
  state: EscalationState;
  /** The linked customer's address (escalated), the suggested one (likely), null (public complaint). */
  customerEmail: string | null;
  customerName: string | null;
  reason: string;
  waitedMs: number | null;
  /** A likely escalation's suggested link: links.confirm makes it escalated, links.reject clears it. */
  linkId: number | null;
}

const id = z.number().int().positive();

/** Args of the linking methods; merged into `schemas` (schemas.ts). */
export const linkSchemas = {
  /**
   * X accounts with their link, suggestions and rejected customers (refreshes linking first). Never
   * waits for a full build: before the first one ends it answers from what exists (see links.status).
   */
  'links.list': z
    .object({
      state: z.enum(['all', 'linked', 'suggested', 'none']).default('all'),
      identityId: id.optional(),
      /** Only X accounts linked or suggested for this (email) customer: the customer panel's "on X" section. */
      customerId: id.optional(),
    })
    .strict(),
  /** Whether the full build is done, running (with progress) or failed. */
  'links.status': z.object({}).strict(),
  /** Re-score what new mail or posts touched (everything when `full`); waits for a running full build. */
  'links.refresh': z.object({ full: z.boolean().default(false) }).strict(),
  /** Accept a suggestion or an engine link: it becomes a person's decision. */
  'links.confirm': z.object({ linkId: id }).strict(),
  /** Reject a suggestion or link: never suggested again for this X account. */
  'links.reject': z.object({ linkId: id }).strict(),
  /** Undo a person's last decision on a link: the state before it comes back exactly. */
  'links.undo': z.object({ linkId: id }).strict(),
  /** Link an X identity to a customer by hand. */
  'links.link': z.object({ identityId: id, customerId: id }).strict(),
  /** Unlink an X identity from the customer it is linked to (remembered like a rejection). */
  'links.unlink': z.object({ identityId: id }).strict(),
  /** Marked X conversations (escalated, likely, public complaints) in queue order, as linking left them (links.refresh first for current marks). */
  'escalations.list': z.object({ state: z.enum(['escalated', 'likely', 'public_complaint']).optional() }).strict(),
} as const;

export interface LinkResults {
  'links.list': XAccountLinks[];
  'links.status': LinksStatus;
  'links.refresh': LinksRefreshResult;
  'links.confirm': XAccountLinks;
  'links.reject': XAccountLinks;
  'links.undo': XAccountLinks;
  'links.link': XAccountLinks;
  'links.unlink': XAccountLinks;
  'escalations.list': EscalationRow[];
}
