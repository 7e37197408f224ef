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
import { prep } from '../db/stmt';
import { isReplySubject, MAX_SUBJECT_PARTIES, normalizeSubject, referenceChain, SUBJECT_WINDOW_MS, type ThreadableMessage } from './thread';

export interface AssignResult {
  conversationId: number;
  /** True when the conversation was created for this message. */
  created: boolean;
  /** Conversations merged into `conversationId` (now deleted). */
  merged: number[];
  /** How the conversation was found. */
  via: 'references' | 'subject' | 'new';
}

const fkCache = new WeakMap<DB, { table: string; column: string }[]>();

/** Every (table, column) with a foreign key to conversations(id), found from the schema (so tables added later are covered). */
function conversationForeignKeys(db: DB): { table: string; column: string }[] {
  const cached = fkCache.get(db);
  if (cached) return cached;
  const out: { table: string; column: string }[] = [];
  const tables = prep(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  for (const t of tables) {
    let fks: { table: string; from: string }[];
    try {
      fks = prep(db, `SELECT "table", "from" FROM pragma_foreign_key_list(?)`).all(t.name) as { table: string; from: string }[];
    } catch {
      continue;
    }
    for (const fk of fks) if (fk.table === 'conversations') out.push({ table: t.name, column: fk.from });
  }
  fkCache.set(db, out);
  return out;
}

function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Merge conversation `from` into `into`: messages, thread index, outbox and any other row that
 * points at it move over; the survivor keeps its own state and takes what it lacked.
 */
export function mergeConversations(db: DB, into: number, from: number, now: number): void {
  if (into === from) return;
  for (const fk of conversationForeignKeys(db)) {
    prep(db, `UPDATE OR IGNORE ${q(fk.table)} SET ${q(fk.column)} = ? WHERE ${q(fk.column)} = ?`).run(into, from);
  }
  prep(db,
    `UPDATE conversations SET
       customer_id = coalesce(customer_id, (SELECT customer_id FROM conversations WHERE id = @from)),
       unread = max(unread, (SELECT unread FROM conversations WHERE id = @from)),
       priority = max(priority, (SELECT priority FROM conversations WHERE id = @from)),
       escalated = max(escalated, (SELECT escalated FROM conversations WHERE id = @from)),
       escalation = coalesce(escalation, (SELECT escalation FROM conversations WHERE id = @from)),
       tags = (SELECT json_group_array(DISTINCT value) FROM (
                 SELECT value FROM json_each((SELECT tags FROM conversations WHERE id = @into))
                 UNION SELECT value FROM json_each((SELECT tags FROM conversations WHERE id = @from)))),
       updated_at = @now
     WHERE id = @into`,
  ).run({ into, from, now });
  prep(db, 'DELETE FROM conversations WHERE id = ?').run(from);
}

function lookupRefs(db: DB, ids: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  const stmt = prep(db, 'SELECT conversation_id FROM email_thread_refs WHERE message_id_header = ?');
  for (const id of ids) {
    const r = stmt.get(id) as { conversation_id: number } | undefined;
    if (r) out.set(id, r.conversation_id);
  }
  return out;
}

interface SubjectCandidate {
  id: number;
  first_at: number;
  last_at: number;
}

/** Conversations with this subject and one of these parties, newest first. */
function subjectCandidates(db: DB, key: string, parties: readonly string[]): SubjectCandidate[] {
  const list = parties.slice(0, MAX_SUBJECT_PARTIES);
  if (!key || !list.length) return [];
  const placeholders = list.map(() => '?').join(',');
  return prep(db,
    `SELECT conversation_id AS id, max(last_at) AS last_at, min(first_at) AS first_at FROM email_thread_subjects
     WHERE subject_key = ? AND participant IN (${placeholders})
     GROUP BY conversation_id ORDER BY max(last_at) DESC LIMIT 20`,
  ).all(key, ...list) as SubjectCandidate[];
}

/**
 * A conversation made only of replies that came without threading headers (a customer's
 * "Re: Help please" typed as a new mail): it waits for the message it answers, which may arrive
 * later (a first sync takes the newest mail first).
 */
function isOrphanReplies(db: DB, conversationId: number): boolean {
  const rows = prep(db, 'SELECT subject, in_reply_to, refs FROM messages WHERE conversation_id = ?').all(conversationId) as {
    subject: string;
    in_reply_to: string | null;
    refs: string;
  }[];
  return rows.length > 0 && rows.every((r) => !r.in_reply_to && r.refs === '[]' && isReplySubject(r.subject));
}

function hasOriginal(db: DB, conversationId: number): boolean {
  return (prep(db, 'SELECT subject FROM messages WHERE conversation_id = ?').all(conversationId) as { subject: string }[]).some((x) => !isReplySubject(x.subject));
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
  const rows = subjectCandidates(db, key, m.participants);
  if (!rows.some((r) => r.id !== conversationId)) return [];
  const first = prep(db, 'SELECT min(sent_at) FROM messages WHERE conversation_id = ?').pluck().get(conversationId) as number | null;
  if (first !== null && first < m.date) return [];
  return rows
    .filter((r) => r.id !== conversationId && r.first_at >= m.date && r.first_at - m.date <= SUBJECT_WINDOW_MS)
    .filter((r) => isOrphanReplies(db, r.id))
    .map((r) => r.id);
}

/**
 * Find or create the conversation for a message about to be stored, update the thread index, and
 * merge conversations the message connects. Run inside the caller's transaction.
 */
export function assignConversation(
  db: DB,
  m: ThreadableMessage,
  opts: { accountId?: number | null; now: number },
): AssignResult {
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
    const existing = prep(db, "SELECT id FROM conversations WHERE kind = 'email' AND external_id = ?").get(root) as { id: number } | undefined;
    if (existing) conversationId = existing.id;
    else {
      conversationId = Number(
        prep(db,
            `INSERT INTO conversations (account_id, channel, kind, external_id, subject, created_at, updated_at)
             VALUES (?, 'email', 'email', ?, ?, ?, ?)`,
          )
          .run(opts.accountId ?? null, root, m.subject, opts.now, opts.now).lastInsertRowid,
      );
      created = true;
    }
    via = via === 'subject' ? via : 'new';
  } else if (chain.length) {
    // An older ancestor than the current root turned up: it becomes the root.
    const conv = prep(db, 'SELECT external_id FROM conversations WHERE id = ?').get(conversationId) as { external_id: string };
    const candidate = chain[0]!;
    const rootAt = related.indexOf(conv.external_id);
    if (candidate !== conv.external_id && !known.has(candidate) && rootAt > 0) {
      const clash = prep(db, "SELECT id FROM conversations WHERE kind = 'email' AND external_id = ?").get(candidate) as { id: number } | undefined;
      if (!clash) prep(db, 'UPDATE conversations SET external_id = ?, updated_at = ? WHERE id = ?').run(candidate, opts.now, conversationId);
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
  const upsert = prep(db,
    `INSERT INTO email_thread_refs (message_id_header, conversation_id) VALUES (?, ?)
     ON CONFLICT (message_id_header) DO UPDATE SET conversation_id = excluded.conversation_id
       WHERE conversation_id != excluded.conversation_id`,
  );
  for (const id of related) upsert.run(id, conversationId);
  const conv = prep(db, 'SELECT external_id FROM conversations WHERE id = ?').get(conversationId) as { external_id: string };
  if (!related.includes(conv.external_id)) upsert.run(conv.external_id, conversationId);

  // Index the subject and participants for mail that comes without threading headers.
  const key = normalizeSubject(m.subject);
  if (key && m.participants.length) {
    indexSubject(db, key, m.participants, conversationId, m.date);
  }
  return { conversationId, created, merged, via };
}

/** Index a message's subject and customer-side parties for mail that comes without threading headers. */
export function indexSubject(db: DB, key: string, parties: readonly string[], conversationId: number, date: number): void {
  {
    const subj = prep(db,
      `INSERT INTO email_thread_subjects (subject_key, participant, conversation_id, first_at, last_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subject_key, participant, conversation_id) DO UPDATE SET
         first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`,
    );
    for (const p of parties.slice(0, MAX_SUBJECT_PARTIES)) subj.run(key, p, conversationId, date, date);
  }
}

/**
 * A conversation made only of headerless replies (isOrphanReplies) joins the conversation it
 * answers, found as a new headerless reply would find it (the latest one on its subject with a
 * shared party that started before it). For repairs (rethread.ts); returns the conversation it
 * joined, or null.
 */
export function joinOrphanReplies(db: DB, conversationId: number, now: number): number | null {
  if (!isOrphanReplies(db, conversationId)) return null;
  const rows = prep(db, 'SELECT subject_key, participant, min(first_at) AS first_at FROM email_thread_subjects WHERE conversation_id = ? GROUP BY subject_key, participant').all(conversationId) as {
    subject_key: string;
    participant: string;
    first_at: number;
  }[];
  if (!rows.length) return null;
  const key = rows[0]!.subject_key;
  const at = Math.min(...rows.map((r) => r.first_at));
  const target = subjectCandidates(db, key, rows.map((r) => r.participant))
    .filter((r) => r.id !== conversationId && r.first_at <= at && at <= r.last_at + SUBJECT_WINDOW_MS)
    .sort((a, b) => b.first_at - a.first_at)[0];
  if (!target) return null;
  mergeConversations(db, target.id, conversationId, now);
  return target.id;
}
