// 0360 on a database made by the old code: the marked conversations are found through the new partial
// index (INDEXED BY fails to prepare when the index cannot answer), and what the notifier reads is the same.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { escalatedMarks, openEscalatedCount } from '../repos/notify';
import { migrations } from './index';

describe('migration 0360 escalated-index', () => {
  it('indexes the conversations marked escalated or likely; the notifier reads the same through it', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 350);
    const ins = db.prepare("INSERT INTO conversations (channel, kind, external_id, subject, status, escalated, escalation, created_at, updated_at) VALUES ('x', 'tweet', ?, '', ?, ?, ?, 1, 1)");
    ins.run('a', 'open', 1, '{"state":"escalated"}');
    ins.run('b', 'done', 1, '{"state":"likely"}');
    ins.run('c', 'open', 0, null);
    ins.run('d', 'open', 0, '{"state":"public_complaint"}');
    migrate(db, migrations, 360);
    expect(schemaVersion(db)).toBe(360);
    expect(db.prepare('SELECT count(*) FROM conversations INDEXED BY conversations_escalated WHERE escalated = 1').pluck().get()).toBe(2);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id, escalation FROM conversations WHERE escalated = 1').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('conversations_escalated');
    expect(
      escalatedMarks(db as never)
        .map((m) => m.escalation)
        .sort(),
    ).toEqual(['{"state":"escalated"}', '{"state":"likely"}']);
    expect(openEscalatedCount(db as never)).toBe(1);
  });
});
