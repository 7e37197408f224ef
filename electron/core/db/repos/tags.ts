// Tags (labels) on conversations, kept in conversations.tags (a JSON array of strings) and mirrored
// by triggers into conversation_tags (migration 0304) for the filter (repos/conversations.ts) and
// the counts. This file counts and edits them.
import type { TagCountView } from '../../../../shared/contract/tags';
import type { DB } from '../open';
import { parseJson } from '../json';

/** Every tag in use, most used first, with open and total conversation counts. */
export function tagCounts(db: DB, opts: { accountId?: number } = {}): TagCountView[] {
  const rows = db
    .prepare(
      `SELECT t.tag AS tag, count(*) AS total, sum(c.status = 'open') AS open
       FROM conversation_tags t JOIN conversations c ON c.id = t.conversation_id
       ${opts.accountId !== undefined ? 'WHERE c.account_id = ?' : ''}
       GROUP BY t.tag ORDER BY total DESC, tag COLLATE NOCASE LIMIT 500`,
    )
    .all(...(opts.accountId !== undefined ? [opts.accountId] : [])) as { tag: string; total: number; open: number }[];
  return rows.map((r) => ({ tag: r.tag, open: r.open ?? 0, total: r.total }));
}

/**
 * Add and remove tags on conversations (case-insensitive match: "Refund" and "refund" are one tag,
 * the first spelling stays). Returns the number of conversations whose tags changed.
 */
export function editTags(db: DB, input: { ids: number[]; add?: string[]; remove?: string[]; now: number }): number {
  const add = input.add ?? [];
  const remove = (input.remove ?? []).map((t) => t.toLowerCase());
  const get = db.prepare('SELECT tags FROM conversations WHERE id = ?').pluck();
  const set = db.prepare('UPDATE conversations SET tags = ?, updated_at = ? WHERE id = ?');
  let changed = 0;
  db.transaction(() => {
    for (const id of new Set(input.ids)) {
      const raw = get.get(id) as string | undefined;
      if (raw === undefined) continue;
      const cur = parseJson<unknown>(raw, []);
      const tags = Array.isArray(cur) ? cur.filter((t): t is string => typeof t === 'string') : [];
      let next = tags.filter((t) => !remove.includes(t.toLowerCase()));
      for (const t of add) if (!next.some((x) => x.toLowerCase() === t.toLowerCase())) next = [...next, t];
      if (JSON.stringify(next) === JSON.stringify(tags)) continue;
      set.run(JSON.stringify(next), input.now, id);
      changed++;
    }
  })();
  return changed;
}
