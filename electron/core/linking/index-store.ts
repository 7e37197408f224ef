// The blocking index: customer profiles and their keys, in SQLite (link_profiles, link_keys) or,
// during a full re-link, in memory. Candidate lookup never scans customers: it reads the rows of
// the X identity's own keys.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import { keyCustomers, keyFrequency, profileCount, profileText } from '../db/repos/linking/link-index';
import type { CustomerProfile } from './profile';

/** A key shared by more customers than this is too common to find candidates by. */
export const BLOCK_CAP = 400;

export interface LinkIndex {
  /** Customers indexed under a key; null when more than `cap` (BLOCK_CAP) carry it: too common to block on. */
  lookup(key: string, cap?: number): number[] | null;
  /** How many customers carry a key (≥ 1 for keys a pair shares). */
  df(key: string): number;
  profile(customerId: number): CustomerProfile | null;
  /** Number of indexed customers. */
  size(): number;
}

export class MemoryIndex implements LinkIndex {
  readonly keys = new Map<string, number[]>();
  /**
   * Profiles as stored (their JSON): 100,000 flat strings cost the garbage collector nothing to
   * mark, where as many parsed profiles, each a few dozen objects, cost it a second of a full
   * re-link. Parsed when a candidate is scored, the latest kept.
   */
  readonly profiles = new Map<number, string>();
  private readonly parsed = new Map<number, CustomerProfile>();
  add(p: CustomerProfile, keys: string[], text: string = JSON.stringify(p)): void {
    this.profiles.set(p.customerId, text);
    this.addKeys(p.customerId, keys);
  }
  /** Index a customer's keys only (its profile is read from elsewhere). */
  addKeys(customerId: number, keys: string[]): void {
    for (const k of keys) {
      const l = this.keys.get(k);
      if (l) l.push(customerId);
      else this.keys.set(k, [customerId]);
    }
  }
  lookup(key: string, cap = BLOCK_CAP): number[] | null {
    const l = this.keys.get(key);
    if (!l) return [];
    return l.length > cap ? null : l;
  }
  df(key: string): number {
    return this.keys.get(key)?.length ?? 0;
  }
  profile(id: number): CustomerProfile | null {
    let p = this.parsed.get(id);
    if (p) return p;
    const text = this.profiles.get(id);
    if (text === undefined) return null;
    p = JSON.parse(text) as CustomerProfile;
    if (this.parsed.size >= PROFILES_PARSED) this.parsed.clear();
    this.parsed.set(id, p);
    return p;
  }
  size(): number {
    return this.profiles.size;
  }
}

/** Parsed profiles a MemoryIndex keeps (the candidates of the accounts scored last). */
const PROFILES_PARSED = 5000;

/** Key lookups a SqlIndex keeps (per cap) until the index changes. */
const LOOKUPS_KEPT = 5000;

export class SqlIndex implements LinkIndex {
  private dfCache = new Map<string, number>();
  private profileCache = new Map<number, CustomerProfile | null>();
  /** Customers under a key, by cap then key: a post's story keys are mostly those the posts before it looked up. */
  private lookupCache = new Map<number, Map<string, number[] | null>>();
  private sizeCache: number | null = null;
  constructor(private readonly db: DB) {}
  /** Forget cached figures (after the index changed); the customer count only when it changed. */
  reset(sizeChanged = true): void {
    this.dfCache.clear();
    this.profileCache.clear();
    this.lookupCache.clear();
    if (sizeChanged) this.sizeCache = null;
  }
  lookup(key: string, cap = BLOCK_CAP): number[] | null {
    let cached = this.lookupCache.get(cap);
    if (!cached) this.lookupCache.set(cap, (cached = new Map()));
    const hit = cached.get(key);
    if (hit !== undefined) return hit;
    if (cached.size >= LOOKUPS_KEPT) cached.clear();
    const ids = this.lookupUncached(key, cap);
    cached.set(key, ids);
    return ids;
  }
  private lookupUncached(key: string, cap: number): number[] | null {
    const ids = keyCustomers(this.db, key, cap + 1);
    if (ids.length > cap) {
      // (A lower bound, as the scores have always used for keys too common to block on.)
      if (cap === BLOCK_CAP) this.dfCache.set(key, BLOCK_CAP + 1);
      return null;
    }
    // A story key's rows stop at STORY_ROWS_CAP (a full build keeps only the frequency of one more
    // customers share): its frequency is read from link_df, never counted from rows.
    if (cap === BLOCK_CAP) this.dfCache.set(key, ids.length);
    return ids;
  }
  df(key: string): number {
    let n = this.dfCache.get(key);
    if (n === undefined) {
      n = keyFrequency(this.db, key) ?? 0;
      this.dfCache.set(key, n);
    }
    return n;
  }
  profile(id: number): CustomerProfile | null {
    if (this.profileCache.has(id)) return this.profileCache.get(id)!;
    const text = profileText(this.db, id);
    const p = text ? parseJson<CustomerProfile | null>(text, null) : null;
    if (this.profileCache.size > 5000) this.profileCache.clear();
    this.profileCache.set(id, p);
    return p;
  }
  size(): number {
    if (this.sizeCache === null) this.sizeCache = profileCount(this.db);
    return this.sizeCache;
  }
}
