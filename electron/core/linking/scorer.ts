// The scorer driver: scores one X identity against the customer index (match.ts, score.ts), keeps
// its keys for incremental re-scoring (link_xkeys, link_xstate) and hands the decision to the
// decision writer (decisions.ts), or back to a full build that decides them all together.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import * as idx from '../db/repos/linking/link-index';
import * as links from '../db/repos/linking/links';
import { strangerLogOdds } from './calibrate';
import { demote, nameBased, personRejected, writeDecision, type PendingDecision } from './decisions';
import type { Tuning } from './feedback';
import type { LinkIndex } from './index-store';
import { createReader, type Reader } from './inputs';
import { scoreAgainst, xKeys } from './match';
import { buildXFeatures } from './profile';
import { decide, scorePair, type PairScore } from './score';

/**
 * Keys too weak to re-score X identities by when a customer's profile changes. Story keys too: a
 * story needs the mail before the post, which the post's own scoring sees; mail synced late is
 * caught by the next full build (and storing them was most of the X keys).
 */
export const WEAK_KEY = /^(w|fn|s):/;

export interface ScoreEnv {
  db: DB;
  now: () => number;
  /** The mailbox's calibration and learned weight shifts (feedback.ts). */
  tuning: () => Tuning;
}

/** Score one X identity and store the engine's decision. */
export function scoreIdentity(
  env: ScoreEnv,
  identityId: number,
  index: LinkIndex,
  reader: Reader,
  /** During a full rebuild: collect the X keys here, to insert them sorted at the end. */
  collectKeys?: [string, number][],
  /** During a full rebuild: collect the decision here instead of writing it. */
  defer?: PendingDecision[],
): { changed: boolean; conversations: number[] } {
  const { db } = env;
  const input = reader.xIdentity(identityId);
  if (!input) return { changed: false, conversations: [] };
  const x = buildXFeatures(input);
  const keys = xKeys(x);
  // Remember the keys for incremental re-scoring.
  const oldKeys = parseJson<string[]>(idx.xStateKeys(db, identityId), []);
  const strongKeys = keys.filter((k) => !WEAK_KEY.test(k));
  const strongSet = new Set(strongKeys);
  for (const k of oldKeys) if (!strongSet.has(k)) idx.deleteXKey(db, k, identityId);
  const oldSet = new Set(oldKeys);
  for (const k of strongKeys) {
    if (oldSet.has(k)) continue;
    if (collectKeys) collectKeys.push([k, identityId]);
    else idx.insertXKey(db, k, identityId);
  }
  idx.setXState(db, identityId, JSON.stringify(strongKeys), env.now());

  const rows = links.linkRowsOf(db, identityId);
  const userRows = rows.filter((r) => r.decided_by === 'user');
  const personLinked = userRows.some((r) => r.state === 'confirmed' || r.state === 'linked');
  const blocked = new Set(userRows.map((r) => r.customer_id));
  let link: PairScore | null = null;
  let suggestions: PairScore[] = [];
  if (!personLinked) {
    const t = env.tuning();
    const d = decide(scoreAgainst(x, index, blocked, t.shifts, keys), { strangerLogOdds: strangerLogOdds(t.calibration, index.size()) });
    link = d.link;
    suggestions = d.suggestions;
  }
  const pending: PendingDecision = { identityId, rows, link, suggestions };
  if (defer) {
    defer.push(pending);
    return { changed: false, conversations: [] };
  }
  // A link on a name backed by context is not made to a customer another X account is linked to,
  // nor after a person turned one down for this account.
  if (link && nameBased(link) && (personRejected(rows) || links.customerLinkedToOther(db, link.customerId, identityId))) demote(pending);
  return writeDecision(db, env.now, pending);
}

/** The score of one X identity against one customer as the engine would give it now, with its evidence. */
export function scoreNow(db: DB, index: LinkIndex, t: Tuning, identityId: number, customerId: number): PairScore | null {
  const input = createReader(db).xIdentity(identityId);
  const p = index.profile(customerId);
  if (!input || !p) return null;
  return scorePair(buildXFeatures(input), p, (k) => index.df(k), { customers: index.size(), shifts: t.shifts });
}

/**
 * Every candidate of one X identity as the engine scores it now (best first, the person's rejections
 * left out) and the mailbox's stranger log odds: what the decision sees (for fitting the link model).
 */
export function candidatesNow(db: DB, index: LinkIndex, t: Tuning, identityId: number): { scores: PairScore[]; strangerLogOdds: number } | null {
  const input = createReader(db).xIdentity(identityId);
  if (!input) return null;
  const blocked = new Set(
    links
      .linkRowsOf(db, identityId)
      .filter((r) => r.decided_by === 'user')
      .map((r) => r.customer_id),
  );
  return { scores: scoreAgainst(buildXFeatures(input), index, blocked, t.shifts), strangerLogOdds: strangerLogOdds(t.calibration, index.size()) };
}
