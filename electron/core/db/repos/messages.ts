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
  // Positional parameters: better-sqlite3 binds 19 named ones ~1.5 µs slower a row (an import stores 10,000s).
  return prep(
    db,
    `INSERT INTO messages (conversation_id, account_id, channel, kind, external_id, in_reply_to, refs,
         author_identity_id, author_name, author_address, recipients, direction, sent_at, subject, body_text,
         body_html, raw, parse_problems, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, external_id) DO NOTHING`,
  ).run(
    m.conversationId,
    m.accountId ?? null,
    m.channel,
    m.kind,
    m.externalId,
    m.inReplyTo ?? null,
    JSON.stringify(m.refs ?? []),
    m.authorIdentityId ?? null,
    m.authorName ?? '',
    m.authorAddress ?? '',
    JSON.stringify({ to: m.to ?? [], cc: m.cc ?? [] }),
    m.direction,
    m.sentAt,
    m.subject ?? '',
    m.text ?? '',
    m.html ?? null,
    typeof m.raw === 'string' ? Buffer.from(m.raw, 'utf8') : (m.raw ?? null),
    m.parseProblems && m.parseProblems.length ? JSON.stringify(m.parseProblems) : null,
    m.now ?? Date.now(),
  );
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
/**
 * The conversations of the batch, each with its newest message and whether that message moves
 * the stored facts by itself (fast), as messages_marks_ai would have for one message:
 * the conversation got one message in the batch, and it is after the facts' last message (or the
 * conversation has no facts: it had no message), or it is an older customer message of a
 * conversation the business never wrote in. The facts row is the conversation's without that
 * message unless an update or delete in the batch worked it out again (its triggers run row by row,
 * pending messages included); then it ends at or after the message, or (all customer messages)
 * counts it among its follow-ups: not fast.
 */
const PENDING_GROUPS = `SELECT p.cid, m.id, m.direction, m.sent_at,
    p.n = 1 AND (f.conversation_id IS NULL OR (f.last_at, f.last_id) < (m.sent_at, m.id)
      OR (m.direction = 'in' AND f.last_out IS NULL AND f.first_in IS NOT NULL AND (f.last_at, f.last_id) > (m.sent_at, m.id)
        AND f.follow_ups = (SELECT count(*) FROM messages c WHERE c.conversation_id = p.cid) - 2)) AS fast
  FROM (SELECT conversation_id AS cid, count(*) AS n, max(id) AS mid FROM messages NOT INDEXED WHERE id > ? GROUP BY conversation_id) p
  JOIN messages m ON m.id = p.mid
  LEFT JOIN conversation_facts f ON f.conversation_id = p.cid`;
/** The batch's other conversations: their facts worked out again from their messages (0390's definition). */
const PENDING_FACTS = `INSERT INTO conversation_facts SELECT * FROM (${factsSelect(`SELECT cid FROM (${PENDING_GROUPS}) WHERE NOT fast`)}) WHERE true
  ON CONFLICT (conversation_id) DO UPDATE SET ${FACTS_FROM_EXCLUDED}`;
/**
 * The fast ones moved by their message, as messages_marks_ai does (0396): one after the last moves
 * them forward (A); an older customer message where the business never wrote moves first_in and
 * unanswered_from back to it and is one more follow-up.
 */
const A = '(last_at, last_id) < (excluded.last_at, excluded.last_id)';
const PENDING_FACTS_FAST = `INSERT INTO conversation_facts (conversation_id, first_in, first_reply, last_out, follow_ups, unanswered_from, last_at, last_id)
  SELECT cid, CASE WHEN direction = 'in' THEN sent_at END, NULL, CASE WHEN direction = 'out' THEN sent_at END, 0,
    CASE WHEN direction = 'in' THEN sent_at END, sent_at, id
  FROM (${PENDING_GROUPS}) WHERE fast
  ON CONFLICT (conversation_id) DO UPDATE SET
    first_in = CASE WHEN ${A} THEN coalesce(first_in, excluded.first_in) ELSE min(first_in, excluded.first_in) END,
    first_reply = CASE WHEN first_reply IS NULL AND first_in IS NOT NULL AND excluded.last_out IS NOT NULL THEN excluded.last_out ELSE first_reply END,
    last_out = coalesce(excluded.last_out, last_out),
    follow_ups = follow_ups + (excluded.first_in IS NOT NULL AND first_in IS NOT NULL AND first_reply IS NULL),
    unanswered_from = CASE WHEN excluded.last_out IS NOT NULL THEN NULL WHEN ${A} THEN coalesce(unanswered_from, excluded.first_in) ELSE min(first_in, excluded.first_in) END,
    last_at = CASE WHEN ${A} THEN excluded.last_at ELSE last_at END,
    last_id = CASE WHEN ${A} THEN excluded.last_id ELSE last_id END`;

/**
 * Finish the messages inserted above the pending mark (messages_fts_pending, see migrations 0303
 * and 0396) in one statement each, and clear the mark: their search rows; one message change for
 * each conversation they went into (one sequence number for the batch: the at-risk list reads
 * `seq >` what it last saw); and those conversations' facts worked out again from their messages
 * (factsSelect, 0390's definition), or, for one that got a single message, moved by it as the
 * insert trigger does (PENDING_FACTS_FAST: an X page's ~90 conversations of 100 posts, mostly
 * new, cost ~2.5 µs each so instead of ~5). Returns how many rows were indexed.
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
    prep(db, PENDING_FACTS_FAST).run(p.after_id);
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
