// 0320 on a database made by the old code: escalations stored before states exist keep their place
// at the top of the queue; states written since sort likely, then public complaints.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { migrations } from './index';

describe('migration 0320 escalation-rank', () => {
  it('ranks escalations made by the old code first and new marks by state', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 310);
    const ins = db.prepare(
      "INSERT INTO conversations (channel, kind, external_id, status, escalated, escalation, last_inbound_at, created_at, updated_at) VALUES ('x', 'tweet', ?, 'open', ?, ?, ?, 1, 1)",
    );
    ins.run('plain', 0, null, 1);
    ins.run('old-escalated', 1, JSON.stringify({ reason: 'old', waitedMs: 5, emailConversationId: null, source: 'linking' }), 9);
    ins.run('broken-json', 1, '{not json', 8);
    migrate(db, migrations);
    const rank = (ext: string) => db.prepare('SELECT escalation_rank FROM conversations WHERE external_id = ?').pluck().get(ext);
    expect(rank('plain')).toBe(0);
    expect(rank('old-escalated')).toBe(3);
    expect(rank('broken-json')).toBe(3);
    db.prepare("UPDATE conversations SET escalated = 1, escalation = ? WHERE external_id = 'plain'").run(JSON.stringify({ reason: 'r', state: 'likely' }));
    expect(rank('plain')).toBe(2);
    db.prepare("UPDATE conversations SET escalated = 0, escalation = ? WHERE external_id = 'plain'").run(JSON.stringify({ reason: 'r', state: 'public_complaint' }));
    expect(rank('plain')).toBe(1);
    const order = db
      .prepare('SELECT external_id FROM conversations INDEXED BY conversations_queue_order WHERE status = ? ORDER BY escalation_rank DESC, priority DESC, last_inbound_at')
      .pluck()
      .all('open');
    expect(order).toEqual(['broken-json', 'old-escalated', 'plain']);
  });
});
