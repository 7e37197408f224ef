// The email threading tables as the threader (email/thread-store.ts), the rethreader and the
// self-address repair use them: the Message-ID index (email_thread_refs), the subject index
// (email_thread_subjects), email conversations by root Message-ID, and conversation merges.
// Statements prepared once per database.
import type { DB } from '../../open';
import { prep, prepRead, prepReadPluck, type ReadDB } from '../../stmt';

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
  prep(
    db,
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

/** The conversation each of these Message-IDs is indexed under (ids not indexed are left out). */
export function lookupRefs(db: ReadDB, ids: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  const stmt = prepRead(db, 'SELECT conversation_id FROM email_thread_refs WHERE message_id_header = ?');
  for (const id of ids) {
    const r = stmt.get(id) as { conversation_id: number } | undefined;
    if (r) out.set(id, r.conversation_id);
  }
  return out;
}

/** Index these Message-IDs under a conversation (moving them from another one). */
export function indexRefs(db: DB, ids: Iterable<string>, conversationId: number): void {
  const upsert = prep(
    db,
    `INSERT INTO email_thread_refs (message_id_header, conversation_id) VALUES (?, ?)
     ON CONFLICT (message_id_header) DO UPDATE SET conversation_id = excluded.conversation_id
       WHERE conversation_id != excluded.conversation_id`,
  );
  for (const id of ids) upsert.run(id, conversationId);
}

/** Move one Message-ID's index entry from one conversation to another. */
export function moveRef(db: DB, messageIdHeader: string, from: number, to: number): void {
  prep(db, 'UPDATE email_thread_refs SET conversation_id = ? WHERE message_id_header = ? AND conversation_id = ?').run(to, messageIdHeader, from);
}

export interface SubjectCandidate {
  id: number;
  first_at: number;
  last_at: number;
}

/** Conversations with this subject key and one of these parties (at most `max` of them), newest first, 20 at most. */
export function subjectCandidates(db: ReadDB, key: string, parties: readonly string[], max: number): SubjectCandidate[] {
  const list = parties.slice(0, max);
  if (!key || !list.length) return [];
  const placeholders = list.map(() => '?').join(',');
  return prepRead(
    db,
    `SELECT conversation_id AS id, max(last_at) AS last_at, min(first_at) AS first_at FROM email_thread_subjects
     WHERE subject_key = ? AND participant IN (${placeholders})
     GROUP BY conversation_id ORDER BY max(last_at) DESC LIMIT 20`,
  ).all(key, ...list) as SubjectCandidate[];
}

/** Index a subject key under each party for a conversation (widening its first/last times). */
export function indexSubjectParties(db: DB, key: string, parties: readonly string[], conversationId: number, date: number): void {
  const subj = prep(
    db,
    `INSERT INTO email_thread_subjects (subject_key, participant, conversation_id, first_at, last_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (subject_key, participant, conversation_id) DO UPDATE SET
       first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)`,
  );
  for (const p of parties) subj.run(key, p, conversationId, date, date);
}

/** A conversation's subject index: each (subject key, party) with its earliest time. */
export function subjectIndexOf(db: ReadDB, conversationId: number): { subject_key: string; participant: string; first_at: number }[] {
  return prepRead(db, 'SELECT subject_key, participant, min(first_at) AS first_at FROM email_thread_subjects WHERE conversation_id = ? GROUP BY subject_key, participant').all(conversationId) as {
    subject_key: string;
    participant: string;
    first_at: number;
  }[];
}

/** Drop a conversation's subject index. */
export function clearSubjectIndex(db: DB, conversationId: number): void {
  prep(db, 'DELETE FROM email_thread_subjects WHERE conversation_id = ?').run(conversationId);
}

/** Drop a party from the whole subject index. */
export function dropSubjectParty(db: DB, participant: string): void {
  prep(db, 'DELETE FROM email_thread_subjects WHERE participant = ?').run(participant);
}

/** The threading headers and subject of a conversation's messages. */
export function threadingHeadersOf(db: ReadDB, conversationId: number): { subject: string; in_reply_to: string | null; refs: string }[] {
  return prepRead(db, 'SELECT subject, in_reply_to, refs FROM messages WHERE conversation_id = ?').all(conversationId) as {
    subject: string;
    in_reply_to: string | null;
    refs: string;
  }[];
}

/** The subjects of a conversation's messages. */
export function subjectsOf(db: ReadDB, conversationId: number): string[] {
  return (prepRead(db, 'SELECT subject FROM messages WHERE conversation_id = ?').all(conversationId) as { subject: string }[]).map((x) => x.subject);
}

/** The time of a conversation's oldest message, or null when it has none. */
export function firstSentAt(db: ReadDB, conversationId: number): number | null {
  return prepReadPluck(db, 'SELECT min(sent_at) FROM messages WHERE conversation_id = ?').get(conversationId) as number | null;
}

/** The email conversation whose root Message-ID (external_id) this is. */
export function emailConversationByRoot(db: ReadDB, root: string): number | undefined {
  return (prepRead(db, "SELECT id FROM conversations WHERE kind = 'email' AND external_id = ?").get(root) as { id: number } | undefined)?.id;
}

/** A new email conversation rooted at a Message-ID; its id. */
export function insertEmailConversation(db: DB, accountId: number | null, root: string, subject: string, now: number): number {
  return Number(
    prep(
      db,
      `INSERT INTO conversations (account_id, channel, kind, external_id, subject, created_at, updated_at)
       VALUES (?, 'email', 'email', ?, ?, ?, ?)`,
    ).run(accountId, root, subject, now, now).lastInsertRowid,
  );
}

/** A conversation's external id (an email conversation's root Message-ID), undefined when it is gone. */
export function conversationRoot(db: ReadDB, conversationId: number): string | undefined {
  return (prepRead(db, 'SELECT external_id FROM conversations WHERE id = ?').get(conversationId) as { external_id: string } | undefined)?.external_id;
}

export function setConversationRoot(db: DB, conversationId: number, root: string, now: number): void {
  prep(db, 'UPDATE conversations SET external_id = ?, updated_at = ? WHERE id = ?').run(root, now, conversationId);
}

/** Delete a message; its conversation, or undefined when there was no such message. */
export function deleteMessageReturningConversation(db: DB, messageId: number): number | undefined {
  return (prep(db, 'DELETE FROM messages WHERE id = ? RETURNING conversation_id').get(messageId) as { conversation_id: number } | undefined)?.conversation_id;
}

/** Delete a conversation that has no message left; true when it was deleted. */
export function deleteConversationIfEmpty(db: DB, conversationId: number): boolean {
  const n = prep(db, 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?').get(conversationId) as { n: number };
  if (n.n !== 0) return false;
  prep(db, 'DELETE FROM conversations WHERE id = ?').run(conversationId);
  return true;
}

/** A stored email message as the rethreader reads it. */
export interface ThreadRow {
  id: number;
  external_id: string;
  in_reply_to: string | null;
  refs: string;
  subject: string;
  author_address: string | null;
  recipients: string;
  sent_at: number;
  direction: 'in' | 'out';
}

/** A conversation's email messages, oldest first. */
export function emailThreadRows(db: ReadDB, conversationId: number): ThreadRow[] {
  return prepRead(
    db,
    `SELECT id, external_id, in_reply_to, refs, subject, author_address, recipients, sent_at, direction FROM messages
     WHERE conversation_id = ? AND kind = 'email' ORDER BY sent_at, id`,
  ).all(conversationId) as ThreadRow[];
}

export function messageSubject(db: ReadDB, messageId: number): string {
  return (prepRead(db, 'SELECT subject FROM messages WHERE id = ?').get(messageId) as { subject: string }).subject;
}

/**
 * A new conversation split off `id`: same account, channel, kind, status, priority, snooze, unread
 * mark, tags and creation time, no customer, the given root and subject. Its id.
 */
export function cloneConversation(db: DB, id: number, ext: string, subject: string, now: number): number {
  return Number(
    prep(
      db,
      `INSERT INTO conversations (account_id, channel, kind, external_id, customer_id, subject, status, priority, snooze_until, unread, tags, created_at, updated_at)
       SELECT account_id, channel, kind, @ext, NULL, @subject, status, priority, snooze_until, unread, tags, created_at, @now FROM conversations WHERE id = @id`,
    ).run({ ext, subject, now, id }).lastInsertRowid,
  );
}

export function moveMessage(db: DB, messageId: number, conversationId: number): void {
  prep(db, 'UPDATE messages SET conversation_id = ? WHERE id = ?').run(conversationId, messageId);
}

/** A conversation's email outbox rows (id and payload). */
export function emailOutboxOf(db: ReadDB, conversationId: number): { id: number; payload: string }[] {
  return prepRead(db, "SELECT id, payload FROM outbox WHERE conversation_id = ? AND kind = 'email'").all(conversationId) as { id: number; payload: string }[];
}

export function moveOutboxRow(db: DB, outboxId: number, conversationId: number, now: number): void {
  prep(db, 'UPDATE outbox SET conversation_id = ?, updated_at = ? WHERE id = ?').run(conversationId, now, outboxId);
}
