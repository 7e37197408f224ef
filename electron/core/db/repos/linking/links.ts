// The `links` table as the linking engine uses it: an X identity's rows, the engine's own rows
// replaced by a new decision (a person's rows are never touched here), statements prepared once.
import type { DB } from '../../open';
import { prep, prepPluck } from '../../stmt';

export interface LinkRow {
  id: number;
  identity_id: number;
  customer_id: number;
  state: 'suggested' | 'linked' | 'confirmed' | 'rejected' | 'unlinked';
  score: number;
  evidence: string;
  decided_by: 'engine' | 'user';
  previous: string | null;
  created_at: number;
  updated_at: number;
}

export function linkRowsOf(db: DB, identityId: number): LinkRow[] {
  return prep(db, 'SELECT * FROM links WHERE identity_id = ?').all(identityId) as LinkRow[];
}

export function deleteLink(db: DB, id: number): void {
  prep(db, 'DELETE FROM links WHERE id = ?').run(id);
}

export function updateEngineLink(db: DB, id: number, state: 'linked' | 'suggested', score: number, evidence: string, now: number): void {
  prep(db, 'UPDATE links SET state = ?, score = ?, evidence = ?, updated_at = ? WHERE id = ?').run(state, score, evidence, now, id);
}

export function insertEngineLink(db: DB, identityId: number, customerId: number, state: 'linked' | 'suggested', score: number, evidence: string, now: number): void {
  prep(db, "INSERT INTO links (identity_id, customer_id, state, score, evidence, decided_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'engine', ?, ?)").run(
    identityId,
    customerId,
    state,
    score,
    evidence,
    now,
    now,
  );
}

export function customerExists(db: DB, customerId: number): boolean {
  return prep(db, 'SELECT 1 FROM customers WHERE id = ?').get(customerId) !== undefined;
}

/** Whether another X identity is linked (by the engine or a person) to this customer. */
export function customerLinkedToOther(db: DB, customerId: number, identityId: number): boolean {
  return prep(db, "SELECT 1 FROM links WHERE customer_id = ? AND identity_id != ? AND state IN ('linked', 'confirmed')").get(customerId, identityId) !== undefined;
}

/** Customers a person linked an X identity to. */
export function customersLinkedByUser(db: DB): number[] {
  return prepPluck(db, "SELECT customer_id FROM links WHERE decided_by = 'user' AND state IN ('linked', 'confirmed')").all() as number[];
}

/** X identities with the engine's suggestions and no link. */
export function identitiesOnlySuggested(db: DB): number[] {
  return prepPluck(
    db,
    "SELECT DISTINCT identity_id FROM links WHERE decided_by = 'engine' AND state = 'suggested' AND identity_id NOT IN (SELECT identity_id FROM links WHERE state IN ('linked', 'confirmed'))",
  ).all() as number[];
}

/** X identities with any row for this customer. */
export function identitiesOfCustomer(db: DB, customerId: number): number[] {
  return prepPluck(db, 'SELECT identity_id FROM links WHERE customer_id = ?').all(customerId) as number[];
}

/** X identities linked or suggested to this customer. */
export function identitiesTiedTo(db: DB, customerId: number): number[] {
  return prepPluck(db, "SELECT DISTINCT identity_id FROM links WHERE customer_id = ? AND state IN ('linked', 'confirmed', 'suggested')").all(customerId) as number[];
}

// ---- a person's decisions (linking/control.ts) ------------------------------------------------

/** An identity's rows in id order (the undo record of a decision). */
export function linkRowsInOrder(db: DB, identityId: number): LinkRow[] {
  return prep(db, 'SELECT * FROM links WHERE identity_id = ? ORDER BY id').all(identityId) as LinkRow[];
}

export function linkById(db: DB, linkId: number): LinkRow | undefined {
  return prep(db, 'SELECT * FROM links WHERE id = ?').get(linkId) as LinkRow | undefined;
}

export function linkOfPair(db: DB, identityId: number, customerId: number): LinkRow | undefined {
  return prep(db, 'SELECT * FROM links WHERE identity_id = ? AND customer_id = ?').get(identityId, customerId) as LinkRow | undefined;
}

/** The identity's link: a confirmed one first. */
export function currentLink(db: DB, identityId: number): LinkRow | undefined {
  return prep(db, "SELECT * FROM links WHERE identity_id = ? AND state IN ('confirmed', 'linked') ORDER BY state = 'confirmed' DESC LIMIT 1").get(identityId) as LinkRow | undefined;
}

export function identityKind(db: DB, identityId: number): { kind: string; is_self: number } | undefined {
  return prep(db, 'SELECT kind, is_self FROM identities WHERE id = ?').get(identityId) as { kind: string; is_self: number } | undefined;
}

/** Whether a customer has an email address of a customer (not the business's own). */
export function customerHasEmail(db: DB, customerId: number): boolean {
  return prep(db, "SELECT 1 FROM identities WHERE customer_id = ? AND kind = 'email' AND is_self = 0").get(customerId) !== undefined;
}

/** A person's link that another link replaced. */
export function markUnlinked(db: DB, linkId: number, now: number): void {
  prep(db, "UPDATE links SET state = 'unlinked', updated_at = ? WHERE id = ?").run(now, linkId);
}

/** Record a person's decision on a row, with the identity's rows before it (for undo). */
export function decideLink(db: DB, linkId: number, state: 'confirmed' | 'rejected' | 'unlinked', previous: string, now: number): void {
  prep(db, `UPDATE links SET state = '${state}', decided_by = 'user', previous = ?, updated_at = ? WHERE id = ?`).run(previous, now, linkId);
}

/** Confirm an existing row by hand, with its evidence. */
export function confirmByHand(db: DB, linkId: number, evidence: string, previous: string, now: number): void {
  prep(db, "UPDATE links SET state = 'confirmed', decided_by = 'user', evidence = ?, previous = ?, updated_at = ? WHERE id = ?").run(evidence, previous, now, linkId);
}

/** A person's new link; returns its id. */
export function insertUserLink(db: DB, identityId: number, customerId: number, evidence: string, previous: string, now: number): number {
  return Number(
    prep(db, "INSERT INTO links (identity_id, customer_id, state, score, evidence, decided_by, previous, created_at, updated_at) VALUES (?, ?, 'confirmed', 1, ?, 'user', ?, ?, ?)").run(
      identityId,
      customerId,
      evidence,
      previous,
      now,
      now,
    ).lastInsertRowid,
  );
}

/** Put an identity's rows back as they were (undo). */
export function replaceLinkRows(db: DB, identityId: number, rows: readonly LinkRow[]): void {
  prep(db, 'DELETE FROM links WHERE identity_id = ?').run(identityId);
  const ins = prep(
    db,
    'INSERT INTO links (id, identity_id, customer_id, state, score, evidence, decided_by, previous, created_at, updated_at) VALUES (@id, @identity_id, @customer_id, @state, @score, @evidence, @decided_by, @previous, @created_at, @updated_at)',
  );
  for (const row of rows) ins.run(row);
}

// ---- reading links for the UI and the CLI (linking/view.ts) -----------------------------------

/** An identity's rows, best score first. */
export function linkRowsByScore(db: DB, identityId: number): LinkRow[] {
  return prep(db, 'SELECT * FROM links WHERE identity_id = ? ORDER BY score DESC, id').all(identityId) as LinkRow[];
}

/** The main address the customer's profile found, if indexed. */
export function profilePrimaryEmail(db: DB, customerId: number): string | null | undefined {
  return prepPluck(db, "SELECT json_extract(profile, '$.primaryEmail') FROM link_profiles WHERE customer_id = ?").get(customerId) as string | null | undefined;
}

/** A customer's first email address (not the business's). */
export function firstEmailOf(db: DB, customerId: number): string | undefined {
  return prepPluck(db, "SELECT address FROM identities WHERE customer_id = ? AND kind = 'email' AND is_self = 0 ORDER BY id LIMIT 1").get(customerId) as string | undefined;
}

export interface XAccountRow {
  id: number;
  x_user_id: string;
  handle: string | null;
  display_name: string;
  customer_id: number | null;
}

const X_COLS = 'id, x_user_id, handle, display_name, customer_id';

/** X accounts seen (not the business's own): one, those linked or suggested to a customer, or all; by handle. */
export function xAccounts(db: DB, opts: { identityId?: number; customerId?: number }): XAccountRow[] {
  return (
    opts.identityId
      ? prep(db, `SELECT ${X_COLS} FROM identities WHERE kind = 'x' AND is_self = 0 AND id = ?`).all(opts.identityId)
      : opts.customerId
        ? prep(
            db,
            `SELECT ${X_COLS} FROM identities WHERE kind = 'x' AND is_self = 0 AND id IN
               (SELECT identity_id FROM links WHERE customer_id = ? AND state IN ('suggested', 'linked', 'confirmed'))
             ORDER BY lower(coalesce(handle, x_user_id)), id`,
          ).all(opts.customerId)
        : prep(db, `SELECT ${X_COLS} FROM identities WHERE kind = 'x' AND is_self = 0 ORDER BY lower(coalesce(handle, x_user_id)), id`).all()
  ) as XAccountRow[];
}
