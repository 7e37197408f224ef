// Email threading in the database: `assignConversation`, the incremental version of thread.ts's
// rules. Every Message-ID a stored message has or references is indexed in `email_thread_refs` →
// conversation, so a new message joins the conversation of any message it references or that
// references it, whatever order they arrive in. When one message connects two conversations they
// are merged. Mail without In-Reply-To/References falls back to the normalized subject plus a
// shared customer-side party (`email_thread_subjects`, thread.ts subjectParties); headerless
// replies that arrive before the mail they answer join it when it comes. A conversation's
// external_id is its thread root's Message-ID (the oldest ancestor known), updated as older
// ancestors turn up.

import type { DB } from '../db/open';
import * as threading from '../db/repos/email/threading';
import { isReplySubject, MAX_SUBJECT_PARTIES, normalizeSubject, referenceChain, SUBJECT_WINDOW_MS, type ThreadableMessage } from './thread';

export { mergeConversations } from '../db/repos/email/threading';
const { mergeConversations, lookupRefs } = threading;

export interface AssignResult {
  conversationId: number;
  /** True when the conversation was created for this message. */
  created: boolean;
  /** Conversations merged into `conversationId` (now deleted). */
  merged: number[];
  /** How the conversation was found. */
  via: 'references' | 'subject' | 'new';
}

type SubjectCandidate = threading.SubjectCandidate;

/** Conversations with this subject and one of these parties, newest first. */
function subjectCandidates(db: DB, key: string, parties: readonly string[]): SubjectCandidate[] {
  return threading.subjectCandidates(db, key, parties, MAX_SUBJECT_PARTIES);
}

/**
 * A conversation made only of replies that came without threading headers (a customer's
 * "Re: Help please" typed as a new mail): it waits for the message it answers, which may arrive
 * later (a first sync takes the newest mail first).
 */
function isOrphanReplies(db: DB, conversationId: number): boolean {
  const rows = threading.threadingHeadersOf(db, conversationId);
  return rows.length > 0 && rows.every((r) => !r.in_reply_to && r.refs === '[]' && isReplySubject(r.subject));
}

function hasOriginal(db: DB, conversationId: number): boolean {
  return threading.subjectsOf(db, conversationId).some((x) => !isReplySubject(x));
}

/**
 * The conversation a message without threading headers joins through its subject and a shared
 * customer-side party (see ThreadableMessage.participants), or null:
 *   - a reply joins the latest such conversation that started before it (and has not been quiet
 *     for longer than SUBJECT_WINDOW_MS), else one made only of headerless replies that came in
 *     first;
 *   - an original joins only a conversation made of replies to it that came in first: never one
 *     that already holds an original (another request of the same customer, say).
 */
function findBySubject(db: DB, m: ThreadableMessage, key: string): number | null {
  const rows = subjectCandidates(db, key, m.participants);
  if (!rows.length) return null;
  if (isReplySubject(m.subject)) {
    const before = rows.filter((r) => r.first_at <= m.date && m.date <= r.last_at + SUBJECT_WINDOW_MS).sort((a, b) => b.first_at - a.first_at)[0];
    if (before) return before.id;
    const orphan = rows
      .filter((r) => r.first_at > m.date && r.first_at - m.date <= SUBJECT_WINDOW_MS)
      .sort((a, b) => a.first_at - b.first_at)
      .find((r) => isOrphanReplies(db, r.id));
    return orphan?.id ?? null;
  }
  for (const r of rows) {
    if (m.date > r.first_at || r.first_at - m.date > SUBJECT_WINDOW_MS) continue;
    if (!hasOriginal(db, r.id)) return r.id;
  }
  return null;
}

/**
 * Headerless replies that arrived before the message they answer: once that message is stored
 * (by its own headers or as a new conversation) and is the oldest of its conversation, the
 * conversations made only of such replies with its subject and a shared party, started after it,
 * join it.
 */
function orphansFor(db: DB, m: ThreadableMessage, key: string, conversationId: number): number[] {
  // Most mail joins a conversation that started before it: one index lookup says so.
  const first = threading.firstSentAt(db, conversationId);
  if (first !== null && first < m.date) return [];
  const rows = subjectCandidates(db, key, m.participants);
  return rows
    .filter((r) => r.id !== conversationId && r.first_at >= m.date && r.first_at - m.date <= SUBJECT_WINDOW_MS)
    .filter((r) => isOrphanReplies(db, r.id))
    .map((r) => r.id);
}

/**
 * Find or create the conversation for a message about to be stored, update the thread index, and
 * merge conversations the message connects. Run inside the caller's transaction.
 */
export function assignConversation(db: DB, m: ThreadableMessage, opts: { accountId?: number | null; now: number }): AssignResult {
  const chain = referenceChain(m);
  const related = [...chain, m.messageId];
  const known = lookupRefs(db, related);
  const merged: number[] = [];
  let conversationId: number | null = null;
  let created = false;
  let via: AssignResult['via'] = 'references';

  if (known.size) {
    // Survivor: the conversation of the oldest message named in the chain.
    for (const id of related) {
      const c = known.get(id);
      if (c !== undefined) {
        conversationId = c;
        break;
      }
    }
    for (const c of new Set(known.values())) {
      if (c !== conversationId) {
        mergeConversations(db, conversationId!, c, opts.now);
        merged.push(c);
      }
    }
  } else if (!chain.length) {
    const key = normalizeSubject(m.subject);
    const found = findBySubject(db, m, key);
    if (found !== null) {
      conversationId = found;
      via = 'subject';
    }
  }

  if (conversationId === null) {
    const root = chain[0] ?? m.messageId;
    const existing = threading.emailConversationByRoot(db, root);
    if (existing !== undefined) conversationId = existing;
    else {
      conversationId = threading.insertEmailConversation(db, opts.accountId ?? null, root, m.subject, opts.now);
      created = true;
    }
    via = via === 'subject' ? via : 'new';
  } else if (chain.length) {
    // An older ancestor than the current root turned up: it becomes the root.
    const root = threading.conversationRoot(db, conversationId)!;
    const candidate = chain[0]!;
    const rootAt = related.indexOf(root);
    if (candidate !== root && !known.has(candidate) && rootAt > 0) {
      if (threading.emailConversationByRoot(db, candidate) === undefined) threading.setConversationRoot(db, conversationId, candidate, opts.now);
    }
  }

  // Headerless replies that came in before this message join it.
  {
    const key = normalizeSubject(m.subject);
    for (const orphan of orphansFor(db, m, key, conversationId)) {
      mergeConversations(db, conversationId, orphan, opts.now);
      merged.push(orphan);
    }
  }

  // Index every id this message has or names.
  threading.indexRefs(db, related, conversationId);
  const root = threading.conversationRoot(db, conversationId)!;
  if (!related.includes(root)) threading.indexRefs(db, [root], conversationId);

  // Index the subject and participants for mail that comes without threading headers.
  const key = normalizeSubject(m.subject);
  if (key && m.participants.length) {
    indexSubject(db, key, m.participants, conversationId, m.date);
  }
  return { conversationId, created, merged, via };
}

/** Index a message's subject and customer-side parties for mail that comes without threading headers. */
export function indexSubject(db: DB, key: string, parties: readonly string[], conversationId: number, date: number): void {
  threading.indexSubjectParties(db, key, parties.slice(0, MAX_SUBJECT_PARTIES), conversationId, date);
}

/**
 * A conversation made only of headerless replies (isOrphanReplies) joins the conversation it
 * answers, found as a new headerless reply would find it (the latest one on its subject with a
 * shared party that started before it). For repairs (rethread.ts); returns the conversation it
 * joined, or null.
 */
export function joinOrphanReplies(db: DB, conversationId: number, now: number): number | null {
  if (!isOrphanReplies(db, conversationId)) return null;
  const rows = threading.subjectIndexOf(db, conversationId);
  if (!rows.length) return null;
  const key = rows[0]!.subject_key;
  const at = Math.min(...rows.map((r) => r.first_at));
  const target = subjectCandidates(
    db,
    key,
    rows.map((r) => r.participant),
  )
    .filter((r) => r.id !== conversationId && r.first_at <= at && at <= r.last_at + SUBJECT_WINDOW_MS)
    .sort((a, b) => b.first_at - a.first_at)[0];
  if (!target) return null;
  mergeConversations(db, target.id, conversationId, now);
  return target.id;
}
