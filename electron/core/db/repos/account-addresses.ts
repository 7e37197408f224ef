// The business's own email addresses: what the owner gave (an account's address, its login when
// that is an address, its aliases) and what Canary learned from the account's mail
// (account_addresses, email/self-learn.ts). Mail from any of them is the business's, and none of
// them is ever a customer.
import type { DB } from '../open';
import { prep } from '../stmt';

export type AddressSource = 'account' | 'login' | 'alias' | 'inferred';

export interface AccountAddress {
  address: string;
  source: AddressSource;
  /** For inferred addresses: why, in words. */
  reason: string;
  /** False for an inferred address the owner dismissed. */
  active: boolean;
}

interface AccountRow {
  id: number;
  address: string | null;
  config: string;
}

function given(row: AccountRow): AccountAddress[] {
  const out: AccountAddress[] = [];
  const seen = new Set<string>();
  const add = (a: string | null | undefined, source: AddressSource) => {
    const v = (a ?? '').trim().toLowerCase();
    if (!v.includes('@') || seen.has(v)) return;
    seen.add(v);
    out.push({ address: v, source, reason: '', active: true });
  };
  add(row.address, 'account');
  let cfg: { user?: string; aliases?: string[] } = {};
  try {
    cfg = JSON.parse(row.config) as typeof cfg;
  } catch {
    // a broken config has no aliases
  }
  add(cfg.user, 'login');
  for (const a of cfg.aliases ?? []) add(a, 'alias');
  return out;
}

/** Every address of one email account, given ones first, then learned ones (dismissed ones included, marked). */
export function accountAddresses(db: DB, accountId: number): AccountAddress[] {
  const row = prep(db, "SELECT id, address, config FROM accounts WHERE id = ? AND channel = 'email'").get(accountId) as AccountRow | undefined;
  if (!row) return [];
  const out = given(row);
  const have = new Set(out.map((a) => a.address));
  const learned = prep(db, 'SELECT address, reason, active FROM account_addresses WHERE account_id = ? ORDER BY created_at, address').all(accountId) as {
    address: string;
    reason: string;
    active: number;
  }[];
  for (const l of learned) if (!have.has(l.address)) out.push({ address: l.address, source: 'inferred', reason: l.reason, active: l.active === 1 });
  return out;
}

/** The active addresses of one account (given and learned). */
export function activeAccountAddresses(db: DB, accountId: number): string[] {
  return accountAddresses(db, accountId)
    .filter((a) => a.active)
    .map((a) => a.address);
}

/** Every active address of every email account, and every email identity already marked the business's. */
export function allSelfAddresses(db: DB): Set<string> {
  const out = new Set<string>();
  for (const r of prep(db, "SELECT id, address, config FROM accounts WHERE channel = 'email'").all() as AccountRow[]) {
    for (const a of given(r)) out.add(a.address);
  }
  for (const r of prep(db, 'SELECT address FROM account_addresses WHERE active = 1').all() as { address: string }[]) out.add(r.address);
  for (const r of prep(db, "SELECT address FROM identities WHERE kind = 'email' AND is_self = 1").all() as { address: string }[]) {
    if (r.address) out.add(r.address.trim().toLowerCase());
  }
  return out;
}

/** Record learned addresses; one already known (learned, dismissed or given) is left as it is. Returns the new ones. */
export function addLearnedAddresses(db: DB, accountId: number, found: { address: string; reason: string }[], now: number): string[] {
  const known = new Set(accountAddresses(db, accountId).map((a) => a.address));
  const ins = prep(
    db,
    `INSERT INTO account_addresses (account_id, address, reason, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)
     ON CONFLICT (account_id, address) DO NOTHING`,
  );
  const added: string[] = [];
  for (const f of found) {
    const a = f.address.trim().toLowerCase();
    if (!a.includes('@') || known.has(a)) continue;
    if (ins.run(accountId, a, f.reason, now, now).changes) added.push(a);
    known.add(a);
  }
  return added;
}

/** The owner's word on a learned address: still the business's (active) or not. */
export function setLearnedAddressActive(db: DB, accountId: number, address: string, active: boolean, now: number): boolean {
  return (
    prep(db, 'UPDATE account_addresses SET active = ?, updated_at = ? WHERE account_id = ? AND address = ? AND active != ?').run(
      active ? 1 : 0,
      now,
      accountId,
      address.trim().toLowerCase(),
      active ? 1 : 0,
    ).changes > 0
  );
}

/** Forget that an address was learned or dismissed (it was made an alias, or the owner removed it). */
export function forgetLearnedAddress(db: DB, accountId: number, address: string): void {
  prep(db, 'DELETE FROM account_addresses WHERE account_id = ? AND address = ?').run(accountId, address.trim().toLowerCase());
}
