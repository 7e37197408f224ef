import type Database from 'better-sqlite3';
import type { DB } from '../open';
import { prep } from '../stmt';
import type { Attachment, Channel, Direction, Kind, Message } from '../../../../shared/domain/types';
import { parseJson } from '../json';
import { factsSelect } from '../migrations/0390-conversation-facts';
import { FACTS_FROM_EXCLUDED } from '../migrations/0396-insert-marks-per-batch';

export interface NewMessage {
  conversationId: number;
  accountId?: number | null;
  channel: Channel;
  kind: Kind;
  externalId: string;
  inReplyTo?: string | null;
  refs?: string[];
  authorIdentityId?: number | null;
  authorName?: string;
  authorAddress?: string;
  to?: string[];
  cc?: string[];
  direction: Direction;
  sentAt: number;
  subject?: string;
  text?: string;
  html?: string | null;
  raw?: Buffer | string | null;
  parseProblems?: string[];
  now?: number;
}

/** Insert a message unless one with the same (kind, external id) is stored; true when it is new (bulk paths). */
export function insertMessageIfNew(db: DB, m: NewMessage): boolean {
  return insertRow(db, m).changes === 1;
}

function insertRow(db: DB, m: NewMessage): Database.RunResult {
  return prep(
    db,
    `INSERT INTO messages (conversation_id, account_id, channel, kind, external_id, in_reply_to, refs,
         author_identity_id, author_name, author_address, recipients, direction, sent_at, subject, body_text,
         body_html, raw, parse_problems, created_at)
       VALUES (@conversationId, @accountId, @channel, @kind, @externalId, @inReplyTo, @refs, @authorIdentityId,
         @authorName, @authorAddress, @recipients, @direction, @sentAt, @subject, @text, @html, @raw, @parseProblems, @now)
       ON CONFLICT (kind, external_id) DO NOTHING`,
  ).run({
    conversationId: m.conversationId,
    accountId: m.accountId ?? null,
    channel: m.channel,
    kind: m.kind,
    externalId: m.externalId,
    inReplyTo: m.inReplyTo ?? null,
    refs: JSON.stringify(m.refs ?? []),
    authorIdentityId: m.authorIdentityId ?? null,
    authorName: m.authorName ?? '',
    authorAddress: m.authorAddress ?? '',
    recipients: JSON.stringify({ to: m.to ?? [], cc: m.cc ?? [] }),
    direction: m.direction,
    sentAt: m.sentAt,
    subject: m.subject ?? '',
    text: m.text ?? '',
    html: m.html ?? null,
    raw: typeof m.raw === 'string' ? Buffer.from(m.raw, 'utf8') : (m.raw ?? null),
    parseProblems: m.parseProblems && m.parseProblems.length ? JSON.stringify(m.parseProblems) : null,
    now: m.now ?? Date.now(),
  });
}

/**
 * Insert a message unless one with the same (kind, external id) is already stored.
 * Returns its id and whether it was new: re-importing or re-syncing never stores a message twice.
 */
export function insertMessage(db: DB, m: NewMessage): { id: number; inserted: boolean } {
  const res = insertRow(db, m);
  if (res.changes === 1) return { id: Number(res.lastInsertRowid), inserted: true };
  const existing = prep(db, 'SELECT id FROM messages WHERE kind = ? AND external_id = ?').get(m.kind, m.externalId) as { id: number };
  return { id: existing.id, inserted: false };
}

/** Nesting depth of withBulkFts per database (an inner call leaves the indexing to the outer one). */
const bulkDepth = new WeakMap<DB, number>();

/** The conversations of the messages above the pending mark (a rowid range, not the conversation index). */
const PENDING_CONVERSATIONS = 'SELECT DISTINCT conversation_id AS cid FROM messages NOT INDEXED WHERE id > ?';
const PENDING_CHANGES = `INSERT INTO message_changes (conversation_id, seq)
  SELECT cid, (SELECT coalesce(max(seq), 0) + 1 FROM message_changes) FROM (${PENDING_CONVERSATIONS}) WHERE true
  ON CONFLICT (conversation_id) DO UPDATE SET seq = excluded.seq`;
const PENDING_FACTS = `INSERT INTO conversation_facts SELECT * FROM (${factsSelect(PENDING_CONVERSATIONS)}) WHERE true
  ON CONFLICT (conversation_id) DO UPDATE SET ${FACTS_FROM_EXCLUDED}`;

/**
 * Finish the messages inserted above the pending mark (messages_fts_pending, see migrations 0303
 * and 0396) in one statement each, and clear the mark: their search rows; one message change for
 * each conversation they went into (one sequence number for the batch: the at-risk list reads
 * `seq >` what it last saw); and those conversations' facts worked out again from their messages
 * (factsSelect, 0390's definition). Returns how many rows were indexed.
 */
export function flushPendingFts(db: DB): number {
  const p = prep(db, 'SELECT after_id FROM messages_fts_pending WHERE id = 1').get() as { after_id: number } | undefined;
  if (!p) return 0;
  const n = prep(
    db,
    `INSERT INTO messages_fts(rowid, subject, body_text, author_name)
     SELECT id, subject, body_text, author_name FROM messages WHERE id > ? ORDER BY id`,
  ).run(p.after_id).changes;
  if (n > 0) {
    prep(db, PENDING_CHANGES).run(p.after_id);
    prep(db, PENDING_FACTS).run(p.after_id);
  }
  prep(db, 'DELETE FROM messages_fts_pending').run();
  return n;
}

/**
 * Run `fn` inside the caller's transaction with the search index, conversation facts and message
 * changes of the messages it inserts written in one statement each at the end instead of row by row
 * by the triggers (migrations 0303, 0396). The mark, the messages and what is derived from them
 * commit or roll back together: search, the report and the at-risk list are complete after every
 * commit, and a crash cannot leave rows unindexed.
 */
export function withBulkFts<T>(db: DB, fn: () => T): T {
  if (!db.inTransaction) throw new Error('withBulkFts must run inside a transaction');
  const depth = bulkDepth.get(db) ?? 0;
  if (depth > 0) return fn();
  // A mark nobody owns (cannot happen when every user goes through here): index what it covers.
  flushPendingFts(db);
  prep(db, 'INSERT INTO messages_fts_pending (id, after_id) VALUES (1, (SELECT coalesce(max(id), 0) FROM messages))').run();
  bulkDepth.set(db, 1);
  let out: T;
  try {
    out = fn();
  } catch (e) {
    bulkDepth.set(db, 0);
    // The caller's transaction is about to roll back; leave it consistent in case it does not.
    try {
      flushPendingFts(db);
    } catch {
      // the transaction is already gone; nothing was committed
    }
    throw e;
  }
  bulkDepth.set(db, 0);
  flushPendingFts(db);
  return out;
}

interface MessageRow {
  id: number;
  conversation_id: number;
  channel: Channel;
  kind: Kind;
  external_id: string;
  direction: Direction;
  author_identity_id: number | null;
  author_name: string;
  author_address: string;
  recipients: string;
  sent_at: number;
  subject: string;
  body_text: string;
  body_html: string | null;
  parse_problems: string | null;
}

/** A row of the attachments table. */
export interface AttachmentRow {
  id: number;
  message_id: number;
  filename: string;
  mime_type: string;
  size: number;
  sha256: string;
  content_id: string | null;
  disposition: string | null;
}

export function listMessages(db: DB, conversationId: number): Message[] {
  const rows = db
    .prepare(
      `SELECT id, conversation_id, channel, kind, external_id, direction, author_identity_id, author_name, author_address,
         recipients, sent_at, subject, body_text, body_html, parse_problems
       FROM messages WHERE conversation_id = ? ORDER BY sent_at, id`,
    )
    .all(conversationId) as MessageRow[];
  const atts = db.prepare(`SELECT a.* FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ? ORDER BY a.id`).all(conversationId) as AttachmentRow[];
  const byMessage = new Map<number, Attachment[]>();
  for (const a of atts) {
    const list = byMessage.get(a.message_id) ?? [];
    list.push({
      id: a.id,
      filename: a.filename,
      mimeType: a.mime_type,
      size: a.size,
      sha256: a.sha256,
      contentId: a.content_id,
      disposition: a.disposition,
    });
    byMessage.set(a.message_id, list);
  }
  return rows.map((r) => {
    const rcpt = parseJson<{ to?: string[]; cc?: string[] }>(r.recipients, {});
    return {
      id: r.id,
      conversationId: r.conversation_id,
      channel: r.channel,
      kind: r.kind,
      externalId: r.external_id,
      direction: r.direction,
      authorIdentityId: r.author_identity_id,
      authorName: r.author_name,
      authorAddress: r.author_address,
      to: rcpt.to ?? [],
      cc: rcpt.cc ?? [],
      sentAt: r.sent_at,
      subject: r.subject,
      text: r.body_text,
      html: r.body_html,
      parseProblems: parseJson<string[]>(r.parse_problems, []),
      attachments: byMessage.get(r.id) ?? [],
    };
  });
}
