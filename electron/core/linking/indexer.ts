// The customer index: every email customer's profile and its keys (link_profiles, link_keys, and
// the key frequencies in link_df), rebuilt whole by a full build or one customer at a time.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import * as idx from '../db/repos/linking/link-index';
import type { MemoryIndex } from './index-store';
import type { Reader } from './inputs';
import { buildCustomerProfile, customerKeys, type CustomerInput } from './profile';

/**
 * Rebuild one customer's profile and keys: the keys added or removed (null when none), and whether
 * a profile was added or removed (the index size changed).
 */
export function reindexCustomer(db: DB, now: () => number, customerId: number, reader: Reader): { diff: string[] | null; sizeChanged: boolean } {
  const old = idx.storedProfile(db, customerId);
  const oldKeys = new Set(parseJson<string[]>(old?.keys, []));
  const input = reader.customer(customerId);
  if (!input) {
    if (!old) return { diff: null, sizeChanged: false };
    for (const k of oldKeys) idx.removeCustomerKey(db, k, customerId);
    idx.deleteProfile(db, customerId);
    return { diff: [...oldKeys], sizeChanged: true };
  }
  const p = buildCustomerProfile(input);
  const keys = customerKeys(p);
  const text = JSON.stringify(p);
  if (old && old.profile === text) return { diff: null, sizeChanged: false };
  const newKeys = new Set(keys);
  const diff: string[] = [];
  for (const k of oldKeys) {
    if (newKeys.has(k)) continue;
    idx.removeCustomerKey(db, k, customerId);
    diff.push(k);
  }
  for (const k of newKeys) {
    if (oldKeys.has(k)) continue;
    idx.addCustomerKey(db, k, customerId);
    diff.push(k);
  }
  idx.upsertProfile(db, customerId, text, JSON.stringify(keys), now());
  // A changed profile can change the scores of X identities tied to it even without new keys.
  return { diff: diff.length ? diff : ['(profile)'], sizeChanged: !old };
}

/**
 * A full build's profile phase: every email customer profiled and stored, its keys gathered in
 * `mem` (with the profile unless `lean`). Yields the customers done after each read and each customer.
 */
export function* buildProfiles(
  db: DB,
  now: number,
  reader: Reader,
  customerIds: readonly number[],
  mem: MemoryIndex,
  readChunk: { customers: number; mails: number },
  lean: boolean,
): Generator<number, Set<number>, void> {
  const kept = new Set<number>();
  // Customers are read a chunk of ids at a time (a few range queries instead of two per customer),
  // fewer at a time when they have much mail (a company's address can carry thousands of
  // messages: 64 such customers held a slice for a second), with a step after each customer.
  let chunk = new Map<number, CustomerInput>();
  let step = Math.min(readChunk.customers, 4); // grows while chunks stay light
  let nextRead = 0;
  for (let i = 0; i < customerIds.length; i++) {
    const id = customerIds[i]!;
    if (i === nextRead) {
      const hi = Math.min(i + step, customerIds.length) - 1;
      chunk = reader.customersInRange(id, customerIds[hi]!);
      nextRead = hi + 1;
      let mails = 0;
      for (const c of chunk.values()) mails += c.messages.length;
      step = mails > readChunk.mails ? Math.max(1, step >> 1) : mails < readChunk.mails / 4 ? Math.min(readChunk.customers, step * 2) : step;
      yield i;
    }
    const input = chunk.get(id);
    if (input) {
      const p = buildCustomerProfile(input);
      const keys = customerKeys(p);
      const text = JSON.stringify(p);
      if (lean) mem.addKeys(id, keys);
      else mem.add(p, keys, text);
      kept.add(id);
      idx.upsertProfile(db, id, text, JSON.stringify(keys), now);
    }
    yield i + 1;
  }
  return kept;
}

/**
 * A full build's index phase: profiles of customers no longer kept removed, then every key of
 * `mem` written with its frequency. Yields between short steps.
 */
export function* writeIndex(db: DB, mem: MemoryIndex, kept: ReadonlySet<number>): Generator<void, void, void> {
  // Profiles of customers that are no longer email customers.
  const stored = idx.storedProfileIds(db);
  for (let i = 0; i < stored.length; i++) {
    if (!kept.has(stored[i]!)) idx.deleteProfile(db, stored[i]!);
    if ((i + 1) % 4096 === 0) yield;
  }
  yield;
  // Keys in sorted order: the B-trees grow at their end instead of splitting pages everywhere.
  // Sorted a bucket (key prefix) at a time: sorting a million keys at once would hold the thread.
  const buckets = new Map<string, string[]>();
  let n = 0;
  for (const key of mem.keys.keys()) {
    const b = key.slice(0, 5);
    const l = buckets.get(b);
    if (l) l.push(key);
    else buckets.set(b, [key]);
    if (++n % 8192 === 0) yield;
  }
  const rows = new idx.KeyRowWriter(db);
  for (const b of [...buckets.keys()].sort()) {
    const keys = buckets.get(b)!.sort();
    buckets.delete(b);
    yield;
    for (const key of keys) {
      rows.add(key, mem.keys.get(key)!);
      if (++n % 256 === 0) {
        rows.flush();
        yield;
      }
    }
  }
  rows.flush();
}
