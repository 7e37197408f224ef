import Database from 'better-sqlite3';
import { migrate } from './migrate';
import { migrations } from './migrations';

export type DB = Database.Database;

export interface OpenOptions {
  /** Path to a native better-sqlite3 addon built for the current runtime (Electron passes its own build). */
  nativeBinding?: string;
  readonly?: boolean;
  /** Run migrations (default true). */
  migrate?: boolean;
}

/** Open (and create) the database with Canary's pragmas, then bring its schema up to date. */
export function openDatabase(file: string, opts: OpenOptions = {}): DB {
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
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
