// Link decisions in team mode (issue 17): the owner's confirm, reject, link and unlink go to the
// team log (team/service.ts recordLinkDecision, keyed by the X account's X user id and the
// customer's address, which every teammate's copy shares), and the decisions teammates made are
// applied here as if made on this copy, without being sent back. Undo stays local (it restores this
// copy's own earlier rows); what it restores is sent as the decision it amounts to.
import type { CoreContext } from '../context';
import * as links from '../db/repos/linking/links';
import * as team from '../db/repos/linking/team-links';
import type { DecisionResult } from './control';
import { primaryEmailOf } from './view';

export type TeamLinkDecision = 'confirm' | 'reject' | 'undo' | 'link' | 'unlink';

/** Send this copy's decision on an X identity to the team log (a no-op with team mode off). */
export function shareDecision(ctx: CoreContext, identityId: number, decision: TeamLinkDecision, customerId: number | null): void {
  const xUserId = team.xUserIdOf(ctx.db, identityId);
  if (!xUserId) return;
  ctx.team.recordLinkDecision(`x-user:${xUserId}`, decision, customerId === null ? null : primaryEmailOf(ctx.db, customerId) || null);
}

/** After an undo: the decision the identity's rows now amount to (its person's link, else none). */
export function shareUndo(ctx: CoreContext, identityId: number): void {
  const cur = links.currentLink(ctx.db, identityId);
  if (cur && cur.decided_by === 'user') shareDecision(ctx, identityId, 'confirm', cur.customer_id);
  else shareDecision(ctx, identityId, 'unlink', null);
}

/**
 * Apply a teammate's decision (the winner for that X account in the log) on this copy. Returns the
 * result to announce, or null when this copy has not got the X account or the customer, or the
 * decision is already so.
 */
export function applyTeamDecision(ctx: CoreContext, d: { xUserId: string; decision: TeamLinkDecision; customer: string | null }): DecisionResult | null {
  const identityId = team.xIdentityByUserId(ctx.db, d.xUserId);
  if (identityId === undefined) return null;
  const control = ctx.linking.control;
  if (d.decision === 'unlink') {
    const cur = links.currentLink(ctx.db, identityId);
    return cur ? control.unlink(identityId) : null;
  }
  if (d.decision === 'undo' || !d.customer) return null;
  const customerId = team.customerByEmail(ctx.db, d.customer);
  if (customerId === undefined) return null;
  const row = links.linkOfPair(ctx.db, identityId, customerId);
  if (d.decision === 'reject') {
    if (!row || row.state === 'rejected') return null;
    return control.reject(row.id);
  }
  // confirm or link: the pair becomes this identity's link by a person.
  if (row && row.state === 'confirmed') return null;
  if (row && row.state !== 'rejected' && row.state !== 'unlinked') return control.confirm(row.id);
  return control.link(identityId, customerId);
}
