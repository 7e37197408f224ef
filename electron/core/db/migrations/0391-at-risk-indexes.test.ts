// 0391 on a database made by the old code: the waiting and marked conversations are read through the
// new partial indexes (INDEXED BY fails to prepare when an index cannot answer) with the same rows as
// a plain read, and every kind of message write is recorded in message_changes with a newer sequence.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { waitingConversations } from '../repos/goals';
import { lastMessageChange, messagesChangedSince, publicComplaintAuthors } from '../repos/risk';
import { migrations } from './index';

describe('migration 0391 at-risk-indexes', () => {
  it('indexes the waiting and the marked conversations; records which conversations messages changed', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 390);
    const conv = db.prepare(
      "INSERT INTO conversations (id, channel, kind, external_id, subject, status, last_inbound_at, last_outbound_at, escalated, escalation, created_at, updated_at) VALUES (?, 'email', 'email', ?, '', ?, ?, ?, ?, ?, 1, 1)",
    );
    conv.run(1, 'a', 'open', 10, null, 0, null); // waiting: never answered
    conv.run(2, 'b', 'open', 10, 20, 0, null); // answered
    conv.run(3, 'c', 'open', 30, 20, 0, null); // waiting again
    conv.run(4, 'd', 'done', 10, null, 0, null); // done
    conv.run(5, 'e', 'open', 10, null, 1, '{"state":"likely"}');
    conv.run(6, 'f', 'open', null, null, 0, '{"state":"public_complaint"}');
    const msg = db.prepare("INSERT INTO messages (conversation_id, channel, kind, external_id, direction, sent_at, created_at) VALUES (?, 'email', 'email', ?, ?, ?, 1)");
    msg.run(5, 'm1', 'in', 10);
    msg.run(6, 'm2', 'in', 15);
    msg.run(6, 'm3', 'in', 12);
    migrate(db, migrations, 391);
    expect(schemaVersion(db)).toBe(391);

    expect(waitingConversations(db as never).map((c) => c.id)).toEqual([1, 3, 5]);
    const plain = db
      .prepare("SELECT id FROM conversations NOT INDEXED WHERE status = 'open' AND last_inbound_at IS NOT NULL AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at) ORDER BY id")
      .pluck()
      .all();
    expect(plain).toEqual([1, 3, 5]);
    expect(publicComplaintAuthors(db as never).map((p) => [p.id, p.firstAt])).toEqual([
      [5, 10],
      [6, 12],
    ]);

    // Messages written before 0391 are not in message_changes; every write after it is, with a newer sequence.
    expect(lastMessageChange(db as never)).toBe(0);
    msg.run(1, 'm4', 'in', 11);
    const s1 = lastMessageChange(db);
    expect(messagesChangedSince(db as never, 0)).toEqual([1]);
    db.prepare("UPDATE messages SET body_text = 'edited' WHERE external_id = 'm2'").run();
    expect(messagesChangedSince(db as never, s1)).toEqual([6]);
    const s2 = lastMessageChange(db);
    db.prepare("UPDATE messages SET conversation_id = 2 WHERE external_id = 'm3'").run(); // a move: both conversations
    expect(messagesChangedSince(db as never, s2).sort()).toEqual([2, 6]);
    const s3 = lastMessageChange(db);
    db.prepare("DELETE FROM messages WHERE external_id = 'm1'").run();
    expect(messagesChangedSince(db as never, s3)).toEqual([5]);
    expect(lastMessageChange(db as never)).toBeGreaterThan(s3);
  });
});
