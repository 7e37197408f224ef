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
  const c = db.prepare('SELECT id, display_name FROM customers WHERE id = ?').get(id) as
    | { id: number; display_name: string }
    | undefined;
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
  const existing = prep(db, "SELECT * FROM identities WHERE kind = 'email' AND address = ?").get(address) as
    | IdentityRow
    | undefined;
  if (existing) {
    const names = addName(existing.names, name);
    const isSelf = input.isSelf ? 1 : existing.is_self;
    if (names !== existing.names || isSelf !== existing.is_self || (!existing.display_name && name)) {
      prep(db, 'UPDATE identities SET names = ?, is_self = ?, display_name = ?, updated_at = ? WHERE id = ?').run(
        names,
        isSelf,
        existing.display_name || name,
        now,
        existing.id,
      );
      if (!existing.display_name && name) {
        prep(db, "UPDATE customers SET display_name = ?, updated_at = ? WHERE id = ? AND display_name = ''").run(
          name,
          now,
          existing.customer_id,
        );
      }
      return getIdentity(db, existing.id)!;
    }
    return rowToIdentity(existing);
  }
  const customerId = Number(
    prep(db, 'INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)').run(name || address, now, now)
      .lastInsertRowid,
  );
  const id = Number(
    prep(db,
        `INSERT INTO identities (customer_id, kind, address, display_name, names, is_self, created_at, updated_at)
         VALUES (?, 'email', ?, ?, ?, ?, ?, ?)`,
      )
      .run(customerId, address, name, JSON.stringify(name ? [name] : []), input.isSelf ? 1 : 0, now, now).lastInsertRowid,
  );
  return getIdentity(db, id)!;
}

/** The X identity for a user id, created (with its own customer) or updated when the profile changed. */
export function ensureXIdentity(
  db: DB,
  input: { xUserId: string; handle?: string; name?: string; profile?: XProfile | null; isSelf?: boolean; now?: number },
): Identity {
  const now = input.now ?? Date.now();
  const name = (input.name ?? '').trim();
  const existing = db.prepare("SELECT * FROM identities WHERE kind = 'x' AND x_user_id = ?").get(input.xUserId) as
    | IdentityRow
    | undefined;
  const profile = input.profile ? JSON.stringify(input.profile) : null;
  if (existing) {
    const handle = input.handle ?? existing.handle;
    const names = addName(existing.names, name);
    const nextProfile = profile ?? existing.profile;
    const isSelf = input.isSelf ? 1 : existing.is_self;
    const displayName = name || existing.display_name;
    if (
      handle !== existing.handle ||
      names !== existing.names ||
      nextProfile !== existing.profile ||
      isSelf !== existing.is_self ||
      displayName !== existing.display_name
    ) {
      db.prepare(
        'UPDATE identities SET handle = ?, names = ?, profile = ?, is_self = ?, display_name = ?, updated_at = ? WHERE id = ?',
      ).run(handle, names, nextProfile, isSelf, displayName, now, existing.id);
      return getIdentity(db, existing.id)!;
    }
    return rowToIdentity(existing);
  }
  const customerId = Number(
    db
      .prepare('INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)')
      .run(name || (input.handle ? `@${input.handle}` : input.xUserId), now, now).lastInsertRowid,
  );
  const id = Number(
    db
      .prepare(
        `INSERT INTO identities (customer_id, kind, x_user_id, handle, display_name, names, profile, is_self, created_at, updated_at)
         VALUES (?, 'x', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        customerId,
        input.xUserId,
        input.handle ?? null,
        name,
        JSON.stringify(name ? [name] : []),
        profile,
        input.isSelf ? 1 : 0,
        now,
        now,
      ).lastInsertRowid,
  );
  return getIdentity(db, id)!;
}
