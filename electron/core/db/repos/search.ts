import { prepareRead, type ReadDB } from '../stmt';
import type { Kind, SearchHit } from '../../../../shared/domain/types';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../../shared/domain/types';
import { MIN_PREFIX, parseQuery, toFtsExpression, type ParsedQuery } from '../../../../shared/search/parse';

interface HitRow {
  id: number;
  conversation_id: number;
  kind: Kind;
  subject: string;
  author_name: string;
  sent_at: number;
  snippet: string;
}

function toHit(r: Omit<HitRow, 'snippet'>, snippet: string): SearchHit {
  return { messageId: r.id, conversationId: r.conversation_id, kind: r.kind, subject: r.subject, authorName: r.author_name, sentAt: r.sent_at, snippet };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Search messages. Newest first: FTS5 is walked in rowid order and stops at the limit, so a common
 * word never forces ranking every match (see docs/benchmarks.md).
 */
export function searchMessages(db: ReadDB, input: string, limit = 50): SearchHit[] {
  const q = parseQuery(input);
  const match = toFtsExpression(q.terms);
  // A prefix query merges the posting lists of every word it covers before the first row comes out,
  // while whole words are walked lazily, newest first, and stop at the limit. So try the last word
  // as a whole word first: when that fills the page (a common, finished word), it is the answer.
  const exact = toFtsExpression(q.terms, { prefixLast: false });
  if (match && exact && exact !== match) {
    const rows = runSearch(db, q, exact, limit);
    if (rows.length >= limit) return rows;
    const walked = prefixWalk(db, q, limit);
    if (walked) return walked;
  }
  return runSearch(db, q, match, limit);
}

/** The WHERE clause for a search: the FTS match (when there are words) and the operators. */
function filters(db: ReadDB, q: ParsedQuery, match: string | null): { where: string[]; params: unknown[]; needsConv: boolean } | null {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.terms.length && !match) return null;
  if (match) {
    where.push('messages_fts MATCH ?');
    params.push(match);
    if (q.before != null || q.after != null) {
      // FTS5 walks matches newest-rowid first; with a date range far in the past that walk would
      // pass every newer match. Narrow it to the rowids of the messages in the range (messages_sent).
      const range = prepareRead(db, 'SELECT min(id) AS lo, max(id) AS hi FROM messages WHERE sent_at >= ? AND sent_at < ?').get(
        q.after ?? Number.MIN_SAFE_INTEGER,
        q.before ?? Number.MAX_SAFE_INTEGER,
      ) as { lo: number | null; hi: number | null };
      if (range.lo == null || range.hi == null) return null;
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
  if (!where.length) return null;
  return { where, params, needsConv: q.is.length > 0 };
}

function runSearch(db: ReadDB, q: ParsedQuery, match: string | null, limit: number): SearchHit[] {
  const f = filters(db, q, match);
  if (!f) return [];
  const { where, params, needsConv } = f;
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
  const rows = prepareRead(db, sql).all(...params, limit) as HitRow[];
  return rows.map((r) => toHit(r, r.snippet));
}

/**
 * Rows the prefix walk looks at before leaving the query to FTS5's own prefix search (about 20 µs
 * each): a prefix that covers common words fills the page long before; one that covers rare or no
 * words is cheap for FTS5 (short posting lists), so the walk gives up early (a misspelt word costs
 * ~5 ms more, not the 30 to 45 ms of walking 2,000 rows).
 */
const WALK_MAX = 250;

/** Case and diacritics folded as unicode61 remove_diacritics 2 does (close enough for prefixes). */
function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const MARKED = new RegExp(`${SNIPPET_OPEN}([^${SNIPPET_CLOSE}]*)${SNIPPET_CLOSE}`, 'g');

/**
 * The last word typed (4+ characters) as a prefix, without FTS5's prefix search: that merges the
 * posting lists of every word the prefix covers before the first row comes out (20 to 40 ms for
 * "trac" or "espress" at 300,000 messages, however few rows are wanted). Instead walk the matches of
 * its first three characters ("tra"*, one list in the table's 3-character prefix index, newest first
 * and lazily), keep the rows where a matched token starts with the whole prefix (the tokens come
 * from FTS5's highlight(), so they are its own tokens), and stop at the limit. Returns null when the
 * prefix is not one plain word or too many rows did not qualify; the caller then asks FTS5.
 */
function prefixWalk(db: ReadDB, q: ParsedQuery, limit: number): SearchHit[] | null {
  const usable = q.terms.filter((t) => /[\p{L}\p{N}]/u.test(t.text));
  const last = usable[usable.length - 1];
  if (!last || last.phrase || !/^[\p{L}\p{N}]+$/u.test(last.text)) return null;
  const chars = [...last.text];
  if (chars.length <= MIN_PREFIX) return null;
  const want = fold(last.text);
  const short = chars.slice(0, MIN_PREFIX).join('');
  const others = toFtsExpression(usable.slice(0, -1), { prefixLast: false });
  const otherWords = new Set(usable.slice(0, -1).flatMap((t) => fold(t.text).match(TOKEN) ?? []));
  const match = `${others ? `${others} AND ` : ''}"${short.replace(/"/g, '""')}"*`;
  const f = filters(db, q, match);
  if (!f) return [];
  const { where, params, needsConv } = f;
  const hl = (col: number) => `highlight(messages_fts, ${col}, '${SNIPPET_OPEN}', '${SNIPPET_CLOSE}')`;
  const sql = `SELECT m.id, m.conversation_id, m.kind, m.subject, m.author_name, m.sent_at,
       ${hl(0)} AS h0, ${hl(1)} AS h1, ${hl(2)} AS h2
     FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
     ${needsConv ? 'JOIN conversations c ON c.id = m.conversation_id' : ''}
     WHERE ${where.join(' AND ')} ORDER BY messages_fts.rowid DESC`;
  const qualifies = (span: string) => (fold(span).match(TOKEN) ?? []).some((t) => t.startsWith(want));
  const out: SearchHit[] = [];
  let seen = 0;
  for (const r of prepareRead(db, sql).iterate(...params) as IterableIterator<HitRow & { h0: string | null; h1: string | null; h2: string | null }>) {
    if (++seen > WALK_MAX) return null;
    // Body first, as FTS5's snippet() mostly picks it; then subject and author.
    const cols = [r.h1, r.h0, r.h2];
    const col = cols.find((h) => h != null && [...h.matchAll(MARKED)].some((m) => qualifies(m[1]!)));
    if (col == null) continue;
    out.push(toHit(r, snippetOf(col, qualifies, otherWords)));
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Like FTS5's snippet(…, '…', 16): sixteen words around the first match of the prefix, matches
 * marked; words that only matched the three-letter walk (not the prefix, not another term) unmarked.
 */
function snippetOf(text: string, qualifies: (span: string) => boolean, otherWords: Set<string>): string {
  const marked = text.replace(MARKED, (all, span: string) => (qualifies(span) || (fold(span).match(TOKEN) ?? []).some((t) => otherWords.has(t)) ? all : span));
  const words = marked.replace(/\s+/g, ' ').trim().split(' ');
  const at = Math.max(
    0,
    words.findIndex((w) => [...w.matchAll(MARKED)].some((m) => qualifies(m[1]!))),
  );
  const from = Math.max(0, Math.min(at - 4, words.length - 16));
  const to = Math.min(words.length, from + 16);
  return `${from > 0 ? '…' : ''}${words.slice(from, to).join(' ')}${to < words.length ? '…' : ''}`;
}
