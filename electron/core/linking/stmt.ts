// Prepared statements cached per database connection: linking runs the same few queries for every
// customer and post, and preparing them each time would cost more than running them.
import type Database from 'better-sqlite3';
import type { DB } from '../db/open';

type Statement = Database.Statement<unknown[], unknown>;
const caches = new WeakMap<DB, Map<string, Statement>>();

/** The prepared statement for `sql` on `db` (prepared once). */
export function q(db: DB, sql: string): Statement {
  let m = caches.get(db);
  if (!m) {
    m = new Map();
    caches.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare<unknown[], unknown>(sql);
    m.set(sql, s);
  }
  return s;
}
