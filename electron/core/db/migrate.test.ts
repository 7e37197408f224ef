import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { latestVersion, migrate, schemaVersion } from './migrate';
import { migrations } from './migrations';
import { openDatabase } from './open';
import { tempDir } from '../testing/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function tmpFile(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'canary.db');
}

describe('migrations', () => {
  it('versions strictly increase', () => {
    for (let i = 1; i < migrations.length; i++) expect(migrations[i]!.version).toBeGreaterThan(migrations[i - 1]!.version);
  });

  it('bring a fresh database to the latest version with STRICT tables, WAL and FTS5', () => {
    const db = openDatabase(tmpFile());
    expect(schemaVersion(db)).toBe(latestVersion(migrations));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['accounts', 'customers', 'identities', 'conversations', 'messages', 'attachments', 'links', 'outbox', 'sync_state']));
    for (const t of tables) expect(t.sql, `${t.name} is STRICT`).toMatch(/\)\s*(?:WITHOUT ROWID\s*,\s*)?STRICT(?:\s*,\s*WITHOUT ROWID)?\s*$/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'messages_fts'").get()).toEqual({ n: 1 });
    db.close();
  });

  it('is idempotent: opening again applies nothing', () => {
    const file = tmpFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(migrate(db, migrations)).toBe(latestVersion(migrations));
    db.close();
  });

  it('upgrades from every earlier version, keeping data', () => {
    for (const start of [0, ...migrations.slice(0, -1).map((m) => m.version)]) {
      const file = tmpFile();
      const db = new Database(file);
      migrate(db, migrations, start);
      expect(schemaVersion(db)).toBe(start);
      if (start >= 10) {
        db.prepare("INSERT INTO customers (display_name, created_at, updated_at) VALUES ('Jane', 1, 1)").run();
      }
      migrate(db, migrations);
      expect(schemaVersion(db)).toBe(latestVersion(migrations));
      if (start >= 10) expect(db.prepare('SELECT display_name FROM customers').get()).toEqual({ display_name: 'Jane' });
      db.close();
    }
  });

  it('keeps messages searchable when FTS arrives after data (upgrade from 10)', () => {
    const file = tmpFile();
    const db = new Database(file);
    migrate(db, migrations, 10);
    db.exec(`INSERT INTO conversations (channel, kind, external_id, created_at, updated_at) VALUES ('email', 'email', 'a@b', 1, 1);
      INSERT INTO messages (conversation_id, channel, kind, external_id, direction, sent_at, subject, body_text, created_at)
      VALUES (1, 'email', 'email', 'a@b', 'in', 1, 'Refund please', 'order HP-482913 never arrived', 1);`);
    migrate(db, migrations);
    expect(db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH \'"482913"\'').all()).toEqual([{ rowid: 1 }]);
    db.close();
  });

  it('refuses a database written by a newer Canary, and leaves it untouched', () => {
    const file = tmpFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion(migrations) + 100}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(/newer version of Canary/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls back a failing migration wholly, leaving the previous version', () => {
    const file = tmpFile();
    const db = new Database(file);
    const broken = [
      ...migrations,
      {
        version: 100_000,
        name: 'broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(latestVersion(migrations));
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
  });
});
