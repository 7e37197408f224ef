// What team mode's link decisions need of the database: an X identity by its X user id (the same on
// every teammate's copy), a customer by one of their addresses, and the reverse.
import { prepReadPluck, type ReadDB } from '../../stmt';

/** The X user id of an X identity, or undefined. */
export function xUserIdOf(db: ReadDB, identityId: number): string | undefined {
  return prepReadPluck(db, "SELECT x_user_id FROM identities WHERE id = ? AND kind = 'x'").get(identityId) as string | undefined;
}

/** The (not the business's own) X identity with this X user id, or undefined. */
export function xIdentityByUserId(db: ReadDB, xUserId: string): number | undefined {
  return prepReadPluck(db, "SELECT id FROM identities WHERE kind = 'x' AND x_user_id = ? AND is_self = 0").get(xUserId) as number | undefined;
}

/** The customer an email address belongs to (a customer's, not the business's), or undefined. */
export function customerByEmail(db: ReadDB, address: string): number | undefined {
  return prepReadPluck(db, "SELECT customer_id FROM identities WHERE kind = 'email' AND address = ? AND is_self = 0").get(address.toLowerCase()) as number | undefined;
}
