// Membership: an X identity linked to an email customer lives in that customer (with its X
// conversations); unlinked, it goes back to its own X-only customer ("home"), which a link leaves
// empty and removes, remembering it so that unlink or undo brings it back as it was.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import { deleteMeta, getMeta, setMeta } from '../db/repos/linking/link-index';
import { customerExists } from '../db/repos/linking/links';
import * as m from '../db/repos/linking/membership';
import { markEscalations } from './escalation';

export { xConversationsOf } from '../db/repos/linking/membership';

/**
 * Put an X identity (and its X conversations) into the customer it is linked to, or back into its
 * own customer when it is not linked; then refresh its escalations. Returns conversations changed.
 */
export function applyMembership(db: DB, identityId: number, now: number): number[] {
  const ident = m.xIdentityRow(db, identityId);
  if (!ident) return [];
  const linked = m.linkedCustomer(db, identityId);
  const home = m.homeOf(db, identityId);
  let target: number;
  if (linked !== undefined) target = linked;
  else if (home !== undefined) target = restoreHome(db, identityId, home, now);
  else target = ident.customer_id;
  const changed: number[] = [];
  if (target !== ident.customer_id) {
    if (home === undefined) m.insertHome(db, identityId, ident.customer_id);
    const convs = m.xConversationsOf(db, identityId, ident.x_user_id, ident.customer_id);
    m.moveIdentity(db, identityId, target, convs, now);
    changed.push(...convs);
  }
  // The X-only customer the identity came from, left empty by the link, goes (kept for unlink/undo).
  if (linked !== undefined) {
    const h = home ?? (target !== ident.customer_id ? ident.customer_id : undefined);
    if (h !== undefined && h !== target) removeEmptyHome(db, identityId, h);
  }
  for (const c of markEscalations(db, identityId, now)) if (!changed.includes(c)) changed.push(c);
  return changed;
}

const homeKey = (identityId: number) => `home:${identityId}`;

/**
 * Remove every emptied X-only customer of a linked X identity (databases linked before they were
 * removed at link time). Returns the ids of the customers that went.
 */
export function removeEmptyHomes(db: DB): number[] {
  const rows = m.occupiedHomesOfLinked(db);
  const gone: number[] = [];
  db.transaction(() => {
    for (const r of rows) {
      removeEmptyHome(db, r.identity_id, r.home_customer_id);
      if (!customerExists(db, r.home_customer_id)) gone.push(r.home_customer_id);
    }
  })();
  return gone;
}

/**
 * Delete an X identity's former customer once nothing is left in it (no identity, conversation or
 * link), remembering its row so that unlink or undo brings it back as it was.
 */
function removeEmptyHome(db: DB, identityId: number, homeId: number): void {
  const row = m.customerRow(db, homeId);
  if (!row) return;
  if (m.customerInUse(db, homeId)) return;
  setMeta(db, homeKey(identityId), JSON.stringify(row));
  m.deleteCustomer(db, homeId);
}

/**
 * The customer an X identity returns to when it is no longer linked: its former customer, brought
 * back with the same id, name and times when it was removed (a new id only if that one was taken).
 */
function restoreHome(db: DB, identityId: number, homeId: number, now: number): number {
  if (customerExists(db, homeId)) return homeId;
  const saved = parseJson<m.CustomerRowSaved | null>(getMeta(db, homeKey(identityId)), null);
  const name = saved?.display_name ?? m.xIdentityName(db, identityId);
  const id = m.insertCustomer(db, saved?.id === homeId ? homeId : null, name, saved?.created_at ?? now, saved?.updated_at ?? now);
  deleteMeta(db, homeKey(identityId));
  if (id !== homeId) m.setHome(db, identityId, id);
  return id;
}
