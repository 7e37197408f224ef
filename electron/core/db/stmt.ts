// A per-database cache of prepared statements: preparing costs more than running a small query,
// and the ingest and linking paths run the same statements for every message and customer.
// A plucked statement is cached apart from the plain one with the same SQL (pluck() changes the
// statement it is called on), so callers never change a statement someone else holds.
//
// Read paths take a ReadDB: every DB is one, but a ReadDB is not a DB, so code holding one cannot
// hand it to a writer (prep, or a repository operation that takes a DB), and prepRead refuses a
// statement that writes (better-sqlite3's Statement.readonly), so a read path cannot write.
import type Database from 'better-sqlite3';
import type { DB, ReadDB } from './open';

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

export type { ReadDB };

/** What a read path may do with a statement. */
export type ReadStatement = Pick<Database.Statement, 'get' | 'all' | 'iterate'>;

function readable(s: Database.Statement, sql: string): ReadStatement {
  if (!s.readonly) throw new Error(`A read path prepared a statement that writes: ${sql.trim().split(/\s+/).slice(0, 4).join(' ')}…`);
  return s;
}

/** prep for a read path: the cached statement for `sql`, which must not write. */
export function prepRead(db: ReadDB, sql: string): ReadStatement {
  return readable(prep(db as DB, sql), sql);
}

/**
 * A statement for a read path prepared afresh, not cached: its SQL is built per call (filters), or
 * it is iterated or made raw on its own. It must not write.
 */
export function prepareRead(db: ReadDB, sql: string): ReadStatement {
  return readable((db as DB).prepare(sql), sql);
}

/** prepareRead returning each row as an array (better-sqlite3's raw()). */
export function prepareReadRaw(db: ReadDB, sql: string): ReadStatement {
  const s = (db as DB).prepare(sql);
  readable(s, sql);
  return s.raw(true);
}

/** prepPluck for a read path. */
export function prepReadPluck(db: ReadDB, sql: string): ReadStatement {
  const s = cached(db as DB, `pluck\0${sql}`, () => {
    const plain = (db as DB).prepare(sql);
    readable(plain, sql); // pluck() itself refuses a statement that returns nothing, with a less useful message
    return plain.pluck();
  });
  return readable(s, sql);
}
