// Saved replies (migration 0330): the owner's reusable texts with their X version, tags, shortcut,
// escalation-default mark and usage count. Names and shortcuts are unique, case-insensitive.
import type { SavedReplyView } from '../../../../shared/contract/saved-replies';
import type { DB, ReadDB } from '../open';
import { parseJson } from '../json';
import { prep, prepRead } from '../stmt';

interface Row {
  id: number;
  name: string;
  body: string;
  x_text: string | null;
  tags: string;
  shortcut: string | null;
  escalation_default: number;
  usage_count: number;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A saved reply as stored (what save writes). */
export interface SavedReplyFields {
  name: string;
  body: string;
  xText: string | null;
  tags: string[];
  shortcut: string | null;
  escalationDefault: boolean;
}

const COLUMNS = 'id, name, body, x_text, tags, shortcut, escalation_default, usage_count, last_used_at, created_at, updated_at';
const ORDER = 'ORDER BY usage_count DESC, name COLLATE NOCASE, id';

function toView(r: Row): SavedReplyView {
  const tags = parseJson<unknown>(r.tags, []);
  return {
    id: r.id,
    name: r.name,
    body: r.body,
    xText: r.x_text,
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    shortcut: r.shortcut,
    escalationDefault: r.escalation_default === 1,
    usageCount: r.usage_count,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listSavedReplies(db: ReadDB): SavedReplyView[] {
  return (prepRead(db, `SELECT ${COLUMNS} FROM saved_replies ${ORDER}`).all() as Row[]).map(toView);
}

export function getSavedReply(db: ReadDB, id: number): SavedReplyView | null {
  const r = prepRead(db, `SELECT ${COLUMNS} FROM saved_replies WHERE id = ?`).get(id) as Row | undefined;
  return r ? toView(r) : null;
}

export function savedReplyByName(db: ReadDB, name: string): SavedReplyView | null {
  const r = prepRead(db, `SELECT ${COLUMNS} FROM saved_replies WHERE name = ? COLLATE NOCASE`).get(name) as Row | undefined;
  return r ? toView(r) : null;
}

export function savedReplyByShortcut(db: ReadDB, shortcut: string): SavedReplyView | null {
  const r = prepRead(db, `SELECT ${COLUMNS} FROM saved_replies WHERE shortcut = ? COLLATE NOCASE`).get(shortcut) as Row | undefined;
  return r ? toView(r) : null;
}

export function escalationDefaultReply(db: ReadDB): SavedReplyView | null {
  const r = prepRead(db, `SELECT ${COLUMNS} FROM saved_replies WHERE escalation_default = 1`).get() as Row | undefined;
  return r ? toView(r) : null;
}

function likeWord(w: string): string {
  return `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Saved replies where every word appears in the name, shortcut, tags, email text or X text: an
 * exact shortcut first, then names starting with the query, then the most used.
 */
export function searchSavedReplies(db: ReadDB, q: string, limit: number): SavedReplyView[] {
  const words = q.trim().replace(/^;/, '').split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return listSavedReplies(db).slice(0, limit);
  const hay = "(name || ' ' || coalesce(shortcut, '') || ' ' || tags || ' ' || body || ' ' || coalesce(x_text, ''))";
  const where = words.map(() => `${hay} LIKE ? ESCAPE '\\'`).join(' AND ');
  const sql = `SELECT ${COLUMNS} FROM saved_replies WHERE ${where}
    ORDER BY (shortcut = ? COLLATE NOCASE) DESC, (name LIKE ? ESCAPE '\\') DESC, usage_count DESC, name COLLATE NOCASE, id LIMIT ?`;
  const args = [...words.map(likeWord), q.trim().replace(/^;/, ''), `${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit];
  return (prepRead(db, sql).all(...args) as Row[]).map(toView);
}

/** Insert or update one saved reply (the escalation-default mark moves to it when set); returns its id. */
export function putSavedReply(db: DB, fields: SavedReplyFields, opts: { id?: number; usageCount?: number; now: number }): number {
  let id = opts.id;
  db.transaction(() => {
    if (fields.escalationDefault) prep(db, 'UPDATE saved_replies SET escalation_default = 0 WHERE escalation_default = 1 AND id IS NOT ?').run(id ?? null);
    const values = {
      name: fields.name,
      body: fields.body,
      x_text: fields.xText,
      tags: JSON.stringify(fields.tags),
      shortcut: fields.shortcut,
      escalation_default: fields.escalationDefault ? 1 : 0,
      now: opts.now,
    };
    if (id === undefined) {
      id = Number(
        prep(
          db,
          `INSERT INTO saved_replies (name, body, x_text, tags, shortcut, escalation_default, usage_count, created_at, updated_at)
           VALUES (@name, @body, @x_text, @tags, @shortcut, @escalation_default, @usage, @now, @now)`,
        ).run({ ...values, usage: opts.usageCount ?? 0 }).lastInsertRowid,
      );
    } else {
      prep(
        db,
        `UPDATE saved_replies SET name = @name, body = @body, x_text = @x_text, tags = @tags, shortcut = @shortcut,
           escalation_default = @escalation_default, updated_at = @now WHERE id = @id`,
      ).run({ ...values, id });
    }
  })();
  return id!;
}

export function removeSavedReply(db: DB, id: number): boolean {
  return prep(db, 'DELETE FROM saved_replies WHERE id = ?').run(id).changes > 0;
}

/** Count one use (an insert); returns the new count, or null when the reply is gone. */
export function countSavedReplyUse(db: DB, id: number, now: number): number | null {
  const r = prep(db, 'UPDATE saved_replies SET usage_count = usage_count + 1, last_used_at = ? WHERE id = ? RETURNING usage_count').get(now, id) as { usage_count: number } | undefined;
  return r ? r.usage_count : null;
}

/** Run `fn` in one transaction (an import is all or nothing). */
export function inSavedRepliesTransaction<T>(db: DB, fn: () => T): T {
  return db.transaction(fn)();
}
