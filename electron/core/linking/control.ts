// A person's decisions on links: confirm, reject, link and unlink by hand, and undo. Every decision
// stores the identity's rows as they were before it (links.previous), so undo restores them exactly;
// the engine never changes a row a person decided.
import { AppError } from '../../../shared/contract/errors';
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import type { LinkEngine, LinkRow } from './engine';
import { applyMembership } from './membership';
import { learnFromDecision } from './feedback';
import * as links from '../db/repos/linking/links';

interface Snapshot {
  rows: LinkRow[];
}

export interface DecisionResult {
  identityId: number;
  conversations: number[];
  /** X identities to score again because the decision moved the weights (LinkEngine.rescoreInSlices). */
  rescore?: number[];
}

function rowsOf(db: DB, identityId: number): LinkRow[] {
  return links.linkRowsInOrder(db, identityId);
}

function getRow(db: DB, linkId: number): LinkRow {
  const r = links.linkById(db, linkId);
  if (!r) throw new AppError('not_found', `No link ${linkId}`);
  return r;
}

function checkXIdentity(db: DB, identityId: number): void {
  const r = links.identityKind(db, identityId);
  if (!r) throw new AppError('not_found', `No identity ${identityId}`);
  if (r.kind !== 'x') throw new AppError('invalid_args', `Identity ${identityId} is not an X account; only X accounts are linked to customers`);
  if (r.is_self) throw new AppError('invalid_args', `Identity ${identityId} is the business's own X account`);
}

function snapshot(db: DB, identityId: number): string {
  return JSON.stringify({ rows: rowsOf(db, identityId) } satisfies Snapshot);
}

/** Rows of other customers that a link to `customerId` replaces: engine rows go, a person's link becomes unlinked. */
function clearOthers(db: DB, identityId: number, customerId: number, now: number): void {
  for (const r of rowsOf(db, identityId)) {
    if (r.customer_id === customerId) continue;
    if (r.decided_by === 'engine') links.deleteLink(db, r.id);
    else if (r.state === 'confirmed' || r.state === 'linked') links.markUnlinked(db, r.id, now);
  }
}

/** The other customers the engine offered for the same X identity (what the decided pair competed with). */
function rivalsOf(db: DB, r: LinkRow): number[] {
  return rowsOf(db, r.identity_id)
    .filter((o) => o.customer_id !== r.customer_id && o.decided_by === 'engine' && (o.state === 'suggested' || o.state === 'linked'))
    .map((o) => o.customer_id);
}

export class LinkControl {
  constructor(
    private readonly db: DB,
    private readonly engine: LinkEngine,
    private readonly now: () => number = Date.now,
  ) {}

  private finish(identityId: number, rescore: boolean): DecisionResult {
    const now = this.now();
    const conversations = new Set(applyMembership(this.db, identityId, now));
    if (rescore) for (const c of this.engine.rescoreIdentity(identityId).conversations) conversations.add(c);
    return { identityId, conversations: [...conversations] };
  }

  /** Accept a suggestion or an engine link. */
  confirm(linkId: number): DecisionResult {
    return this.db.transaction(() => {
      const r = getRow(this.db, linkId);
      if (r.state === 'confirmed') return { identityId: r.identity_id, conversations: [] };
      const prev = snapshot(this.db, r.identity_id);
      const now = this.now();
      const others = rivalsOf(this.db, r);
      clearOthers(this.db, r.identity_id, r.customer_id, now);
      links.decideLink(this.db, linkId, 'confirmed', prev, now);
      const done = this.finish(r.identity_id, false);
      // The owner's answer moves the weights of the evidence it carried; waiting suggestions are scored again.
      return { ...done, rescore: learnFromDecision(this.engine, r.identity_id, r.customer_id, others, true) };
    })();
  }

  /** Reject a suggestion or link; the engine may then suggest (or link) someone else. */
  reject(linkId: number): DecisionResult {
    return this.db.transaction(() => {
      const r = getRow(this.db, linkId);
      if (r.state === 'rejected') return { identityId: r.identity_id, conversations: [] };
      const prev = snapshot(this.db, r.identity_id);
      const others = rivalsOf(this.db, r);
      links.decideLink(this.db, linkId, 'rejected', prev, this.now());
      const rescore = learnFromDecision(this.engine, r.identity_id, r.customer_id, others, false);
      return { ...this.finish(r.identity_id, true), rescore };
    })();
  }

  /** Link an X identity to a customer by hand. */
  link(identityId: number, customerId: number): DecisionResult & { linkId: number } {
    return this.db.transaction(() => {
      checkXIdentity(this.db, identityId);
      if (!links.customerHasEmail(this.db, customerId)) throw new AppError('invalid_args', `Customer ${customerId} has no email address to link to`);
      const prev = snapshot(this.db, identityId);
      const now = this.now();
      clearOthers(this.db, identityId, customerId, now);
      const existing = links.linkOfPair(this.db, identityId, customerId);
      let linkId: number;
      if (existing) {
        const ev = parseJson<string[]>(existing.evidence, []);
        if (!ev.includes('linked by hand')) ev.unshift('linked by hand');
        links.confirmByHand(this.db, existing.id, JSON.stringify(ev), prev, now);
        linkId = existing.id;
      } else {
        linkId = links.insertUserLink(this.db, identityId, customerId, JSON.stringify(['linked by hand']), prev, now);
      }
      return { ...this.finish(identityId, false), linkId };
    })();
  }

  /** Unlink an X identity from its linked customer; remembered, so the engine never links them again. */
  unlink(identityId: number): DecisionResult {
    return this.db.transaction(() => {
      checkXIdentity(this.db, identityId);
      const r = links.currentLink(this.db, identityId);
      if (!r) throw new AppError('conflict', `X identity ${identityId} is not linked to a customer`);
      const prev = snapshot(this.db, identityId);
      links.decideLink(this.db, r.id, 'unlinked', prev, this.now());
      return this.finish(identityId, true);
    })();
  }

  /** Undo a person's last decision on a link: the identity's rows return to what they were before it. */
  undo(linkId: number): DecisionResult {
    return this.db.transaction(() => {
      const r = getRow(this.db, linkId);
      if (r.decided_by !== 'user' || !r.previous) throw new AppError('conflict', `Link ${linkId} has no decision to undo`);
      const snap = parseJson<Snapshot | null>(r.previous, null);
      if (!snap || !Array.isArray(snap.rows)) throw new AppError('conflict', `Link ${linkId} has a damaged undo record; nothing was changed`);
      links.replaceLinkRows(this.db, r.identity_id, snap.rows);
      return this.finish(r.identity_id, false);
    })();
  }
}
