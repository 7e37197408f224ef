// A per-database cache of prepared statements: preparing costs more than running a small query,
// and the ingest path runs ~20 statements per message.
import type Database from 'better-sqlite3';
import type { DB } from './open';

const caches = new WeakMap<DB, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on `db`, prepared once. Do not call .pluck()/.raw() on it. */
export function prep(db: DB, sql: string): Database.Statement {
  let m = caches.get(db);
  if (!m) {
    m = new Map();
    caches.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    if (m.size > 1000) m.clear();
    s = db.prepare(sql);
    m.set(sql, s);
  }
  return s;
}
