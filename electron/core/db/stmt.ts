// A per-database cache of prepared statements: preparing costs more than running a small query,
// and the ingest and linking paths run the same statements for every message and customer.
// A plucked statement is cached apart from the plain one with the same SQL (pluck() changes the
// statement it is called on), so callers never change a statement someone else holds.
import type Database from 'better-sqlite3';
import type { DB } from './open';

const caches = new WeakMap<DB, Map<string, Database.Statement>>();

function cached(db: DB, key: string, make: () => Database.Statement): Database.Statement {
  let m = caches.get(db);
  if (!m) {
    m = new Map();
    caches.set(db, m);
  }
  let s = m.get(key);
  if (!s) {
    if (m.size > 1000) m.clear();
    s = make();
    m.set(key, s);
  }
  return s;
}

/** The prepared statement for `sql` on `db`, prepared once. Do not call .pluck()/.raw() on it: use prepPluck. */
export function prep(db: DB, sql: string): Database.Statement {
  return cached(db, sql, () => db.prepare(sql));
}

/** The same, returning the first column of each row only (better-sqlite3's pluck()). */
export function prepPluck(db: DB, sql: string): Database.Statement {
  return cached(db, `pluck\0${sql}`, () => db.prepare(sql).pluck());
}
