// The linking index tables (migrations: link_profiles, link_keys, link_df, link_xkeys, link_xstate,
// link_meta): the operations the linking engine runs on them, statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepPluck } from '../../stmt';

/** Keys kept only as frequencies (link_df), not as index rows (link_keys). */
export const DF_ONLY = /^w:/;

// ---- link_meta ---------------------------------------------------------------------------------

export function getMeta(db: DB, key: string): string | undefined {
  return prepPluck(db, 'SELECT value FROM link_meta WHERE key = ?').get(key) as string | undefined;
}

export function setMeta(db: DB, key: string, value: string): void {
  prep(db, 'INSERT INTO link_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteMeta(db: DB, key: string): void {
  prep(db, 'DELETE FROM link_meta WHERE key = ?').run(key);
}

// ---- customer profiles and keys ---------------------------------------------------------------

export function storedProfile(db: DB, customerId: number): { profile: string; keys: string } | undefined {
  return prep(db, 'SELECT profile, keys FROM link_profiles WHERE customer_id = ?').get(customerId) as { profile: string; keys: string } | undefined;
}

export function storedProfileIds(db: DB): number[] {
  return prepPluck(db, 'SELECT customer_id FROM link_profiles').all() as number[];
}

export function upsertProfile(db: DB, customerId: number, profile: string, keys: string, now: number): void {
  prep(
    db,
    'INSERT INTO link_profiles (customer_id, profile, keys, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(customer_id) DO UPDATE SET profile = excluded.profile, keys = excluded.keys, updated_at = excluded.updated_at',
  ).run(customerId, profile, keys, now);
}

export function deleteProfile(db: DB, customerId: number): void {
  prep(db, 'DELETE FROM link_profiles WHERE customer_id = ?').run(customerId);
}

/** A story key more customers share than STORY_ROWS_CAP: a full build kept only its frequency, and so do changes. */
function storyBeyondRows(db: DB, key: string): boolean {
  return key.startsWith('s:') && (keyFrequency(db, key) ?? 0) > STORY_ROWS_CAP;
}

/** Remove a customer's key (its index row unless frequency-only) and count it down in link_df. */
export function removeCustomerKey(db: DB, key: string, customerId: number): void {
  if (DF_ONLY.test(key) || prep(db, 'DELETE FROM link_keys WHERE key = ? AND customer_id = ?').run(key, customerId).changes || storyBeyondRows(db, key)) {
    prep(db, 'UPDATE link_df SET n = n - 1 WHERE key = ?').run(key);
    prep(db, 'DELETE FROM link_df WHERE key = ? AND n <= 0').run(key);
  }
}

/** Add a customer's key (its index row unless frequency-only) and count it up in link_df. */
export function addCustomerKey(db: DB, key: string, customerId: number): void {
  if (DF_ONLY.test(key) || storyBeyondRows(db, key) || prep(db, 'INSERT OR IGNORE INTO link_keys (key, customer_id) VALUES (?, ?)').run(key, customerId).changes) {
    prep(db, 'INSERT INTO link_df (key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1').run(key);
  }
}

/**
 * A story key (linking/story.ts) shared by more customers than this finds no candidates (they would
 * tie): a full build keeps only its frequency, which the story's weight reads.
 */
export const STORY_ROWS_CAP = 40;

/** Rows a KeyRowWriter statement inserts at once (two parameters each). */
const ROWS_PER_INSERT = 128;
const multiInsert = (table: string, cols: string) => `INSERT INTO ${table} (${cols}) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?)').join(', ')}`;
const DF_MANY = multiInsert('link_df', 'key, n');
const KEYS_MANY = multiInsert('link_keys', 'key, customer_id');

/**
 * During a full build: each key's frequency (link_df) and, unless frequency-only, its customers
 * (link_keys), added in key order and inserted ROWS_PER_INSERT rows to a statement (a million key
 * rows one statement each were ~1.3 s CPU of the 100,000-customer re-link, ~0.7 s so). Call flush()
 * before the rows are read and at the end.
 */
export class KeyRowWriter {
  private df: (string | number)[] = [];
  private rows: (string | number)[] = [];
  constructor(private readonly db: DB) {}
  add(key: string, customerIds: readonly number[]): void {
    this.df.push(key, customerIds.length);
    if (this.df.length === 2 * ROWS_PER_INSERT) this.write(this.df, DF_MANY, 'INSERT INTO link_df (key, n) VALUES (?, ?)');
    // Topic words only need their frequency: they never find candidates; nor do stories most customers share.
    if (DF_ONLY.test(key) || (key.startsWith('s:') && customerIds.length > STORY_ROWS_CAP)) return;
    for (const id of customerIds) {
      this.rows.push(key, id);
      if (this.rows.length === 2 * ROWS_PER_INSERT) this.write(this.rows, KEYS_MANY, 'INSERT INTO link_keys (key, customer_id) VALUES (?, ?)');
    }
  }
  flush(): void {
    this.write(this.df, DF_MANY, 'INSERT INTO link_df (key, n) VALUES (?, ?)');
    this.write(this.rows, KEYS_MANY, 'INSERT INTO link_keys (key, customer_id) VALUES (?, ?)');
  }
  /** The buffered rows: the full statement for a full buffer, one row a statement otherwise. */
  private write(buf: (string | number)[], many: string, one: string): void {
    if (buf.length === 2 * ROWS_PER_INSERT) prep(this.db, many).run(buf);
    else {
      const st = prep(this.db, one);
      for (let i = 0; i < buf.length; i += 2) st.run(buf[i], buf[i + 1]);
    }
    buf.length = 0;
  }
}

const INDEX_TABLES = [
  ['link_keys', 'key'],
  ['link_df', 'key'],
  ['link_xkeys', 'key'],
  ['link_xstate', 'identity_id'],
] as const;

/**
 * Clear the index tables (not the profiles) a range of `chunk` rows at a time (a million rows at once
 * would hold the thread): yields after each range deleted.
 */
export function* clearIndexInChunks(db: DB, chunk: number): Generator<void, void, void> {
  for (const [table, col] of INDEX_TABLES) {
    const del = prep(db, `DELETE FROM ${table} WHERE ${col} <= (SELECT ${col} FROM ${table} ORDER BY ${col} LIMIT 1 OFFSET ${chunk - 1})`);
    while (del.run().changes > 0) yield;
    prep(db, `DELETE FROM ${table}`).run();
  }
}

// ---- X identities' keys -----------------------------------------------------------------------

export function xStateKeys(db: DB, identityId: number): string | undefined {
  return prepPluck(db, 'SELECT keys FROM link_xstate WHERE identity_id = ?').get(identityId) as string | undefined;
}

export function setXState(db: DB, identityId: number, keys: string, now: number): void {
  prep(db, 'INSERT INTO link_xstate (identity_id, keys, scored_at) VALUES (?, ?, ?) ON CONFLICT(identity_id) DO UPDATE SET keys = excluded.keys, scored_at = excluded.scored_at').run(
    identityId,
    keys,
    now,
  );
}

export function deleteXKey(db: DB, key: string, identityId: number): void {
  prep(db, 'DELETE FROM link_xkeys WHERE key = ? AND identity_id = ?').run(key, identityId);
}

export function insertXKey(db: DB, key: string, identityId: number): void {
  prep(db, 'INSERT OR IGNORE INTO link_xkeys (key, identity_id) VALUES (?, ?)').run(key, identityId);
}

export function xIdentitiesByKey(db: DB, key: string): number[] {
  return prepPluck(db, 'SELECT identity_id FROM link_xkeys WHERE key = ?').all(key) as number[];
}

// ---- reads of the stored index (linking/index-store.ts caches them) ----------------------------

/** Customers indexed under a key, `limit` at most. */
export function keyCustomers(db: DB, key: string, limit: number): number[] {
  return prepPluck(db, `SELECT customer_id FROM link_keys WHERE key = ? LIMIT ${limit}`).all(key) as number[];
}

export function keyFrequency(db: DB, key: string): number | undefined {
  return prepPluck(db, 'SELECT n FROM link_df WHERE key = ?').get(key) as number | undefined;
}

export function profileText(db: DB, customerId: number): string | undefined {
  return prepPluck(db, 'SELECT profile FROM link_profiles WHERE customer_id = ?').get(customerId) as string | undefined;
}

export function profileCount(db: DB): number {
  return prepPluck(db, 'SELECT count(*) FROM link_profiles').get() as number;
}
