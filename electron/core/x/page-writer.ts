// One X page's writer: users become identities (resolved once per page, and once per run while
// their payload is the same), posts and DM events become messages in their conversations, and the
// conversations' aggregates are kept. normalize.ts validates a page and runs it in one transaction.
import type { DB } from '../db/open';
import * as xIngest from '../db/repos/x/ingest';
import { ensureConversation } from '../db/repos/conversations';
import { ensureXIdentity, fillProfile, rowToIdentity, staleObservation, type IdentityRow, type XIdentityInput } from '../db/repos/customers';
import { insertMessageIfNew, type NewMessage } from '../db/repos/messages';
import type { Identity, XProfile } from '../../../shared/domain/types';
import type { XDmEvent, XSelf, XTweet, XUser } from './types';
import { XPageError } from './validate';
import { dmParticipants, dmText, mergeProfile, profileOf, referencedOf, timeOf, tweetText } from './items';

/**
 * Caches shared by the pages of one import or sync run (the run is the only writer of these rows
 * meanwhile): a user whose payload did not change since an earlier page is not looked up again.
 */
export interface RunCache {
  identities: Map<string, { fingerprint: string; identity: Identity }>;
  conversations: Map<string, { id: number; hasCustomer: boolean }>;
}

export function newRunCache(): RunCache {
  return { identities: new Map(), conversations: new Map() };
}

export interface StoreOptions {
  /** Shared by the pages of one run (see RunCache). */
  cache?: RunCache;
  /** File or endpoint the page came from, for errors. */
  source: string;
  accountId?: number | null;
  /** The business's own account; unknown → decided by identities marked is_self. */
  self?: XSelf | null;
  now?: number;
  /**
   * The page was read from a file (an export), not fetched now: its user objects are taken as
   * true at the time of its newest post or DM, so they do not replace what a later observation
   * stored (see ensureXIdentity).
   */
  fromFile?: boolean;
  /** When the page's user objects were true; set from fromFile by the store functions. */
  seenAt?: number;
  /**
   * The caller's transaction rolls back whole when the page throws, so the page takes no savepoint
   * of its own. Inside a savepoint every write copies the database pages it changes into SQLite's
   * sub-journal, which spills to a temporary file: ~4 µs more a stored row (x.bench's import spent
   * ~60 of ~830 ms CPU there). The callers (importer.ts, sync-run.ts) store the pages before a bad
   * one again without it.
   */
  noSavepoint?: boolean;
}

export interface StoreResult {
  /** Items in the page (posts or DM events, expansions not counted). */
  items: number;
  inserted: number;
  duplicates: number;
  /** Items not stored because they are not messages (DM join/leave events). */
  skipped: number;
  conversationIds: number[];
  identityIds: number[];
  /** Item ids of the page (data only), newest first as the API returns them. */
  ids: string[];
  /** Partial errors the API reported inside a 200 (deleted referenced posts, …). */
  apiErrors: string[];
}

export function emptyStoreResult(): StoreResult {
  return { items: 0, inserted: 0, duplicates: 0, skipped: 0, conversationIds: [], identityIds: [], ids: [], apiErrors: [] };
}

// Hot paths of an import (10,000s of rows) go through db/repos/x/ingest.ts, whose statements are
// cached per connection; any write that changes an identity or gives a conversation its customer
// still goes through the repositories (customers.ts, conversations.ts).

/** Whether ensureXIdentity would change nothing for this input (then the stored row is the answer). */
function identityUnchanged(r: IdentityRow, input: XIdentityInput & { seenAt: number }): boolean {
  const name = (input.name ?? '').trim();
  if (name && !(JSON.parse(r.names) as string[]).includes(name)) return false;
  if (input.isSelf && r.is_self !== 1) return false;
  if (r.profile_seen_at == null) return false;
  // An older observation only ever adds a name (above) or fills a profile field the row lacks.
  if (staleObservation(r, input.seenAt)) return fillProfile(r.profile, input.profile) === r.profile;
  if ((input.handle ?? r.handle) !== r.handle) return false;
  if (name && name !== r.display_name) return false;
  if (input.profile && JSON.stringify(input.profile) !== r.profile) return false;
  return true;
}

/** Per-page caches so a user or conversation is resolved once per page. */
export class PageWriter {
  private identities = new Map<string, Identity>();
  private conversations = new Map<string, { id: number; hasCustomer: boolean }>();
  /** Conversations created by this page: their aggregates are known without asking SQLite. */
  private fresh = new Map<number, { n: number; last: number; lastIn: number | null; lastOut: number | null; snippet: string }>();
  readonly touched = new Set<number>();
  readonly result = emptyStoreResult();

  constructor(
    private readonly db: DB,
    private readonly opts: StoreOptions,
    private readonly users: Map<string, XUser>,
  ) {}

  get now(): number {
    return this.opts.now ?? Date.now();
  }

  /** When the page's user objects were true. */
  get seenAt(): number {
    return this.opts.seenAt ?? this.now;
  }

  private knownSelf: Set<string> | null = null;

  isSelfId(id: string | undefined): boolean {
    if (!id) return false;
    if (this.opts.self?.id === id) return true;
    const cached = this.identities.get(id);
    if (cached) return cached.isSelf;
    if (!this.knownSelf) {
      this.knownSelf = xIngest.selfXUserIds(this.db);
    }
    return this.knownSelf.has(id);
  }

  identity(userId: string): Identity {
    const cached = this.identities.get(userId);
    if (cached) return cached;
    const u = this.users.get(userId);
    const isSelf = this.opts.self?.id === userId;
    const fingerprint = `${isSelf ? 1 : 0}${u ? JSON.stringify(u) : ''}`;
    const known = this.opts.cache?.identities.get(userId);
    if (known && known.fingerprint === fingerprint) {
      this.identities.set(userId, known.identity);
      this.result.identityIds.push(known.identity.id);
      return known.identity;
    }
    const row = xIngest.xIdentityRow(this.db, userId);
    let input: XIdentityInput & { seenAt: number };
    if (u) {
      const stored = row?.profile ? (JSON.parse(row.profile) as XProfile) : null;
      input = {
        xUserId: userId,
        handle: u.username,
        ...(u.name !== undefined ? { name: u.name } : {}),
        profile: mergeProfile(stored, profileOf(u)),
        isSelf,
        now: this.now,
        seenAt: this.seenAt,
      };
    } else {
      input = {
        xUserId: userId,
        ...(isSelf && this.opts.self?.username ? { handle: this.opts.self.username } : {}),
        ...(isSelf && this.opts.self?.name ? { name: this.opts.self.name } : {}),
        isSelf,
        now: this.now,
        seenAt: this.seenAt,
      };
    }
    const ident = row ? (identityUnchanged(row, input) ? rowToIdentity(row) : ensureXIdentity(this.db, input)) : xIngest.insertXIdentity(this.db, input);
    this.identities.set(userId, ident);
    this.opts.cache?.identities.set(userId, { fingerprint, identity: ident });
    this.result.identityIds.push(ident.id);
    return ident;
  }

  conversation(kind: 'tweet' | 'dm', externalId: string, customerId: number | null): number {
    const key = `${kind}:${externalId}`;
    let c = this.conversations.get(key) ?? this.opts.cache?.conversations.get(key);
    if (!c) {
      const row = xIngest.xConversationByExternalId(this.db, kind, externalId);
      if (row) c = { id: row.id, hasCustomer: row.customer_id != null };
    }
    if (!c) {
      // New conversation: the INSERT of ensureConversation (conversations.ts), cached.
      const now = this.now;
      const id = xIngest.insertXConversation(this.db, this.opts.accountId ?? null, kind, externalId, customerId, now);
      c = { id, hasCustomer: customerId != null };
      this.fresh.set(id, { n: 0, last: 0, lastIn: null, lastOut: null, snippet: '' });
    } else if (customerId && !c.hasCustomer) {
      const id = ensureConversation(this.db, {
        channel: 'x',
        kind,
        externalId,
        accountId: this.opts.accountId ?? null,
        customerId,
        now: this.now,
      });
      c = { id, hasCustomer: (c?.hasCustomer ?? false) || customerId != null };
    }
    this.conversations.set(key, c);
    this.opts.cache?.conversations.set(key, c);
    this.touched.add(c.id);
    return c.id;
  }

  tweet(t: XTweet, fromIncludes: boolean): void {
    const authorId = t.author_id;
    const author = authorId ? this.identity(authorId) : null;
    const out = author?.isSelf === true || this.isSelfId(authorId);
    const convExternal = t.conversation_id ?? t.id;
    const conversationId = this.conversation('tweet', convExternal, !out && author ? author.customerId : null);
    const refs = referencedOf(t);
    const user = authorId ? this.users.get(authorId) : undefined;
    const mentions = (t.entities?.mentions ?? []).map((m) => (m.username ? `@${m.username}` : '')).filter(Boolean);
    const inserted = this.insert({
      conversationId,
      accountId: this.opts.accountId ?? null,
      channel: 'x',
      kind: 'tweet',
      externalId: t.id,
      inReplyTo: refs.find((x) => x.type === 'replied_to')?.id ?? null,
      refs: refs.map((x) => x.id),
      authorIdentityId: author?.id ?? null,
      authorName: user?.name ?? author?.displayName ?? '',
      authorAddress: user?.username ? `@${user.username}` : author?.handle ? `@${author.handle}` : '',
      to: mentions,
      direction: out ? 'out' : 'in',
      sentAt: timeOf(t.created_at, t.id, this.now),
      text: tweetText(t),
      raw: JSON.stringify(user ? { item: t, author: user } : { item: t }),
      now: this.now,
    });
    // Posts from includes (the post replied to, the business's replies) count as stored when new,
    // but are not items of the page.
    if (fromIncludes) {
      if (inserted) this.result.inserted++;
      return;
    }
    this.result.items++;
    this.result.ids.push(t.id);
    if (inserted) this.result.inserted++;
    else this.result.duplicates++;
  }

  dmEvent(e: XDmEvent): void {
    this.result.items++;
    this.result.ids.push(e.id);
    if (e.event_type !== 'MessageCreate') {
      this.result.skipped++;
      return;
    }
    const senderId = e.sender_id;
    let convExternal = e.dm_conversation_id;
    const participants = convExternal ? dmParticipants(convExternal) : [];
    if (!participants.length && e.participant_ids?.length) participants.push(...e.participant_ids);
    if (!convExternal) {
      // Older payloads without dm_conversation_id: a one-to-one conversation is its two ids.
      const ids = [...new Set([...(senderId ? [senderId] : []), ...participants])];
      if (ids.length !== 2) throw new XPageError(this.opts.source, `DM event ${e.id} has no dm_conversation_id and no two participants`);
      ids.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
      convExternal = ids.join('-');
    }
    const sender = senderId ? this.identity(senderId) : null;
    const out = sender?.isSelf === true || this.isSelfId(senderId);
    // The customer of a DM conversation is the participant who is not the business.
    let customerId: number | null = null;
    const others = participants.filter((p) => p !== senderId && !this.isSelfId(p));
    if (!out && sender) customerId = sender.customerId;
    else if (out && others.length === 1) customerId = this.identity(others[0]!).customerId;
    const conversationId = this.conversation('dm', convExternal, customerId);
    const user = senderId ? this.users.get(senderId) : undefined;
    const to = participants
      .filter((p) => p !== senderId)
      .map((p) => {
        const u = this.users.get(p);
        return u ? `@${u.username}` : p;
      });
    const inserted = this.insert({
      conversationId,
      accountId: this.opts.accountId ?? null,
      channel: 'x',
      kind: 'dm',
      externalId: e.id,
      refs: (e.referenced_tweets ?? []).map((x) => x.id),
      authorIdentityId: sender?.id ?? null,
      authorName: user?.name ?? sender?.displayName ?? '',
      authorAddress: user?.username ? `@${user.username}` : sender?.handle ? `@${sender.handle}` : '',
      to,
      direction: out ? 'out' : 'in',
      sentAt: timeOf(e.created_at, e.id, this.now),
      text: dmText(e),
      raw: JSON.stringify(user ? { item: e, author: user } : { item: e }),
      now: this.now,
    });
    if (inserted) this.result.inserted++;
    else this.result.duplicates++;
  }

  /** Insert a message; keeps the aggregates of conversations this page created. */
  insert(m: NewMessage): boolean {
    const inserted = insertMessageIfNew(this.db, m);
    const f = inserted ? this.fresh.get(m.conversationId) : undefined;
    if (f) {
      f.n++;
      // The newest message gives the snippet; on equal times the later insert (higher id) wins.
      if (m.sentAt >= f.last) {
        f.last = m.sentAt;
        f.snippet = Array.from((m.text ?? '').replace(/\r/g, '').replace(/\n/g, ' '))
          .slice(0, 200)
          .join('');
      }
      if (m.direction === 'in') f.lastIn = Math.max(f.lastIn ?? m.sentAt, m.sentAt);
      else f.lastOut = Math.max(f.lastOut ?? m.sentAt, m.sentAt);
    }
    return inserted;
  }

  finish(): StoreResult {
    for (const [id, f] of this.fresh) xIngest.setConversationAggregates(this.db, id, f);
    xIngest.refreshXConversations(
      this.db,
      [...this.touched].filter((id) => !this.fresh.has(id)),
    );
    this.result.conversationIds = [...this.touched];
    this.result.identityIds = [...new Set(this.result.identityIds)];
    return this.result;
  }
}
