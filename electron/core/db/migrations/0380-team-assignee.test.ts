// 0380 on a database made by the old code (at 370): the team log's winning assignee is shown on each
// conversation it leads to (its own key, or any Message-ID of an email thread), nobody elsewhere,
// and the Assigned to me filter and counts read it through the new partial index (countAssigned names it: INDEXED BY fails when it cannot answer).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { countAssigned, countConversations, listConversations } from '../repos/conversations';
import { migrations } from './index';

describe('migration 0380 team-assignee', () => {
  it('fills the assignee from team_fields and indexes it', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 370);
    const conv = db.prepare("INSERT INTO conversations (channel, kind, external_id, subject, status, created_at, updated_at) VALUES (?, ?, ?, '', ?, 1, 1)");
    const a = Number(conv.run('email', 'email', 'root-a@x', 'open').lastInsertRowid);
    const b = Number(conv.run('email', 'email', 'root-b@x', 'open').lastInsertRowid);
    const c = Number(conv.run('x', 'tweet', '1900', 'open').lastInsertRowid);
    const d = Number(conv.run('email', 'email', 'root-d@x', 'done').lastInsertRowid);
    const e = Number(conv.run('email', 'email', 'root-e@x', 'open').lastInsertRowid);
    db.prepare('INSERT INTO email_thread_refs (message_id_header, conversation_id) VALUES (?, ?)').run('reply-b@x', b);
    const field = db.prepare("INSERT INTO team_fields (target, field, value, at, author, event_id, applied) VALUES (?, ?, ?, 1, 'alex@biz.example', ?, 0)");
    field.run('email:root-a@x', 'assignee', '"bea@biz.example"', 'e1');
    field.run('email:reply-b@x', 'assignee', '"alex@biz.example"', 'e2'); // another copy knew the thread by a reply's Message-ID
    field.run('tweet:1900', 'assignee', '"Cy"', 'e3'); // a teammate without an address
    field.run('email:root-d@x', 'assignee', 'null', 'e4'); // unassigned
    field.run('email:root-e@x', 'status', '"done"', 'e5'); // not an assignee
    field.run('email:not-here@x', 'assignee', '"bea@biz.example"', 'e6'); // mail not synced yet
    migrate(db, migrations, 380);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(380);
    const of = (id: number) => db.prepare('SELECT assignee FROM conversations WHERE id = ?').pluck().get(id);
    expect([a, b, c, d, e].map(of)).toEqual(['bea@biz.example', 'alex@biz.example', 'Cy', null, null]);
    expect(db.prepare('SELECT count(*) FROM conversations INDEXED BY conversations_assignee WHERE assignee IS NOT NULL').pluck().get()).toBe(3);

    const ids = (filter: Parameters<typeof listConversations>[1]['filter']) => listConversations(db as never, { filter, offset: 0, limit: 100 }).items.map((i) => i.id);
    expect(ids({ status: 'open', assignee: 'bea@biz.example' })).toEqual([a]);
    expect(ids({ status: 'open', assignee: null }).sort()).toEqual([e]);
    expect(ids({ status: 'all', assignee: null }).sort()).toEqual([d, e].sort());
    const open = countConversations(db).open;
    expect(open).toBe(4);
    expect(countAssigned(db as never, undefined, 'alex@biz.example', open)).toEqual({ mine: 1, unassigned: 1 });
    expect(countAssigned(db as never, { channel: 'x' }, 'Cy', countConversations(db as never, { channel: 'x' }).open)).toEqual({ mine: 1, unassigned: 0 });
  });
});
