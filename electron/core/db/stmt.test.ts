import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from './open';
import { prep, prepareRead, prepareReadRaw, prepPluck, prepRead, prepReadPluck, type ReadDB } from './stmt';
import { tempDir } from '../testing/tmp';
import path from 'node:path';

describe('cached statements and read paths', () => {
  let db: DB | null = null;
  let cleanup: (() => void) | null = null;
  afterEach(() => {
    db?.close();
    db = null;
    cleanup?.();
    cleanup = null;
  });

  function open(): DB {
    const t = tempDir('canary-stmt-');
    cleanup = t.cleanup;
    db = openDatabase(path.join(t.dir, 'canary.db'));
    return db;
  }

  it('prepares a statement once per database and keeps plucked ones apart', () => {
    const d = open();
    const sql = 'SELECT count(*) AS n FROM settings';
    expect(prep(d, sql)).toBe(prep(d, sql));
    expect(prepPluck(d, sql)).not.toBe(prep(d, sql));
    expect(prep(d, sql).get()).toEqual({ n: expect.any(Number) });
    expect(typeof prepPluck(d, sql).get()).toBe('number');
  });

  it('lets a read path read, and refuses a statement that writes', () => {
    const d = open();
    const read: ReadDB = d;
    expect(prepReadPluck(read, "SELECT count(*) FROM sqlite_master WHERE type = 'table'").get()).toBeGreaterThan(5);
    expect(prepRead(read, 'SELECT 1 AS one').get()).toEqual({ one: 1 });
    expect(() => prepRead(read, "INSERT INTO settings (key, value) VALUES ('x', '1')")).toThrow(/read path prepared a statement that writes: INSERT INTO settings/);
    expect(() => prepRead(read, 'DELETE FROM settings RETURNING key')).toThrow(/writes/);
    expect(() => prepReadPluck(read, "UPDATE settings SET value = '2'")).toThrow(/writes/);
    // Uncached statements of a read path (SQL built per call, raw rows) are held to the same rule.
    expect(prepareRead(read, 'SELECT 2 AS two').get()).toEqual({ two: 2 });
    expect(prepareRead(read, 'SELECT 3 AS n')).not.toBe(prepareRead(read, 'SELECT 3 AS n'));
    expect([...prepareReadRaw(read, 'SELECT 1, 2 UNION ALL SELECT 3, 4').iterate()]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(() => prepareRead(read, "INSERT INTO settings (key, value) VALUES ('x', '1')")).toThrow(/writes: INSERT INTO settings/);
    expect(() => prepareReadRaw(read, 'DELETE FROM settings')).toThrow(/writes/);
    // Nothing was written.
    expect(prepPluck(d, "SELECT count(*) FROM settings WHERE key = 'x'").get()).toBe(0);
    // A ReadDB cannot be handed to a writer (checked by tsc).
    const writer = (w: DB): DB => w;
    // @ts-expect-error a ReadDB is not a DB
    expect(() => writer(read)).not.toThrow();
  });
});
