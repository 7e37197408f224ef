// 0340 on a database made by the old code: the outbox rows queued before it keep everything and have
// no group; the table stays STRICT (a group id that is not text is refused), and a group's items are
// found through the new index.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';

describe('migration 0340 outbox-answer-group', () => {
  it('adds group_id (NULL on old rows), keeps the table STRICT and indexes groups', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 320);
    db.prepare("INSERT INTO accounts (id, channel, name, config, created_at, updated_at) VALUES (1, 'email', 'A', '{}', 1, 1)").run();
    const ins = db.prepare('INSERT INTO outbox (account_id, kind, payload, state, attempts, next_attempt_at, idempotency_key, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 5, ?, 1, 2)');
    ins.run('email', '{"subject":"Re: Order"}', 'sent', 1, 'old-1');
    ins.run('tweet', '{"text":"Sorry"}', 'queued', 0, 'old-2');
    const before = db.prepare('SELECT * FROM outbox ORDER BY id').all();

    migrate(db, migrations, 340);
    expect(schemaVersion(db)).toBe(340);
    const after = db.prepare('SELECT * FROM outbox ORDER BY id').all() as Record<string, unknown>[];
    expect(after.map(({ group_id, ...rest }) => ({ group_id, rest }))).toEqual((before as Record<string, unknown>[]).map((r) => ({ group_id: null, rest: r })));
    expect((db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'outbox'").get() as { strict: number }).strict).toBe(1);

    db.prepare("UPDATE outbox SET group_id = 'g-1' WHERE idempotency_key IN ('old-1', 'old-2')").run();
    expect(() => db.prepare("UPDATE outbox SET group_id = x'00ff' WHERE idempotency_key = 'old-1'").run()).toThrow(/cannot store BLOB value in TEXT column outbox.group_id/);
    // INDEXED BY fails to prepare when the index cannot answer the query.
    expect(db.prepare("SELECT count(*) FROM outbox INDEXED BY outbox_group WHERE group_id = 'g-1'").pluck().get()).toBe(2);
  });
});
