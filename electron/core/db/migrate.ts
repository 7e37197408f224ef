import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(list: readonly Migration[]): number {
  return list.length ? list[list.length - 1]!.version : 0;
}

/**
 * Apply every pending migration, each in its own transaction together with its `user_version` bump,
 * so a crash leaves the database at the last completed version. A database written by a newer
 * Canary is refused rather than touched.
 */
export function migrate(db: Database.Database, list: readonly Migration[], target = latestVersion(list)): number {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.version <= list[i - 1]!.version) {
      throw new Error(`migrations out of order: ${list[i - 1]!.version} then ${list[i]!.version}`);
    }
  }
  const current = schemaVersion(db);
  const newest = latestVersion(list);
  if (current > newest) {
    throw new AppError(
      'conflict',
      `This database was written by a newer version of Canary (schema ${current}; this app knows up to ${newest}). ` + 'Update Canary to open it; the database was not changed.',
    );
  }
  for (const m of list) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
