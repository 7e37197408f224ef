import Database from 'better-sqlite3';
import { createPrivateFile, tightenFile } from '../permissions';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type DB = Database.Database;
/**
 * The database as a read path holds it: statements through db/stmt prepRead only. Every DB is one;
 * a ReadDB is not a DB, so code holding one cannot hand it to a writer.
 */
export type ReadDB = Pick<DB, 'open' | 'name' | 'inTransaction'>;

export interface OpenOptions {
  /** Path to a native better-sqlite3 addon built for the current runtime (Electron passes its own build). */
  nativeBinding?: string;
  readonly?: boolean;
  /** Run migrations (default true). */
  migrate?: boolean;
}

/**
 * Open (and create) the database with Canary's pragmas, then bring its schema up to date. The
 * file, its -wal and its -shm are readable by the owner only (0600), also when an older version
 * left them 0644.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  const memory = file === ':memory:' || file === '';
  if (!memory && !opts.readonly) {
    createPrivateFile(file);
    for (const f of [`${file}-wal`, `${file}-shm`]) tightenFile(f);
  }
  const db = new Database(file, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readonly ? { readonly: true, fileMustExist: true } : {}),
  });
  try {
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (opts.migrate !== false) migrate(db, migrations);
    // SQLite gives -wal and -shm the database's mode; make sure of it.
    if (!memory && !opts.readonly) for (const f of [`${file}-wal`, `${file}-shm`]) tightenFile(f);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
