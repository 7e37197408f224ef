// Storing email: parse → customers and identities → thread → message (with its raw source) →
// attachments → IMAP location → conversation aggregates and status.
//
// Entry points (stable; the IMAP sync and the importers call them):
//
//   ingestRawEmail(ctx, raw, opts)        one message, its own transaction.
//   ingestBatch(ctx, items, opts)         many messages, parsed first, then ONE transaction
//                                         (FTS insert cost dominates; callers batch ~500).
//   ingestParsedEmail(ctx, parsed, raw, opts)
//                                         the synchronous core: for callers that parse elsewhere
//                                         (e.g. in a worker thread with parseEmail) and run their
//                                         own transaction. Must run inside a transaction.
//
// parseEmail is asynchronous (postal-mime), so ingestRawEmail and ingestBatch return promises;
// the database work itself is synchronous and transactional.
//
// Rules:
// - One message per Message-ID across folders and accounts: a second copy only adds a
//   message_locations row (unique by account, folder, UIDVALIDITY, UID; flags/modseq updated).
// - Self: `opts.selfAddresses`, every address of every email account (given and learned, see
//   db/repos/account-addresses.ts), and every identity already marked is_self. Mail from self is direction 'out' and its identity is marked is_self; self
//   addresses never become a conversation's customer.
// - conversation.customer_id = the customer of the earliest inbound non-self sender; a
//   conversation the business started gets its first To recipient until someone writes in.
// - A new outbound message moves the conversation to 'waiting' unless a later inbound message
//   exists (or it is the outbox's copy of a reply sent with 'done': a cross-channel answer); a new inbound message that is the latest reopens a waiting/done/snoozed conversation
//   and marks it unread unless the server says \Seen.

import type { CoreContext } from '../context';
import { allSelfAddresses } from '../db/repos/account-addresses';
import { ensureEmailIdentity } from '../db/repos/customers';
import { refreshConversation } from '../db/repos/conversations';
import { insertMessage, withBulkFts } from '../db/repos/messages';
import { storeAttachment } from './attachments';
import { parseEmail, sha256Hex, type EmailAddress, type ParseOptions, type ParsedEmail } from './parse';
import { updateConversationCustomer } from './customer';
import { subjectParties } from './thread';
import { assignConversation, type AssignResult } from './thread-store';
import * as ingestRepo from '../db/repos/email/ingest';
import { parentAmongReusedIds, rehomeAnswers } from './reused-ids';
import { upsertLocation as storeLocation } from '../db/repos/email/locations';

export interface MessageLocation {
  folder: string;
  uidvalidity: number;
  uid: number;
  flags: string[];
  modseq?: number | null;
}

export interface IngestOptions {
  /** Email account the message was fetched with (required with `location`). */
  accountId?: number | null;
  /** The business's own addresses, in addition to the accounts' and identities already marked self. */
  selfAddresses?: string[];
  /** When the server received the message (IMAP INTERNALDATE), a fallback for a missing or broken Date header. */
  receivedAt?: number;
  /** Where the message lives on the IMAP server. */
  location?: MessageLocation;
  /** Modification time of the file it was imported from (date fallback after receivedAt). */
  fileTime?: number;
  /** The copy of a reply this app sent (the outbox): a conversation the owner closed with it stays done. */
  sentByOutbox?: boolean;
}

export interface IngestResult {
  /** messages.id */
  messageId: number;
  conversationId: number;
  /** False when a message with this Message-ID was already stored (a location may still have been added). */
  inserted: boolean;
}

export interface IngestDetail extends IngestResult {
  direction: 'in' | 'out';
  parseProblems: string[];
  /** Conversations merged away because this message connected them. */
  mergedConversationIds: number[];
  /** Other conversations whose mail this message took (answers to a reused id: reused-ids.ts). */
  movedFromConversationIds?: number[];
}

export type BatchItem = Uint8Array | { raw: Uint8Array; opts?: IngestOptions };
export type BatchResult = ({ ok: true } & IngestDetail) | { ok: false; error: string };

function formatAddress(a: EmailAddress): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** Lowercase self addresses: the given ones and every address of the business (db/repos/account-addresses.ts allSelfAddresses). */
export function selfAddressSet(ctx: CoreContext, extra: readonly string[] = []): Set<string> {
  const out = allSelfAddresses(ctx.db);
  for (const a of extra) if (a && a.includes('@')) out.add(a.trim().toLowerCase());
  return out;
}

function upsertLocation(ctx: CoreContext, accountId: number, loc: MessageLocation, messageId: number): void {
  storeLocation(ctx.db, accountId, loc.folder, loc.uidvalidity, loc.uid, messageId, JSON.stringify(loc.flags ?? []), loc.modseq ?? null);
}

function updateStatus(ctx: CoreContext, conversationId: number, direction: 'in' | 'out', sentAt: number, seen: boolean, now: number, keepDone = false): void {
  if (direction === 'out') ingestRepo.statusAfterOutbound(ctx.db, conversationId, sentAt, now, keepDone);
  else ingestRepo.statusAfterInbound(ctx.db, conversationId, sentAt, seen, now);
}

/**
 * Store one parsed message. Synchronous; run it inside a transaction (ingestBatch and
 * ingestRawEmail do). `self` is the set from selfAddressSet (pass it to avoid re-reading per message).
 */
export function ingestParsedEmail(
  ctx: CoreContext,
  parsed: ParsedEmail,
  raw: Uint8Array | null,
  opts: IngestOptions = {},
  self: Set<string> = selfAddressSet(ctx, opts.selfAddresses),
  /** When given, conversation aggregates and customer are not recomputed here: the id is added and the caller refreshes (refreshConversations, then the customer) before committing. */
  deferred?: Set<number>,
): IngestDetail {
  const db = ctx.db;
  const now = ctx.now();
  if (opts.location && (opts.accountId === undefined || opts.accountId === null)) {
    throw new Error('ingest: a message location needs an accountId');
  }
  const seen = opts.location ? opts.location.flags.some((f) => f.toLowerCase() === '\\seen') : false;

  let existing = ingestRepo.emailByMessageId(db, parsed.messageId);
  let reusedBase: string | null = null;
  if (existing && !sameMessage(existing, parsed)) {
    reusedBase = parsed.messageId;
    // Another message under a Message-ID already stored (a mailer that reuses one, two senders'
    // clashing ids): it is kept as its own message, under an id made from its content, and says so.
    const own = reusedIdFor(parsed, raw);
    parsed = {
      ...parsed,
      messageId: own,
      parseProblems: [...parsed.parseProblems, `its Message-ID <${parsed.messageId}> is also another message's (from ${existing.author_address || 'no sender'}): kept as its own message`],
    };
    existing = ingestRepo.emailByMessageId(db, own);
  }
  if (existing) {
    if (opts.location) upsertLocation(ctx, opts.accountId!, opts.location, existing.id);
    return {
      messageId: existing.id,
      conversationId: existing.conversation_id,
      inserted: false,
      direction: existing.direction,
      parseProblems: parsed.parseProblems,
      mergedConversationIds: [],
    };
  }

  parsed = parentAmongReusedIds(db, parsed);
  const fromAddr = parsed.from?.address ?? null;
  const direction: 'in' | 'out' = fromAddr && self.has(fromAddr) ? 'out' : 'in';
  const author = parsed.from ? ensureEmailIdentity(db, { address: parsed.from.address, name: parsed.from.name, isSelf: direction === 'out', now }) : null;
  if (direction === 'out') {
    // The people the business writes to are its customers too (with the names it uses for them).
    for (const r of parsed.to) if (!self.has(r.address)) ensureEmailIdentity(db, { address: r.address, name: r.name, now });
  }

  const participants = subjectParties(
    fromAddr,
    parsed.to.map((a) => a.address),
    parsed.cc.map((a) => a.address),
    self,
  );
  const assigned: AssignResult = assignConversation(
    db,
    {
      messageId: parsed.messageId,
      inReplyTo: parsed.inReplyTo,
      references: parsed.references,
      subject: parsed.subject,
      date: parsed.date,
      participants,
    },
    { accountId: opts.accountId ?? null, now },
  );
  const conversationId = assigned.conversationId;

  const { id, inserted } = insertMessage(db, {
    conversationId,
    accountId: opts.accountId ?? null,
    channel: 'email',
    kind: 'email',
    externalId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    refs: parsed.references,
    authorIdentityId: author?.id ?? null,
    authorName: parsed.from?.name ?? '',
    authorAddress: fromAddr ?? '',
    to: parsed.to.map(formatAddress),
    cc: parsed.cc.map(formatAddress),
    direction,
    sentAt: parsed.date,
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html,
    raw: raw ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) : null,
    parseProblems: parsed.parseProblems,
    now,
  });

  if (inserted && parsed.attachments.length) {
    for (const a of parsed.attachments) {
      storeAttachment(ctx.dataDir, a.sha256, a.content);
      ingestRepo.insertAttachment(db, id, a);
    }
  }
  if (opts.location) upsertLocation(ctx, opts.accountId!, opts.location, id);

  // Answers to a reused id that came before this message (newest first) move to its thread.
  const touched = inserted && reusedBase && fromAddr ? rehomeAnswers(db, reusedBase, fromAddr, conversationId) : [];
  if (inserted) {
    if (deferred) {
      // aggregates and customer: once per conversation at the end of the batch
      deferred.add(conversationId);
      for (const c of touched) deferred.add(c);
    } else {
      refreshConversations(ctx, [conversationId, ...touched]);
      for (const c of new Set([conversationId, ...touched])) updateConversationCustomer(ctx.db, c, now);
    }
    updateStatus(ctx, conversationId, direction, parsed.date, seen || direction === 'out', now, !!opts.sentByOutbox);
  }
  return {
    messageId: id,
    conversationId,
    inserted,
    direction,
    parseProblems: parsed.parseProblems,
    mergedConversationIds: assigned.merged,
    movedFromConversationIds: touched.filter((c) => c !== conversationId),
  };
}

/** How far apart two copies of one message may be dated (a copy without a Date header takes its folder's arrival time). */
const COPY_DATE_SLACK = 86_400_000;

/**
 * Whether a stored message and a parsed one under the same Message-ID are copies of one message
 * (another folder, a list's copy with a footer): the same sender, dated within a day, and the same
 * start of the body. Anything else is another message reusing the id.
 */
function sameMessage(stored: ingestRepo.StoredEmailRef, parsed: ParsedEmail): boolean {
  const from = (parsed.from?.address ?? '').toLowerCase();
  if (stored.author_address.toLowerCase() !== from) return false;
  if (Math.abs(stored.sent_at - parsed.date) > COPY_DATE_SLACK) return false;
  const start = (t: string) => t.replace(/\s+/g, ' ').trim().slice(0, 300);
  const [a, b] = [start(stored.body_start), start(parsed.text)].sort((x, y) => x.length - y.length);
  // A footer a list adds (or a copy cut short) leaves one the start of the other.
  return b!.startsWith(a!);
}

/** The id a message reusing another's Message-ID is stored under: the id and a hash of its content. */
function reusedIdFor(parsed: ParsedEmail, raw: Uint8Array | null): string {
  const content = raw ?? `${parsed.from?.address ?? ''}\n${parsed.date}\n${parsed.subject}\n${parsed.text}`;
  return `${parsed.messageId}#${sha256Hex(content).slice(0, 16)}`;
}

/** Recompute aggregates (counts, times, snippet) and the subject (its earliest message's) of conversations. */
export function refreshConversations(ctx: CoreContext, ids: Iterable<number>): void {
  for (const id of ids) {
    if (!ingestRepo.conversationExists(ctx.db, id)) continue; // merged away in the meantime
    refreshConversation(ctx.db, id);
    // The conversation's subject is its earliest message's (a reply may have arrived first).
    ingestRepo.subjectFromEarliest(ctx.db, id);
  }
}

/** Tell the UI which conversations stored messages changed (storeParsedBatch does, unless told not to). */
export function emitIngestChanges(ctx: CoreContext, results: readonly BatchResult[]): void {
  const ids = new Set<number>();
  for (const r of results) {
    if (r.ok && (r.inserted || r.mergedConversationIds.length)) ids.add(r.conversationId);
    if (r.ok) for (const c of r.movedFromConversationIds ?? []) ids.add(c);
  }
  if (!ids.size) return;
  const list = [...ids];
  ctx.bus.emit('MessagesStored', { conversationIds: list });
  ctx.bus.emit('ConversationsChanged', { ids: list });
}

/**
 * Parse and store one raw message in its own transaction.
 * Returns the stored message (or the one already stored under the same Message-ID).
 */
export async function ingestRawEmail(ctx: CoreContext, raw: Uint8Array, opts: IngestOptions = {}): Promise<IngestResult> {
  const parsed = await parseEmail(raw, { receivedAt: opts.receivedAt, fileTime: opts.fileTime, now: ctx.now() });
  const detail = ctx.db.transaction(() => ingestParsedEmail(ctx, parsed, raw, opts))();
  emitIngestChanges(ctx, [{ ok: true, ...detail }]);
  return { messageId: detail.messageId, conversationId: detail.conversationId, inserted: detail.inserted };
}

/**
 * Parse many raw messages, then store them all in ONE transaction. A message that fails to store
 * is rolled back on its own (savepoint) and reported; the others are kept. `opts` applies to every
 * item; an item's own opts override it (e.g. a different location per message).
 */
export async function ingestBatch(
  ctx: CoreContext,
  items: readonly BatchItem[],
  opts: IngestOptions = {},
  /** Runs inside the same transaction after the messages are stored (e.g. to advance a sync cursor atomically). */
  inTransaction?: (results: readonly BatchResult[]) => void,
): Promise<BatchResult[]> {
  return storeParsedBatch(ctx, await parseBatch(ctx, items, opts), inTransaction);
}

/** A message ready to store: its bytes, its options, and what the parser made of it. */
export interface PreparedItem {
  raw: Uint8Array;
  opts: IngestOptions;
  parsed: ParsedEmail;
}

/** Parse a batch (with `parser`, e.g. a worker thread; in-process by default). */
export async function parseBatch(
  ctx: CoreContext,
  items: readonly BatchItem[],
  opts: IngestOptions = {},
  parser?: { parseMany(raws: Uint8Array[], opts: ParseOptions[]): Promise<ParsedEmail[]> },
): Promise<PreparedItem[]> {
  const now = ctx.now();
  const raws = items.map((item) => (item instanceof Uint8Array ? item : item.raw));
  const merged = items.map((item) => (item instanceof Uint8Array ? opts : { ...opts, ...item.opts }));
  const popts: ParseOptions[] = merged.map((o) => ({ receivedAt: o.receivedAt, fileTime: o.fileTime, now }));
  let parsed: ParsedEmail[];
  if (parser) parsed = await parser.parseMany(raws, popts);
  else {
    parsed = [];
    for (let i = 0; i < raws.length; i++) parsed.push(await parseEmail(raws[i]!, popts[i]));
  }
  return raws.map((raw, i) => ({ raw, opts: merged[i]!, parsed: parsed[i]! }));
}

/**
 * Store parsed messages in ONE transaction (each in its own savepoint: one that fails is rolled
 * back and reported, the others kept). `inTransaction` runs inside the same transaction.
 */
export function storeParsedBatch(
  ctx: CoreContext,
  prepared: readonly PreparedItem[],
  inTransaction?: (results: readonly BatchResult[]) => void,
  /** emit: false leaves messages.changed and conversations.changed to the caller (emitIngestChanges), e.g. once for several slices. */
  opts: { emit?: boolean } = {},
): BatchResult[] {
  // Fast path: the whole batch in one transaction without a savepoint per message. If any message
  // fails, that transaction rolls back and the batch is stored again with a savepoint per message,
  // so the failing one is reported and the others are kept.
  const run = (isolate: boolean): BatchResult[] => {
    const results: BatchResult[] = [];
    const selfCache = new Map<string, Set<string>>();
    const deferred = new Set<number>();
    // The batch's search rows are indexed in one statement before the commit (withBulkFts).
    ctx.db.transaction(() =>
      withBulkFts(ctx.db, () => {
        for (const p of prepared) {
          const key = (p.opts.selfAddresses ?? []).join(',');
          let self = selfCache.get(key);
          if (!self) {
            self = selfAddressSet(ctx, p.opts.selfAddresses);
            selfCache.set(key, self);
          }
          const one = () => ingestParsedEmail(ctx, p.parsed, p.raw, p.opts, self, deferred);
          let detail: IngestDetail;
          if (!isolate) detail = one();
          else {
            try {
              detail = ctx.db.transaction(one)();
            } catch (e) {
              results.push({ ok: false, error: (e as Error).message ?? String(e) });
              continue;
            }
          }
          // Messages marked self during this batch count from now on.
          if (detail.direction === 'out' && p.parsed.from) self.add(p.parsed.from.address);
          results.push({ ok: true, ...detail });
        }
        refreshConversations(ctx, deferred);
        const now = ctx.now();
        for (const id of deferred) if (ingestRepo.conversationExists(ctx.db, id)) updateConversationCustomer(ctx.db, id, now);
        inTransaction?.(results);
      }),
    )();
    return results;
  };
  let results: BatchResult[];
  try {
    results = run(false);
  } catch {
    results = run(true);
  }
  if (opts.emit !== false) emitIngestChanges(ctx, results);
  return results;
}
