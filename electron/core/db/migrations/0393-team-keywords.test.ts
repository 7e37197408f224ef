// 0393 on a database made by the old code (at 392): the owed keywords and the read-back cursors are
// new tables; what was there stays; an owed row follows its conversation, a cursor its account, and
// owing again moves `since` on so a write that read the older row clears nothing newer.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { clearOwed, getKeywordCursor, oweKeywords, owedKeywords, setKeywordCursor } from '../repos/team-keywords';
import { migrations } from './index';

describe('migration 0393 team-keywords', () => {
  it('adds the owed keywords and the read-back cursors beside what the team log holds', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 392);
    db.prepare("INSERT INTO accounts (id, channel, name, created_at, updated_at) VALUES (1, 'email', 'Support', 1, 1)").run();
    const conv = db.prepare("INSERT INTO conversations (id, channel, kind, external_id, subject, status, created_at, updated_at) VALUES (?, 'email', 'email', ?, '', 'done', 1, 1)");
    conv.run(1, 'a@x');
    conv.run(2, 'b@x');
    db.prepare("INSERT INTO team_fields (target, field, value, at, author, event_id, applied) VALUES ('email:a@x', 'status', '\"done\"', 1, 'alex@biz.example', 'e1', 1)").run();
    expect(() => db.prepare('SELECT * FROM team_keywords_owed').all()).toThrow(/no such table/);
    migrate(db, migrations, 393);
    expect(schemaVersion(db)).toBe(393);
    expect(db.prepare('SELECT count(*) FROM team_fields').pluck().get()).toBe(1);

    oweKeywords(db, [1, 2, 99], 10); // 99: no such conversation, skipped
    const first = owedKeywords(db);
    expect(first).toEqual([
      { id: 1, since: 10 },
      { id: 2, since: 10 },
    ]);
    oweKeywords(db, [1], 10); // owed again within the same ms: still newer
    clearOwed(db, first);
    expect(owedKeywords(db)).toEqual([{ id: 1, since: 11 }]);
    db.prepare('DELETE FROM conversations WHERE id = 1').run();
    expect(owedKeywords(db)).toEqual([]);

    setKeywordCursor(db, 1, 'INBOX', { uidvalidity: 7, modseq: '9007199254740993', uidnext: 5 }, 1);
    expect(getKeywordCursor(db, 1, 'INBOX')).toEqual({ uidvalidity: 7, modseq: '9007199254740993', uidnext: 5 });
    db.prepare('DELETE FROM accounts WHERE id = 1').run();
    expect(getKeywordCursor(db, 1, 'INBOX')).toBeNull();
  });
});
