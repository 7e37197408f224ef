// The decision writer: stores the engine's decision for an X identity in `links` (its link and
// suggestions replace the engine's previous rows; a person's rows stay) and moves the identity
// into the customer it is linked to (membership.ts).
import type { DB } from '../db/open';
import * as links from '../db/repos/linking/links';
import type { LinkRow } from '../db/repos/linking/links';
import { applyMembership } from './membership';
import { AUTO_LINK_TOTAL, type PairScore } from './score';

export interface PendingDecision {
  identityId: number;
  rows: LinkRow[];
  link: PairScore | null;
  suggestions: PairScore[];
}

/** Write a decision and apply the identity's membership; conversations whose customer or escalation changed. */
export function writeDecision(db: DB, now: () => number, d: PendingDecision): { changed: boolean; conversations: number[] } {
  const changed = writeEngineRows(db, now(), d.identityId, d.rows, d.link, d.suggestions);
  const conversations = applyMembership(db, d.identityId, now());
  return { changed, conversations };
}

/** Replace the engine's rows for an identity by a new decision; rows a person decided stay. */
export function writeEngineRows(db: DB, now: number, identityId: number, rows: LinkRow[], link: PairScore | null, suggestions: PairScore[]): boolean {
  const want = new Map<number, { state: 'linked' | 'suggested'; s: PairScore }>();
  if (link) want.set(link.customerId, { state: 'linked', s: link });
  for (const s of suggestions) if (!want.has(s.customerId)) want.set(s.customerId, { state: 'suggested', s });
  let changed = false;
  const byCustomer = new Map(rows.map((r) => [r.customer_id, r]));
  for (const r of rows) {
    if (r.decided_by !== 'engine') continue;
    if (!want.has(r.customer_id)) {
      links.deleteLink(db, r.id);
      changed = true;
    }
  }
  for (const [cid, { state, s }] of want) {
    const evidence = JSON.stringify(s.evidence.map((e) => e.text));
    const r = byCustomer.get(cid);
    if (r && r.decided_by === 'user') continue;
    if (r) {
      if (r.state !== state || r.score !== s.score || r.evidence !== evidence) {
        links.updateEngineLink(db, r.id, state, s.score, evidence, now);
        changed = true;
      }
    } else {
      // A customer merged away or deleted while a background build ran.
      if (!links.customerExists(db, cid)) continue;
      links.insertEngineLink(db, identityId, cid, state, s.score, evidence, now);
      changed = true;
    }
  }
  return changed;
}

/** A person's rows of an identity, to notice a decision made while a build ran. */
export function userRowsKey(rows: LinkRow[]): string {
  return rows
    .filter((r) => r.decided_by === 'user')
    .map((r) => `${r.id}:${r.customer_id}:${r.state}:${r.updated_at}`)
    .sort()
    .join(',');
}

/** A link made on a name backed by context rather than one strong piece of evidence. */
export function nameBased(link: PairScore): boolean {
  return !(link.strong && link.total >= AUTO_LINK_TOTAL);
}

/**
 * A person rejected or unlinked a customer for this identity: they have looked at it, and a link on
 * a name backed by context (another customer of the same name, say) is theirs to make; strong
 * evidence (an address written in a DM) still links.
 */
export function personRejected(rows: readonly LinkRow[]): boolean {
  return rows.some((r) => r.decided_by === 'user' && (r.state === 'rejected' || r.state === 'unlinked'));
}

/** Turn an automatic link into the top suggestion. */
export function demote(d: PendingDecision): void {
  if (!d.link) return;
  d.suggestions = [d.link, ...d.suggestions.filter((s) => s.customerId !== d.link!.customerId)];
  d.link = null;
}
