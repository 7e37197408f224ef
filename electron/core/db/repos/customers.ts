import type { DB } from '../open';
import { prep } from '../stmt';
import type { Customer, Identity, XProfile } from '../../../../shared/domain/types';
import { parseJson } from '../json';

export interface IdentityRow {
  id: number;
  customer_id: number;
  kind: 'email' | 'x';
  address: string | null;
  x_user_id: string | null;
  handle: string | null;
  display_name: string;
  names: string;
  profile: string | null;
  is_self: number;
  /** X: when handle, display name and profile were last observed changed (migration 0305). */
  profile_seen_at: number | null;
}

export function rowToIdentity(r: IdentityRow): Identity {
  return {
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind,
    address: r.address,
    xUserId: r.x_user_id,
    handle: r.handle,
    displayName: r.display_name,
    names: parseJson<string[]>(r.names, []),
    profile: parseJson<XProfile | null>(r.profile, null),
    isSelf: r.is_self === 1,
  };
}

export function getIdentity(db: DB, id: number): Identity | null {
  const r = prep(db, 'SELECT * FROM identities WHERE id = ?').get(id) as IdentityRow | undefined;
  return r ? rowToIdentity(r) : null;
}

export function getCustomer(db: DB, id: number): Customer | null {
  const c = db.prepare('SELECT id, display_name FROM customers WHERE id = ?').get(id) as { id: number; display_name: string } | undefined;
  if (!c) return null;
  const ids = db.prepare('SELECT * FROM identities WHERE customer_id = ? ORDER BY kind, id').all(id) as IdentityRow[];
  return { id: c.id, displayName: c.display_name, identities: ids.map(rowToIdentity) };
}

function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

function addName(namesJson: string, name: string): string {
  const names = parseJson<string[]>(namesJson, []);
  if (name && !names.includes(name)) names.push(name);
  return JSON.stringify(names);
}

/**
 * The email identity for an address, created with a customer of its own on first sight.
 * Every display name seen is kept. `isSelf` marks the business's own addresses, which never
 * become customers of their own in the queue.
 */
export function ensureEmailIdentity(db: DB, input: { address: string; name?: string; isSelf?: boolean; now?: number }): Identity {
  const address = normalizeAddress(input.address);
  const name = (input.name ?? '').trim();
  const now = input.now ?? Date.now();
  const existing = prep(db, "SELECT * FROM identities WHERE kind = 'email' AND address = ?").get(address) as IdentityRow | undefined;
  if (existing) {
    const names = addName(existing.names, name);
    const isSelf = input.isSelf ? 1 : existing.is_self;
    if (names !== existing.names || isSelf !== existing.is_self || (!existing.display_name && name)) {
      prep(db, 'UPDATE identities SET names = ?, is_self = ?, display_name = ?, updated_at = ? WHERE id = ?').run(names, isSelf, existing.display_name || name, now, existing.id);
      if (!existing.display_name && name) {
        prep(db, "UPDATE customers SET display_name = ?, updated_at = ? WHERE id = ? AND display_name = ''").run(name, now, existing.customer_id);
      }
      return getIdentity(db, existing.id)!;
    }
    return rowToIdentity(existing);
  }
  const customerId = Number(prep(db, 'INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)').run(name || address, now, now).lastInsertRowid);
  const id = Number(
    prep(
      db,
      `INSERT INTO identities (customer_id, kind, address, display_name, names, is_self, created_at, updated_at)
         VALUES (?, 'email', ?, ?, ?, ?, ?, ?)`,
    ).run(customerId, address, name, JSON.stringify(name ? [name] : []), input.isSelf ? 1 : 0, now, now).lastInsertRowid,
  );
  return getIdentity(db, id)!;
}

/** An observation of an X user: what the API said and when it was true (default: now). */
export interface XIdentityInput {
  xUserId: string;
  handle?: string;
  name?: string;
  profile?: XProfile | null;
  isSelf?: boolean;
  now?: number;
  /** When the user object was true; an imported file's is older than a live sync's (see m0305). */
  seenAt?: number;
}

/**
 * Whether an observation is older than what the row holds: then it may add a name to the
 * identity's names (linking uses every name seen) but must not replace the handle, display name
 * or profile.
 */
export function staleObservation(row: Pick<IdentityRow, 'profile_seen_at'>, seenAt: number): boolean {
  return row.profile_seen_at != null && seenAt < row.profile_seen_at;
}

/**
 * The stored profile with the fields it lacks taken from an older observation (a field missing
 * from a user object means it was not asked for, not that it is empty), as JSON; stored fields win.
 */
export function fillProfile(stored: string | null, older: XProfile | null | undefined): string | null {
  if (!older) return stored;
  const base = parseJson<XProfile>(stored, {});
  const missing = Object.entries(older).filter(([k, v]) => v !== undefined && !(k in base));
  if (!missing.length) return stored;
  return JSON.stringify({ ...base, ...Object.fromEntries(missing) });
}

/** The X identity for a user id, created (with its own customer) or updated when the profile changed. */
export function ensureXIdentity(db: DB, input: XIdentityInput): Identity {
  const now = input.now ?? Date.now();
  const seenAt = input.seenAt ?? now;
  const name = (input.name ?? '').trim();
  const existing = db.prepare("SELECT * FROM identities WHERE kind = 'x' AND x_user_id = ?").get(input.xUserId) as IdentityRow | undefined;
  const profile = input.profile ? JSON.stringify(input.profile) : null;
  if (existing) {
    const stale = staleObservation(existing, seenAt);
    const handle = stale ? existing.handle : (input.handle ?? existing.handle);
    const names = addName(existing.names, name);
    const nextProfile = stale ? fillProfile(existing.profile, input.profile) : (profile ?? existing.profile);
    const isSelf = input.isSelf ? 1 : existing.is_self;
    const displayName = stale ? existing.display_name : name || existing.display_name;
    const current = handle !== existing.handle || nextProfile !== existing.profile || displayName !== existing.display_name;
    // The observation time moves when the current fields change (or was never recorded).
    const profileSeenAt = !stale && (current || existing.profile_seen_at == null) ? seenAt : existing.profile_seen_at;
    if (current || names !== existing.names || isSelf !== existing.is_self || profileSeenAt !== existing.profile_seen_at) {
      db.prepare('UPDATE identities SET handle = ?, names = ?, profile = ?, is_self = ?, display_name = ?, profile_seen_at = ?, updated_at = ? WHERE id = ?').run(
        handle,
        names,
        nextProfile,
        isSelf,
        displayName,
        profileSeenAt,
        now,
        existing.id,
      );
      return getIdentity(db, existing.id)!;
    }
    return rowToIdentity(existing);
  }
  const customerId = Number(
    db.prepare('INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)').run(name || (input.handle ? `@${input.handle}` : input.xUserId), now, now).lastInsertRowid,
  );
  const id = Number(
    db
      .prepare(
        `INSERT INTO identities (customer_id, kind, x_user_id, handle, display_name, names, profile, is_self, profile_seen_at, created_at, updated_at)
         VALUES (?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(customerId, input.xUserId, input.handle ?? null, name, JSON.stringify(name ? [name] : []), profile, input.isSelf ? 1 : 0, seenAt, now, now).lastInsertRowid,
  );
  return getIdentity(db, id)!;
}
