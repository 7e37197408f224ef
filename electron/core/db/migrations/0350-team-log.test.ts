// 0350 on a database made by the old code: the team tables appear empty and STRICT, nothing else
// changes, and the keys that make applying idempotent hold.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';

describe('migration 0350 team-log', () => {
  it('adds the team tables (STRICT, empty) and leaves the rest as it was', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 340);
    db.prepare("INSERT INTO conversations (channel, kind, external_id, status, created_at, updated_at) VALUES ('email', 'email', 'r@x', 'done', 1, 1)").run();
    const before = db.prepare('SELECT * FROM conversations').all();
    migrate(db, migrations, 350);
    expect(schemaVersion(db)).toBe(350);
    expect(db.prepare('SELECT * FROM conversations').all()).toEqual(before);
    for (const t of ['team_meta', 'team_events', 'team_fields', 'team_history', 'team_log_cursor']) {
      expect((db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(t) as { strict: number }).strict).toBe(1);
      expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
    }
    const ins = db.prepare(
      "INSERT INTO team_events (id, device, seq, author_name, author_address, at, kind, target, body, state, created_at) VALUES (?, 'd1', ?, 'A', 'a@x', 1, 'note', 'email:r@x', '{}', ?, 1)",
    );
    ins.run('e1', 1, 'queued');
    expect(() => ins.run('e1', 2, 'queued')).toThrow(/UNIQUE constraint failed: team_events.id/);
    expect(() => ins.run('e2', 1, 'queued')).toThrow(/UNIQUE constraint failed: team_events.device, team_events.seq/);
    expect(() => ins.run('e3', 3, 'lost')).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO team_fields (target, field, value, at, author, event_id) VALUES ('k', 'status', '1', 'soon', 'a', 'e1')").run()).toThrow(
      /cannot store TEXT value in INTEGER column team_fields.at/,
    );
  });
});
