import type { DB } from '../open';
import type { Kind, SearchHit } from '../../../../shared/domain/types';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../../shared/domain/types';
import { parseQuery, toFtsExpression, type ParsedQuery } from '../../../../shared/search/parse';

interface HitRow {
  id: number;
  conversation_id: number;
  kind: Kind;
  subject: string;
  author_name: string;
  sent_at: number;
  snippet: string;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Search messages. Newest first: FTS5 is walked in rowid order and stops at the limit, so a common
 * word never forces ranking every match (see docs/benchmarks.md).
 */
export function searchMessages(db: DB, input: string, limit = 50): SearchHit[] {
  const q = parseQuery(input);
  const match = toFtsExpression(q.terms);
  // A prefix query merges the posting lists of every word it covers before the first row comes out,
  // while whole words are walked lazily, newest first, and stop at the limit. So try the last word
  // as a whole word first: when that fills the page (a common, finished word), it is the answer.
  const exact = toFtsExpression(q.terms, { prefixLast: false });
  if (match && exact && exact !== match) {
    const rows = runSearch(db, q, exact, limit);
    if (rows.length >= limit) return rows;
  }
  return runSearch(db, q, match, limit);
}

function runSearch(db: DB, q: ParsedQuery, match: string | null, limit: number): SearchHit[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.terms.length && !match) return [];
  if (match) {
    where.push('messages_fts MATCH ?');
    params.push(match);
    if (q.before != null || q.after != null) {
      // FTS5 walks matches newest-rowid first; with a date range far in the past that walk would
      // pass every newer match. Narrow it to the rowids of the messages in the range (messages_sent).
      const range = db
        .prepare('SELECT min(id) AS lo, max(id) AS hi FROM messages WHERE sent_at >= ? AND sent_at < ?')
        .get(q.after ?? Number.MIN_SAFE_INTEGER, q.before ?? Number.MAX_SAFE_INTEGER) as { lo: number | null; hi: number | null };
      if (range.lo == null || range.hi == null) return [];
      where.push('messages_fts.rowid BETWEEN ? AND ?');
      params.push(range.lo, range.hi);
    }
  }
  for (const f of q.from) {
    where.push("(m.author_address LIKE ? ESCAPE '\\' OR lower(m.author_name) LIKE ? ESCAPE '\\')");
    params.push(`%${escapeLike(f)}%`, `%${escapeLike(f)}%`);
  }
  for (const t of q.to) {
    where.push("lower(m.recipients) LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(t)}%`);
  }
  if (q.channel) {
    where.push('m.channel = ?');
    params.push(q.channel);
  }
  for (const s of q.is) {
    if (s === 'escalated') where.push('c.escalated = 1');
    else {
      where.push('c.status = ?');
      params.push(s);
    }
  }
  if (q.before != null) {
    where.push('m.sent_at < ?');
    params.push(q.before);
  }
  if (q.after != null) {
    where.push('m.sent_at >= ?');
    params.push(q.after);
  }
  if (!where.length) return [];
  const needsConv = q.is.length > 0;
  const sql = match
    ? `SELECT m.id, m.conversation_id, m.kind, m.subject, m.author_name, m.sent_at,
         snippet(messages_fts, -1, '${SNIPPET_OPEN}', '${SNIPPET_CLOSE}', '…', 16) AS snippet
       FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
       ${needsConv ? 'JOIN conversations c ON c.id = m.conversation_id' : ''}
       WHERE ${where.join(' AND ')} ORDER BY messages_fts.rowid DESC LIMIT ?`
    : `SELECT m.id, m.conversation_id, m.kind, m.subject, m.author_name, m.sent_at,
         substr(replace(m.body_text, char(10), ' '), 1, 160) AS snippet
       FROM messages m ${needsConv ? 'JOIN conversations c ON c.id = m.conversation_id' : ''}
       WHERE ${where.join(' AND ')} ORDER BY m.id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit) as HitRow[];
  return rows.map((r) => ({
    messageId: r.id,
    conversationId: r.conversation_id,
    kind: r.kind,
    subject: r.subject,
    authorName: r.author_name,
    sentAt: r.sent_at,
    snippet: r.snippet,
  }));
}
