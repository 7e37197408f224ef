// Email threading.
//
// 1. `jwzThread`: Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html) over a set of
//    messages: containers by Message-ID, parent links from References + In-Reply-To (never creating
//    a loop), empty containers pruned, duplicates kept apart. Used for display order and as the
//    reference the incremental threader is tested against.
// 2. `assignConversation`: the incremental version the database uses. Every Message-ID a stored
//    message has or references is indexed in `email_thread_refs` → conversation, so a new message
//    joins the conversation of any message it references or that references it, whatever order
//    they arrive in. When one message connects two conversations they are merged. Mail without
//    In-Reply-To/References falls back to the normalized subject plus a shared participant
//    (`email_thread_subjects`). A conversation's external_id is its thread root's Message-ID (the
//    oldest ancestor known), updated as older ancestors turn up.

import type { DB } from '../db/open';
import { prep } from '../db/stmt';

// ---------------------------------------------------------------------------------------------
// Subjects

const REPLY_PREFIX =
  /^\s*(?:(?:re|fwd?|fw|aw|sv|vs|antw|antwort|wg|tr|rif|ref|odp|vl|ynt|r|i|réf|rép|enc|res|atb|bls|hv|fs)\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*|\[[^\]]{1,60}\]\s*)/i;

/** Whether a subject carries a reply or forward prefix ("Re:", "AW:", "SV:", "Fwd:", "RE[4]:" …). */
export function isReplySubject(subject: string): boolean {
  let s = subject;
  for (let i = 0; i < 10; i++) {
    const m = REPLY_PREFIX.exec(s);
    if (!m) return false;
    if (!m[0].trimStart().startsWith('[')) return true;
    s = s.slice(m[0].length);
  }
  return false;
}

/** The subject used to group mail without threading headers: prefixes and [list] tags gone, lowercase. */
export function normalizeSubject(subject: string): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 20; i++) {
    const m = REPLY_PREFIX.exec(s);
    if (!m || !m[0]) break;
    s = s.slice(m[0].length);
  }
  s = s.replace(/\s*\((?:fwd|fw)\)\s*$/i, '');
  return s.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// JWZ over a set of messages

export interface ThreadInput {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}

export interface ThreadNode<T extends ThreadInput> {
  /** The Message-ID this container stands for (duplicates get "#2", "#3" … appended). */
  id: string;
  message: T | null;
  parent: ThreadNode<T> | null;
  children: ThreadNode<T>[];
}

/** The chain of ancestors a message names, oldest first: References, then In-Reply-To if missing there. */
export function referenceChain(m: ThreadInput): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of m.references) {
    if (id && id !== m.messageId && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  if (m.inReplyTo && m.inReplyTo !== m.messageId) {
    // In-Reply-To names the parent; References may be truncated or missing.
    const at = out.indexOf(m.inReplyTo);
    if (at < 0) out.push(m.inReplyTo);
    else if (at !== out.length - 1) {
      // References disagree with In-Reply-To about the parent: trust In-Reply-To.
      out.splice(at, 1);
      out.push(m.inReplyTo);
    }
  }
  return out;
}

function isAncestor<T extends ThreadInput>(maybeAncestor: ThreadNode<T>, node: ThreadNode<T>): boolean {
  for (let p: ThreadNode<T> | null = node; p; p = p.parent) if (p === maybeAncestor) return true;
  return false;
}

function unlink<T extends ThreadInput>(node: ThreadNode<T>): void {
  if (!node.parent) return;
  const i = node.parent.children.indexOf(node);
  if (i >= 0) node.parent.children.splice(i, 1);
  node.parent = null;
}

function link<T extends ThreadInput>(parent: ThreadNode<T>, child: ThreadNode<T>): void {
  if (parent === child || isAncestor(child, parent)) return; // would make a loop
  unlink(child);
  child.parent = parent;
  parent.children.push(child);
}

/**
 * Thread messages (JWZ, without subject grouping). Returns the root containers; a root may be an
 * empty container (a missing parent) only when it holds two or more threads' worth of children.
 */
export function jwzThread<T extends ThreadInput>(messages: readonly T[]): ThreadNode<T>[] {
  const table = new Map<string, ThreadNode<T>>();
  const get = (id: string): ThreadNode<T> => {
    let c = table.get(id);
    if (!c) {
      c = { id, message: null, parent: null, children: [] };
      table.set(id, c);
    }
    return c;
  };
  for (const m of messages) {
    const c = get(m.messageId);
    if (c.message) {
      // A second message with the same Message-ID (a copy from another folder or list): keep it,
      // in its own container under the first copy, so it stays in the same thread.
      let n = 2;
      while (table.has(`${m.messageId}#${n}`)) n++;
      const dup = get(`${m.messageId}#${n}`);
      dup.message = m;
      link(c, dup);
      continue;
    }
    c.message = m;
    const chain = referenceChain(m);
    // Link the references to each other, oldest first, without overriding links already made.
    for (let i = 0; i + 1 < chain.length; i++) {
      const parent = get(chain[i]!);
      const child = get(chain[i + 1]!);
      if (!child.parent && !isAncestor(child, parent)) link(parent, child);
    }
    // The message's own parent is the last reference; its own headers win over guesses.
    const last = chain.length ? get(chain[chain.length - 1]!) : null;
    if (last && last !== c && !isAncestor(c, last)) link(last, c);
    else if (!last) unlink(c);
  }
  // Root set, then prune empty containers.
  const prune = (list: ThreadNode<T>[], isRoot: boolean): ThreadNode<T>[] => {
    const out: ThreadNode<T>[] = [];
    for (const node of list) {
      node.children = prune(node.children, false);
      for (const ch of node.children) ch.parent = node;
      if (!node.message) {
        if (node.children.length === 0) continue;
        if (!isRoot || node.children.length === 1) {
          for (const ch of node.children) {
            ch.parent = isRoot ? null : node.parent;
            out.push(ch);
          }
          continue;
        }
      }
      out.push(node);
    }
    return out;
  };
  const roots = [...table.values()].filter((c) => !c.parent);
  return prune(roots, true);
}

/** Every message under a node, depth first. */
export function threadMessages<T extends ThreadInput>(node: ThreadNode<T>): T[] {
  const out: T[] = [];
  const walk = (n: ThreadNode<T>) => {
    if (n.message) out.push(n.message);
    for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Incremental threading in the database

export interface ThreadableMessage extends ThreadInput {
  subject: string;
  date: number;
  /**
   * The customer side of the message, lowercase, the business's own addresses removed: its sender
   * when someone else sent it, its To and Cc when the business did (subjectParties). The subject
   * fallback joins mail only through these, so two customers who both wrote to the business about
   * "Help please" never meet through the business's address, even while that address is unknown.
   */
  participants: string[];
}

/** At most this many parties of one message are indexed for the subject fallback (a mail to 50,000 people is not a support thread). */
export const MAX_SUBJECT_PARTIES = 50;

/**
 * The parties the subject fallback matches on (see ThreadableMessage.participants): the sender
 * when it is not the business, else the recipients that are not the business.
 */
export function subjectParties(from: string | null, to: readonly string[], cc: readonly string[], self: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (a: string | null | undefined) => {
    if (!a || self.has(a) || seen.has(a) || out.length >= MAX_SUBJECT_PARTIES) return;
    seen.add(a);
    out.push(a);
  };
  if (from && !self.has(from)) add(from);
  else {
    for (const a of to) add(a);
    for (const a of cc) add(a);
  }
  return out;
}

export interface AssignResult {
  conversationId: number;
  /** True when the conversation was created for this message. */
  created: boolean;
  /** Conversations merged into `conversationId` (now deleted). */
  merged: number[];
  /** How the conversation was found. */
  via: 'references' | 'subject' | 'new';
}

/** How far apart (ms) a headerless reply and its conversation may be for the subject fallback. */
export const SUBJECT_WINDOW_MS = 90 * 24 * 3600_000;

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
