// Where an X identity belongs (linking/membership.ts decides): its customer, its former X-only
// customer ("home", link_homes and link_meta home:<id>) and its X conversations. Statements
// prepared once per database.
import type { DB } from '../../open';
import { prep, prepPluck } from '../../stmt';

export interface CustomerRowSaved {
  id: number;
  display_name: string;
  created_at: number;
  updated_at: number;
}

export function xIdentityRow(db: DB, identityId: number): { id: number; customer_id: number; x_user_id: string } | undefined {
  return prep(db, "SELECT id, customer_id, x_user_id FROM identities WHERE id = ? AND kind = 'x'").get(identityId) as { id: number; customer_id: number; x_user_id: string } | undefined;
}

/** The customer an X identity is linked to: a confirmation first, a person's decision, the newest. */
export function linkedCustomer(db: DB, identityId: number): number | undefined {
  return prepPluck(
    db,
    "SELECT customer_id FROM links WHERE identity_id = ? AND state IN ('confirmed', 'linked') ORDER BY state = 'confirmed' DESC, decided_by = 'user' DESC, updated_at DESC LIMIT 1",
  ).get(identityId) as number | undefined;
}

export function homeOf(db: DB, identityId: number): number | undefined {
  return prepPluck(db, 'SELECT home_customer_id FROM link_homes WHERE identity_id = ?').get(identityId) as number | undefined;
}

export function insertHome(db: DB, identityId: number, homeCustomerId: number): void {
  prep(db, 'INSERT INTO link_homes (identity_id, home_customer_id) VALUES (?, ?)').run(identityId, homeCustomerId);
}

export function setHome(db: DB, identityId: number, homeCustomerId: number): void {
  prep(db, 'UPDATE link_homes SET home_customer_id = ? WHERE identity_id = ?').run(homeCustomerId, identityId);
}

/** Move an identity and these conversations of it into another customer. */
export function moveIdentity(db: DB, identityId: number, customerId: number, conversationIds: readonly number[], now: number): void {
  prep(db, 'UPDATE identities SET customer_id = ? WHERE id = ?').run(customerId, identityId);
  const upd = prep(db, 'UPDATE conversations SET customer_id = ?, updated_at = ? WHERE id = ?');
  for (const c of conversationIds) upd.run(customerId, now, c);
}

/** Homes of linked X identities whose customer still exists though the identity left it. */
export function occupiedHomesOfLinked(db: DB): { identity_id: number; home_customer_id: number }[] {
  return prep(
    db,
    `SELECT h.identity_id, h.home_customer_id FROM link_homes h JOIN identities i ON i.id = h.identity_id
     WHERE i.customer_id != h.home_customer_id AND EXISTS (SELECT 1 FROM customers c WHERE c.id = h.home_customer_id)
       AND EXISTS (SELECT 1 FROM links l WHERE l.identity_id = h.identity_id AND l.state IN ('linked', 'confirmed'))`,
  ).all() as { identity_id: number; home_customer_id: number }[];
}

export function customerRow(db: DB, customerId: number): CustomerRowSaved | undefined {
  return prep(db, 'SELECT id, display_name, created_at, updated_at FROM customers WHERE id = ?').get(customerId) as CustomerRowSaved | undefined;
}

/** Whether an identity, a conversation or a link still refers to a customer. */
export function customerInUse(db: DB, customerId: number): boolean {
  return !!prepPluck(
    db,
    `SELECT EXISTS (SELECT 1 FROM identities WHERE customer_id = @id) OR EXISTS (SELECT 1 FROM conversations WHERE customer_id = @id)
       OR EXISTS (SELECT 1 FROM links WHERE customer_id = @id)`,
  ).get({ id: customerId });
}

export function deleteCustomer(db: DB, customerId: number): void {
  prep(db, 'DELETE FROM customers WHERE id = ?').run(customerId);
}

/** Insert a customer (with this id when given); returns its id. */
export function insertCustomer(db: DB, id: number | null, displayName: string, createdAt: number, updatedAt: number): number {
  return Number(prep(db, 'INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, displayName, createdAt, updatedAt).lastInsertRowid);
}

/** The name an X identity's own customer goes by: its display name, else @handle, else its X id. */
export function xIdentityName(db: DB, identityId: number): string {
  return prepPluck(db, "SELECT coalesce(nullif(display_name, ''), '@' || handle, x_user_id) FROM identities WHERE id = ?").get(identityId) as string;
}

/** The X conversations an X identity takes part in as the customer (among its current customer's). */
export function xConversationsOf(db: DB, identityId: number, xUserId: string, customerId: number): number[] {
  return prepPluck(
    db,
    `SELECT id FROM conversations WHERE customer_id = ? AND channel = 'x' AND (
       id IN (SELECT conversation_id FROM messages WHERE author_identity_id = ?)
       OR (kind = 'dm' AND ('-' || external_id || '-') LIKE ?))`,
  ).all(customerId, identityId, `%-${xUserId}-%`) as number[];
}
