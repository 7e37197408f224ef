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
  prep(db, "INSERT INTO links (identity_id, customer_id, state, score, evidence, decided_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'engine', ?, ?)")
    .run(identityId, customerId, state, score, evidence, now, now);
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
  return prepPluck(db, "SELECT DISTINCT identity_id FROM links WHERE decided_by = 'engine' AND state = 'suggested' AND identity_id NOT IN (SELECT identity_id FROM links WHERE state IN ('linked', 'confirmed'))").all() as number[];
}

/** X identities with any row for this customer. */
export function identitiesOfCustomer(db: DB, customerId: number): number[] {
  return prepPluck(db, 'SELECT identity_id FROM links WHERE customer_id = ?').all(customerId) as number[];
}

/** X identities linked or suggested to this customer. */
export function identitiesTiedTo(db: DB, customerId: number): number[] {
  return prepPluck(db, "SELECT DISTINCT identity_id FROM links WHERE customer_id = ? AND state IN ('linked', 'confirmed', 'suggested')").all(customerId) as number[];
}
